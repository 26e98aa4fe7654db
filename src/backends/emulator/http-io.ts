// Small HTTP helpers shared by the emulator's routes: bounded body reading and the two error
// dialects — DashScope's flat JSON `{request_id, code, message}` and OSS's XML `<Error>`.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** One request being answered. */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly requestId: string;
}

/** The body exceeded its cap. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

/** Reads the whole body, refusing (without buffering the rest) once it passes `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(new BodyTooLargeError(`body of ${declared} bytes exceeds ${limit}`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLargeError(`body exceeds ${limit} bytes`));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Sends a JSON body with `request_id` added (every DashScope response carries one). */
export function sendJson(ex: Exchange, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  const text = JSON.stringify({ request_id: ex.requestId, ...body });
  ex.res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'X-Request-Id': ex.requestId,
    ...headers,
  });
  ex.res.end(text);
}

/** A DashScope error: `{request_id, code, message}`. */
export function sendError(ex: Exchange, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(ex, status, { code, message }, headers);
}

/** Largest accepted JSON body of a create request. */
const MAX_JSON_BYTES = 1024 * 1024;

/** The parsed JSON body of a create request, or undefined after answering 413/400. */
export async function readJsonBody(ex: Exchange): Promise<unknown> {
  let raw: Buffer;
  try {
    raw = await readBody(ex.req, MAX_JSON_BYTES);
  } catch (e) {
    if (!(e instanceof BodyTooLargeError)) throw e;
    sendError(ex, 413, 'BadRequest.TooLarge', `Request body exceeds ${MAX_JSON_BYTES} bytes.`, { Connection: 'close' });
    return undefined;
  }
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    sendError(ex, 400, 'InvalidParameter', 'The request body is not valid JSON.');
    return undefined;
  }
}

const xmlEscape = (s: string): string => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** An OSS error: XML `<Error><Code/><Message/><RequestId/></Error>` plus `x-oss-request-id`. */
export function sendOssError(ex: Exchange, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>${xmlEscape(code)}</Code>\n  <Message>${xmlEscape(message)}</Message>\n` +
    `  <RequestId>${ex.requestId}</RequestId>\n  <HostId>${xmlEscape(ex.url.host)}</HostId>\n</Error>\n`;
  ex.res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(xml), 'x-oss-request-id': ex.requestId, ...headers });
  ex.res.end(xml);
}
