// Turns an image answer (a finished task's or a sync call's) into the still's PNG: the first image that succeeded,
// downloaded and written at the still's output file; a clear failure naming the still when none did.
import { BackendError, type StillRenderRequest } from '../backend.js';
import type { Shared } from './backend-shared.js';
import { describeDownloadError } from './download-video.js';
import { downloadImage, type SavedImage } from './download-image.js';
import type { ImageAnswer, MadeImage } from './image-result.js';
import { redact } from './redact.js';

/** Retries of the image download (a billed image is worth a few). */
const DOWNLOAD_RETRIES = 4;

/**
 * The first image made (a partial failure uses it); when none was, a BackendError naming the still with DashScope's
 * code and message (`source` says which task or call answered). Nothing was made, so nothing is kept.
 */
export function firstImage(req: StillRenderRequest, answer: ImageAnswer, source: string, secrets: readonly string[]): MadeImage {
  const image = answer.images[0];
  if (image) return image;
  const failed = answer.failures.find((f) => f.code !== undefined || f.message !== undefined);
  const code = failed?.code ?? 'NoImage';
  const why = failed ? `${failed.code ?? 'no code'}: ${failed.message ?? 'no message'}` : 'the answer holds no image';
  const count = answer.failures.length > 1 ? ` (all ${answer.failures.length} images failed)` : '';
  throw new BackendError(redact(`${source} made no image for still \`${req.job.id}\`${count}: ${why}`, secrets), false, code);
}

/**
 * Downloads the still's image to its output file as a PNG. A failed download was still billed: the error keeps the
 * journal entry, and `after` says what the next run does about it.
 */
export async function saveStill(s: Shared, req: StillRenderRequest, image: MadeImage, source: string, after: string): Promise<SavedImage> {
  try {
    const saved = await downloadImage({ client: s.client, ffmpeg: req.ffmpeg, retry: { ...s.retry, retries: DOWNLOAD_RETRIES }, signal: req.signal }, image.url, req.outFile);
    req.onProgress?.(1);
    return saved;
  } catch (e) {
    if (req.signal.aborted) throw new BackendError('the run was stopped', true, 'Aborted');
    throw new BackendError(`could not download the image of still \`${req.job.id}\` made by ${source}: ${describeDownloadError(e, s.client.secrets)}; ${after}`, true, 'DownloadFailed');
  }
}
