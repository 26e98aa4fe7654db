// Downloads a finished task's video from its signed URL into the clip's output file, checking it is complete
// and playable (ffprobe) before the runner takes it.
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { probeMedia } from '../../media/ffmpeg.js';
import type { FfmpegTools } from '../../media/ffmpeg-binaries.js';
import type { DashscopeClient } from './dashscope-client.js';
import { DashscopeError, errorFromException, errorFromResponse, isRetryable } from './dashscope-error.js';
import { redactedMessage } from './redact.js';
import { withRetry, type RetryPolicy } from './with-retry.js';
import { commitFile, tempPathFor } from '../../io/atomic-write.js';

/** A download that came out wrong (truncated, empty, unplayable): downloading again may fix it. */
class BadDownloadError extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message);
  }
}

/** What downloading needs. */
interface DownloadContext {
  readonly client: DashscopeClient;
  readonly ffmpeg: FfmpegTools;
  readonly retry: RetryPolicy;
  readonly signal: AbortSignal;
}

const DOWNLOAD_TIMEOUT_MS = 120_000;
const VIDEO_TYPE = /^(video\/|application\/octet-stream|binary\/octet-stream)/i;

/**
 * Downloads the result video to `outFile` with a plain GET (no Authorization: the URL is signed), via a
 * temp file that is checked (HTTP 200, type, length, ffprobe sees a video stream) before it is renamed.
 */
export async function downloadVideo(ctx: DownloadContext, url: string, outFile: string): Promise<void> {
  await withRetry(() => downloadOnce(ctx, url, outFile), ctx.retry, {
    shouldRetry: (e) => (e instanceof BadDownloadError ? e.retryable : isRetryable(e)),
    signal: ctx.signal,
  });
}

async function downloadOnce(ctx: DownloadContext, url: string, outFile: string): Promise<void> {
  const tmp = tempPathFor(outFile);
  try {
    const res = await ctx.client.plain('download', 'GET', url, { signal: ctx.signal, timeoutMs: DOWNLOAD_TIMEOUT_MS });
    if (res.statusCode !== 200) {
      const text = await res.body.text().catch(() => '');
      throw errorFromResponse(res.statusCode, text, undefined, ctx.client.secrets);
    }
    const type = String(res.headers['content-type'] ?? '');
    if (type !== '' && !VIDEO_TYPE.test(type)) {
      await res.body.dump();
      throw new BadDownloadError(`the video URL returned ${type}, not a video`, false);
    }
    try {
      await pipeline(res.body, createWriteStream(tmp));
    } catch (e) {
      throw ctx.signal.aborted ? e : errorFromException(e, ctx.client.secrets);
    }
    await checkDownload(ctx, tmp, res.headers['content-length']);
    await commitFile(tmp, outFile);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Non-empty, as long as announced, and ffprobe finds a video stream. */
async function checkDownload(ctx: DownloadContext, file: string, contentLength: string | string[] | undefined): Promise<void> {
  const size = (await stat(file)).size;
  if (size === 0) throw new BadDownloadError('the downloaded video is empty', true);
  const expected = Number(Array.isArray(contentLength) ? contentLength[0] : contentLength);
  if (contentLength !== undefined && Number.isFinite(expected) && expected !== size) {
    throw new BadDownloadError(`the download was truncated: ${size} of ${expected} bytes`, true);
  }
  let hasVideo = false;
  try {
    hasVideo = (await probeMedia(ctx.ffmpeg, file, { signal: ctx.signal })).streams.some((s) => s.codecType === 'video' && !s.attachedPic);
  } catch (e) {
    if (ctx.signal.aborted) throw e;
    throw new BadDownloadError(`the downloaded video is unreadable: ${redactedMessage(e).split('\n').slice(-1)[0] ?? ''}`, true);
  }
  if (!hasVideo) throw new BadDownloadError('the downloaded file has no video stream', true);
}

/** A download failure as a sentence. */
export function describeDownloadError(e: unknown, secrets: readonly string[]): string {
  return e instanceof DashscopeError ? e.describe() : redactedMessage(e, secrets);
}
