// GET/HEAD /files/{name}?Expires=…&OSSAccessKeyId=…&Signature=…: serves result videos and images like an OSS
// signed URL — no Authorization header allowed, 403 once expired or when the signature is wrong.
// A `truncate` fault sends half the bytes under the full Content-Length and then drops the connection.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { EmulatorContext } from './context.js';
import { sendOssError, type Exchange } from './http-io.js';
import { checkFileUrl } from './signed-url.js';

/** Serves one result file from `dir`. */
export async function handleFile(ctx: EmulatorContext, ex: Exchange, dir: string, name: string): Promise<void> {
  if (ex.req.headers.authorization !== undefined) {
    return sendOssError(ex, 403, 'AccessDenied', 'Only one authentication method is allowed: remove the Authorization header from a signed URL request.');
  }
  const problem = checkFileUrl(name, ex.url.searchParams, Math.floor(ctx.clock() / 1000), { secret: ctx.secret, accessKeyId: ctx.accessKeyId });
  if (problem === 'signature') return sendOssError(ex, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  if (problem === 'expired') return sendOssError(ex, 403, 'AccessDenied', 'Request has expired.');
  const file = join(dir, basename(name));
  const size = await stat(file).then((s) => s.size, () => undefined);
  if (basename(name) !== name || size === undefined) return sendOssError(ex, 404, 'NoSuchKey', 'The specified key does not exist.');
  const type = name.endsWith('.png') ? 'image/png' : 'video/mp4';
  ex.res.writeHead(200, { 'Content-Type': type, 'Content-Length': size, 'x-oss-request-id': ex.requestId });
  if (ex.req.method === 'HEAD') return void ex.res.end();
  ctx.stats.downloads++;
  const truncate = ctx.faults.roll('truncate');
  const stream = createReadStream(file, truncate ? { end: Math.max(0, Math.floor(size / 2) - 1) } : {});
  stream.on('error', () => ex.res.destroy());
  if (truncate) stream.on('end', () => ex.res.destroy());
  stream.pipe(ex.res, { end: !truncate });
}
