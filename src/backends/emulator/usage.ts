// `usage` of a SUCCEEDED task per model generation, shaped as the reference §3.3 examples show. `duration`
// is what is billed: output seconds plus the input video seconds of reference videos (r2v, capped at 5 s); a
// continuation's first clip shows in `input_video_duration` only (output-only billing), its new seconds as output.
import type { ModelSpec } from '../../compiler/models/types.js';
import { parametersOf, resolutionOf, sizeOf } from './emulated-job.js';
import type { EmulatedJob } from './types.js';

/** Families that still return `actual_prompt` (when prompt_extend is on) and the old usage shape. */
const LEGACY_FAMILIES: readonly string[] = ['wan2.5', 'wan2.2', 'wan2.1'];

/** True for models up to wan2.5, which return `actual_prompt` and the `video_ratio` usage. */
export function isLegacyFamily(model: ModelSpec): boolean {
  return LEGACY_FAMILIES.includes(model.family);
}

/** The `usage` object of a task that SUCCEEDED. */
export function usageFor(model: ModelSpec, job: EmulatedJob): Record<string, unknown> {
  const params = parametersOf(job.body);
  const sr = Number.parseInt(resolutionOf(model, params), 10);
  const seconds = job.duration;
  const input = job.inputVideoSeconds;
  if (model.kind === 'kf2v') {
    return model.family === 'wan2.1'
      ? { video_duration: seconds, video_count: 1, video_ratio: 'standard' }
      : { video_duration: seconds, video_count: 1, SR: sr };
  }
  if (model.family === 'wan2.7') {
    // The official wan2.7-i2v example has no `ratio`; t2v (and r2v) report the ratio asked for.
    const ratio = model.sizing === 'resolution+ratio' ? { ratio: typeof params.ratio === 'string' ? params.ratio : '16:9' } : {};
    // a first clip is reported as input video but not billed: wan2.7-i2v bills output only (reference §7; uncertain, §10.13)
    const clip = job.firstClip ? Math.round(job.firstClip.seconds * 1000) / 1000 : 0;
    return { duration: seconds + input, input_video_duration: input + clip, output_video_duration: seconds, video_count: 1, SR: sr, ...ratio };
  }
  if (model.family === 'wan2.6') {
    return { duration: seconds + input, size: sizeOf(model, params), input_video_duration: input, output_video_duration: seconds, video_count: 1, SR: sr };
  }
  return { video_count: 1, video_duration: seconds, video_ratio: sizeOf(model, params) };
}
