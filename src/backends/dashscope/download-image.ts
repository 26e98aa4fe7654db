// Downloads a generated image from its signed URL and writes it as a PNG (a JPEG, WEBP or BMP answer is converted
// with ffmpeg), checked complete and readable before the runner takes it.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { parseImageHeader } from '../../assets/image-header.js';
import { commitFile, tempPathFor } from '../../io/atomic-write.js';
import { runFfmpeg } from '../../media/ffmpeg.js';
import type { FfmpegTools } from '../../media/ffmpeg-binaries.js';
import type { DashscopeClient } from './dashscope-client.js';
import { errorFromException, errorFromResponse, isRetryable } from './dashscope-error.js';
import { redactedMessage } from './redact.js';
import { withRetry, type RetryPolicy } from './with-retry.js';

/** A download that came out wrong (truncated, empty, not an image): downloading again may fix it when `retryable`. */
class BadImageError extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message);
  }
}

/** What downloading needs. */
interface ImageDownloadContext {
  readonly client: DashscopeClient;
  readonly ffmpeg: FfmpegTools;
  readonly retry: RetryPolicy;
  readonly signal: AbortSignal;
}

/** What was written: the PNG's size and the format the service sent. */
export interface SavedImage {
  readonly width: number;
  readonly height: number;
  readonly sentAs: string;
}

const DOWNLOAD_TIMEOUT_MS = 120_000;
/** Generated images are a few MB; anything far larger is not one. */
const MAX_IMAGE_BYTES = 100 * 1024 * 1024;
const IMAGE_TYPE = /^(image\/|application\/octet-stream|binary\/octet-stream)/i;
const CONVERTIBLE: ReadonlySet<string> = new Set(['jpeg', 'webp', 'bmp']);

/**
 * Downloads the image at `url` (a plain GET: the URL is signed, no API key) to `outFile` as a PNG, via temp files:
 * HTTP 200, an image type, the announced length, a readable image header; other formats converted with ffmpeg.
 */
export async function downloadImage(ctx: ImageDownloadContext, url: string, outFile: string): Promise<SavedImage> {
  return withRetry(() => downloadOnce(ctx, url, outFile), ctx.retry, {
    shouldRetry: (e) => (e instanceof BadImageError ? e.retryable : isRetryable(e)),
    signal: ctx.signal,
  });
}

async function downloadOnce(ctx: ImageDownloadContext, url: string, outFile: string): Promise<SavedImage> {
  const data = await fetchImage(ctx, url);
  const header = parseImageHeader(data);
  if (!header) throw new BadImageError(`the image URL returned ${data.length} bytes that are not an image`, true);
  const tmp = tempPathFor(outFile);
  try {
    if (header.format === 'png') {
      await writeFile(tmp, data);
    } else if (CONVERTIBLE.has(header.format)) {
      await convertToPng(ctx, data, tmp);
    } else {
      throw new BadImageError(`the image is ${header.format.toUpperCase()}, which is not converted to PNG`, false);
    }
    const png = parseImageHeader(await readFile(tmp));
    if (png?.format !== 'png' || !png.width || !png.height) throw new BadImageError(`the ${header.format.toUpperCase()} image does not read as an image`, true);
    await commitFile(tmp, outFile);
    return { width: png.width, height: png.height, sentAs: header.format };
  } finally {
    await rm(tmp, { force: true });
  }
}

/** The body of a 200 answer with an image type, as long as announced. */
async function fetchImage(ctx: ImageDownloadContext, url: string): Promise<Buffer> {
  const res = await ctx.client.plain('download', 'GET', url, { signal: ctx.signal, timeoutMs: DOWNLOAD_TIMEOUT_MS });
  if (res.statusCode !== 200) {
    const text = await res.body.text().catch(() => '');
    throw errorFromResponse(res.statusCode, text, undefined, ctx.client.secrets);
  }
  const type = String(res.headers['content-type'] ?? '');
  const announced = Number(res.headers['content-length']);
  if ((type !== '' && !IMAGE_TYPE.test(type)) || announced > MAX_IMAGE_BYTES) {
    await res.body.dump();
    throw new BadImageError(type !== '' && !IMAGE_TYPE.test(type) ? `the image URL returned ${type}, not an image` : `the image URL announced ${announced} bytes`, false);
  }
  let data: Buffer;
  try {
    data = Buffer.from(await res.body.arrayBuffer());
  } catch (e) {
    throw ctx.signal.aborted ? e : errorFromException(e, ctx.client.secrets);
  }
  if (data.length === 0) throw new BadImageError('the downloaded image is empty', true);
  if (res.headers['content-length'] !== undefined && Number.isFinite(announced) && announced !== data.length) {
    throw new BadImageError(`the download was truncated: ${data.length} of ${announced} bytes`, true);
  }
  return data;
}

/** ffmpeg decodes the image and writes its single frame as PNG to `pngFile`. */
async function convertToPng(ctx: ImageDownloadContext, data: Buffer, pngFile: string): Promise<void> {
  const source = tempPathFor(`${pngFile}.src`);
  try {
    await writeFile(source, data);
    await runFfmpeg(ctx.ffmpeg, ['-i', source, '-frames:v', '1', '-c:v', 'png', '-f', 'image2', '-update', '1', pngFile], { signal: ctx.signal });
  } catch (e) {
    if (ctx.signal.aborted) throw e;
    throw new BadImageError(`the image could not be converted to PNG: ${redactedMessage(e).split('\n').slice(-1)[0] ?? ''}`, true);
  } finally {
    await rm(source, { force: true });
  }
}
