// What an accepted create request will produce: duration, pixel size and sound, from the model's
// registry entry and the request parameters (invalid values fall back to the model defaults).
import { durationAllowed, parseSize, sizeFor } from '../../compiler/models/registry.js';
import type { ModelSpec, Ratio, Resolution } from '../../compiler/models/types.js';
import type { EmulatedJob } from './types.js';

type Obj = Readonly<Record<string, unknown>>;

/** The request's `parameters` object (empty when missing or not an object). */
export function parametersOf(body: Obj): Obj {
  const p = body.parameters;
  return typeof p === 'object' && p !== null && !Array.isArray(p) ? (p as Obj) : {};
}

/** The request's `input` object (empty when missing or not an object). */
export function inputOf(body: Obj): Obj {
  const i = body.input;
  return typeof i === 'object' && i !== null && !Array.isArray(i) ? (i as Obj) : {};
}

/** The resolution tier the task renders at. */
export function resolutionOf(model: ModelSpec, params: Obj): Resolution {
  if (model.sizing === 'size') return parseSize(String(params.size))?.resolution ?? model.defaultResolution;
  const r = params.resolution;
  return model.resolutions.includes(r as Resolution) ? (r as Resolution) : model.defaultResolution;
}

/** The `W*H` size the task renders at: the size/ratio asked for, or the tier's 16:9 size for image-driven models. */
export function sizeOf(model: ModelSpec, params: Obj): string {
  const resolution = resolutionOf(model, params);
  if (model.sizing === 'size' && parseSize(String(params.size))) return String(params.size);
  const ratio: Ratio = model.sizing === 'resolution+ratio' && model.ratios.includes(params.ratio as Ratio) ? (params.ratio as Ratio) : '16:9';
  return sizeFor(resolution, ratio) ?? sizeFor(resolution, '16:9') ?? '1280*720';
}

/** What the create route read from the request's media besides the body: frames, first clip, references, billed input seconds. */
export type JobMedia = Pick<EmulatedJob, 'media' | 'references' | 'firstClip'> & { readonly inputVideoSeconds?: number };

/** The job the render callback receives for this request. */
export function describeJob(taskId: string, model: ModelSpec, body: Obj, extra: JobMedia = {}): EmulatedJob {
  const params = parametersOf(body);
  const d = params.duration;
  const duration = typeof d === 'number' && durationAllowed(model.duration, d) ? d : model.duration.default;
  const [width, height] = sizeOf(model, params).split('*').map(Number) as [number, number];
  return {
    taskId, model: model.id, body, duration, width, height, audio: model.audio.generates && params.audio !== false,
    ...(extra.media && Object.keys(extra.media).length > 0 ? { media: extra.media } : {}),
    ...(extra.references && extra.references.length > 0 ? { references: extra.references } : {}),
    ...(extra.firstClip ? { firstClip: extra.firstClip } : {}),
    inputVideoSeconds: extra.inputVideoSeconds ?? 0,
  };
}
