// A small, bounded multipart/form-data parser (RFC 7578) for the OSS-like upload target. The body is
// already size-capped by the caller; this caps the number of parts and the size of part headers.

/** One form field in body order; `filename` is set for file parts. */
export interface FormPart {
  readonly name: string;
  readonly filename?: string;
  readonly contentType?: string;
  readonly data: Buffer;
}

/** A malformed multipart body. */
export class MultipartError extends Error {
  override readonly name = 'MultipartError';
}

/** Limits of {@link parseMultipart}. */
interface MultipartOptions {
  maxParts?: number;
  maxHeaderBytes?: number;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** The boundary of a `multipart/form-data; boundary=…` content type, if it is one. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return undefined;
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return m?.[1] ?? m?.[2];
}

/** Splits a multipart body into its parts, in order; throws {@link MultipartError} when malformed. */
export function parseMultipart(body: Buffer, boundary: string, options: MultipartOptions = {}): FormPart[] {
  const maxParts = options.maxParts ?? 32;
  const maxHeaderBytes = options.maxHeaderBytes ?? 8192;
  const delimiter = Buffer.from(`--${boundary}`);
  const next = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new MultipartError('no boundary found in the body');
  const parts: FormPart[] = [];
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === '--') return parts;
    if (!body.subarray(pos, pos + 2).equals(CRLF)) throw new MultipartError('boundary not followed by CRLF');
    if (parts.length >= maxParts) throw new MultipartError(`more than ${maxParts} parts`);
    const headerEnd = body.indexOf(HEADER_END, pos + 2);
    if (headerEnd < 0 || headerEnd - pos > maxHeaderBytes) throw new MultipartError('part headers missing or too long');
    const end = body.indexOf(next, headerEnd + 4);
    if (end < 0) throw new MultipartError('part not terminated by a boundary');
    parts.push(parsePart(body.subarray(pos + 2, headerEnd).toString('utf8'), body.subarray(headerEnd + 4, end)));
    pos = end + 2;
  }
}

function parsePart(headerText: string, data: Buffer): FormPart {
  const headers = new Map<string, string>();
  for (const line of headerText.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MultipartError(`bad part header line "${line.slice(0, 80)}"`);
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const disposition = headers.get('content-disposition') ?? '';
  if (!/^form-data\s*(;|$)/i.test(disposition)) throw new MultipartError('part without Content-Disposition: form-data');
  const name = dispositionParam(disposition, 'name');
  if (name === undefined) throw new MultipartError('part without a name');
  const filename = dispositionParam(disposition, 'filename');
  const contentType = headers.get('content-type');
  return { name, data, ...(filename !== undefined ? { filename } : {}), ...(contentType ? { contentType } : {}) };
}

function dispositionParam(disposition: string, key: string): string | undefined {
  const m = new RegExp(`;\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i').exec(disposition);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2];
}
