// A continued clip's `first_clip` (the last seconds of the clip it continues) checked against the model's limits
// (`ModelSpec.frames.clip`: length, sides, aspect ratio, size) before it is uploaded: a clip the service would refuse
// is neither uploaded nor paid for, and the error names the clip and what it carries.
import { stat } from 'node:fs/promises';
import { findModel } from '../../compiler/models/registry.js';
import { probeMedia, videoStreamDuration } from '../../media/ffmpeg.js';
import type { FfmpegTools } from '../../media/ffmpeg-binaries.js';
import { BackendError, type RenderRequest } from '../backend.js';

const MAX_ASPECT = 8;
const MB = 1024 * 1024;

/** What the check needs of a clip's render request. */
type FirstClipRequest = Pick<RenderRequest, 'job' | 'inputs' | 'signal'> & { readonly ffmpeg: FfmpegTools };

/** Throws a BackendError (`FirstClipLimits`) when the clip's local `first_clip` breaks its model's limits; URLs are not checked. */
export async function checkFirstClip(req: FirstClipRequest): Promise<void> {
  const input = req.inputs.get('first_clip');
  if (!input || !('file' in input)) return;
  const { job } = req;
  const model = findModel(job.request.body.model);
  const limits = model?.frames.clip;
  const declared = job.inputs.find((i) => i.name === 'first_clip')?.from;
  const what = declared && 'tail' in declared ? `the last ${declared.tail} s of \`${declared.clip}\`` : input.file;
  const fail = (why: string): never => {
    throw new BackendError(`clip \`${job.id}\`: its first_clip (${what}) ${why}`, false, 'FirstClipLimits');
  };
  if (!model || !limits) return fail(`cannot be sent: ${job.request.body.model} does not continue clips`);
  const bytes = (await stat(input.file)).size;
  if (bytes > limits.maxBytes) fail(`is ${(bytes / MB).toFixed(1)} MB: ${model.id} takes at most ${limits.maxBytes / MB} MB`);
  const info = await probeMedia(req.ffmpeg, input.file, { signal: req.signal });
  const video = info.streams.find((s) => s.codecType === 'video' && !s.attachedPic);
  const seconds = videoStreamDuration(info);
  if (!video?.width || !video.height || seconds === undefined) return fail('has no video stream of known length and size');
  const rounded = Math.round(seconds * 1000) / 1000;
  if (rounded < limits.minSeconds || rounded > limits.maxSeconds) fail(`lasts ${rounded} s: ${model.id} takes ${limits.minSeconds} to ${limits.maxSeconds} s`);
  const [w, h] = [video.width, video.height];
  if (Math.min(w, h) < limits.minSide || Math.max(w, h) > limits.maxSide) fail(`is ${w}×${h}: ${model.id} takes sides from ${limits.minSide} to ${limits.maxSide} pixels`);
  if (Math.max(w, h) / Math.min(w, h) > MAX_ASPECT) fail(`is ${w}×${h}: ${model.id} takes aspect ratios from 1:${MAX_ASPECT} to ${MAX_ASPECT}:1`);
}
