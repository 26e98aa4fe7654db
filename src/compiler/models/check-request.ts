// Checks a request body against the model registry as DashScope would, with the service's codes and
// messages (the emulator answers with them; the library exports it).
import { durationAllowed, findModel, parseSize, sizesOf } from './registry.js';
import type { ModelSpec } from './types.js';

/** A problem with a request body, in DashScope's terms: the code the service answers with and its message. */
export interface RequestProblem {
  readonly code: 'InvalidParameter' | 'BadRequest.EmptyInput' | 'BadRequest.EmptyParameters';
  readonly message: string;
}

type Obj = Record<string, unknown>;

/**
 * Checks a create-task body against the registry's limits for its model, as the service would.
 * Used by the property tests and by the emulator's parameter validation. `$input.*` placeholders count as URLs.
 */
export function checkRequest(body: unknown, path?: string): RequestProblem[] {
  const b = (body ?? {}) as Obj;
  const model = typeof b.model === 'string' ? findModel(b.model) : undefined;
  if (!model) return [{ code: 'InvalidParameter', message: 'Model not exist.' }];
  if (path && path !== model.endpoint) return [{ code: 'InvalidParameter', message: 'url error, please check url!' }];
  if (typeof b.input !== 'object' || b.input === null) return [{ code: 'BadRequest.EmptyInput', message: 'Required input is missing.' }];
  const input = b.input as Obj;
  const params = (b.parameters ?? {}) as Obj;
  const out: RequestProblem[] = [];
  const bad = (message: string): void => void out.push({ code: 'InvalidParameter', message });
  const prompt = input.prompt;
  if (model.prompt.required && (typeof prompt !== 'string' || prompt.length === 0)) bad('Field required: input.prompt');
  if (typeof prompt === 'string' && [...prompt].length > model.prompt.max) bad(`input.prompt is longer than ${model.prompt.max} characters`);
  if (typeof input.negative_prompt === 'string' && [...input.negative_prompt].length > model.negativePromptMax) bad('input.negative_prompt is longer than 500 characters');
  out.push(...checkSizing(model, params), ...checkFrames(model, input));
  if (params.duration !== undefined && !(typeof params.duration === 'number' && durationAllowed(model.duration, params.duration))) {
    bad(`The duration is not valid for ${model.id}: ${String(params.duration)}`);
  }
  if (params.seed !== undefined && !(Number.isInteger(params.seed) && (params.seed as number) >= 0 && (params.seed as number) <= 2147483647)) bad('seed must be an integer in [0, 2147483647]');
  if (params.shot_type !== undefined && (model.multiShot !== 'shot_type' || !['single', 'multi'].includes(String(params.shot_type)))) bad(`shot_type is not supported by ${model.id}`);
  if (params.audio === false && !model.audio.canSilence) bad(`audio cannot be switched off for ${model.id}`);
  for (const key of ['prompt_extend', 'watermark'] as const) if (params[key] !== undefined && typeof params[key] !== 'boolean') bad(`${key} must be a boolean`);
  return out;
}

function checkSizing(model: ModelSpec, params: Obj): RequestProblem[] {
  const out: RequestProblem[] = [];
  const bad = (message: string): void => void out.push({ code: 'InvalidParameter', message });
  if (model.sizing === 'size') {
    if (params.size !== undefined && !sizesOf(model).includes(String(params.size))) bad(`The size is not match ${String(params.size)}`);
    if (params.resolution !== undefined || params.ratio !== undefined) bad(`${model.id} takes size, not resolution/ratio`);
  } else {
    if (params.resolution !== undefined && !model.resolutions.includes(params.resolution as never)) bad(`The resolution is not valid: ${String(params.resolution)}`);
    if (params.size !== undefined && !parseSize(String(params.size))) bad(`The size is not match ${String(params.size)}`);
    if (params.ratio !== undefined && model.sizing === 'resolution+ratio' && !model.ratios.includes(params.ratio as never)) bad(`The ratio is not valid: ${String(params.ratio)}`);
  }
  return out;
}

function checkFrames(model: ModelSpec, input: Obj): RequestProblem[] {
  const out: RequestProblem[] = [];
  const bad = (message: string): void => void out.push({ code: 'InvalidParameter', message });
  const isUrl = (v: unknown): boolean => typeof v === 'string' && /^(https?:\/\/|oss:\/\/|data:|\$input\.)/.test(v);
  if (model.frames.first === 'media') {
    const media = Array.isArray(input.media) ? (input.media as Obj[]) : [];
    const types = media.map((m) => String(m.type));
    if (!media.every((m) => isUrl(m.url))) bad('input.media[].url must be a URL');
    if (new Set(types).size !== types.length) bad('input.media has a type more than once');
    const first = types.includes('first_frame') || types.includes('first_clip');
    if (!first) bad('Field required: input.media first_frame');
    if (types.some((t) => !['first_frame', 'last_frame', 'driving_audio', 'first_clip'].includes(t))) bad('input.media has an unknown type');
    return out;
  }
  if (input.media !== undefined) bad(`${model.id} does not take input.media`);
  for (const field of ['img_url', 'first_frame_url', 'last_frame_url'] as const) {
    const accepted = model.frames.first === field || model.frames.last === field;
    if (input[field] !== undefined && !accepted) bad(`${model.id} does not take input.${field}`);
    if (input[field] !== undefined && !isUrl(input[field])) bad(`input.${field} must be a URL`);
  }
  if (model.frames.first && model.frames.firstRequired && input[model.frames.first] === undefined) bad(`Field required: input.${model.frames.first}`);
  if (model.frames.last && model.frames.lastRequired && input[model.frames.last] === undefined) bad(`Field required: input.${model.frames.last}`);
  if (input.audio_url !== undefined && model.audio.input?.field !== 'audio_url') bad(`${model.id} does not take input.audio_url`);
  return out;
}
