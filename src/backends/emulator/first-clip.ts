// Clip continuation requests (wan2.7-i2v `first_clip`, reference §2.4): the media combinations the service takes, and
// the clip's container (MP4 or MOV), length, sides, aspect ratio and size against the model's `frames.clip` limits; what
// the clip is (for the render, the usage and the stats). A broken rule fails the task with InvalidParameter.
import type { ModelSpec } from '../../compiler/models/types.js';
import type { FirstClipFacts } from './types.js';

type Obj = Readonly<Record<string, unknown>>;

/** The media combinations of wan2.7-i2v (reference §2.4), in the order their types are listed below. */
const COMBINATIONS: readonly string[] = [
  'first_frame', 'first_frame+driving_audio', 'first_frame+last_frame', 'first_frame+last_frame+driving_audio', 'first_clip', 'first_clip+last_frame',
];
const TYPE_ORDER = ['first_frame', 'first_clip', 'last_frame', 'driving_audio'] as const;
const MAX_ASPECT = 8;
const MB = 1024 * 1024;
/** Boxes an MP4 or QuickTime file can begin with. */
const LEADING_BOXES = ['ftyp', 'moov', 'wide', 'mdat', 'free', 'skip'];

/** What the create route learns about a request's first clip: its facts when it could read it, or the rule it breaks. */
export interface FirstClipCheck {
  readonly facts?: FirstClipFacts;
  readonly problem?: string;
}

/** What {@link checkFirstClip} needs besides the body. */
export interface FirstClipOptions {
  /** The clip's bytes, when the emulator can read them (an upload, or one of its own results). */
  readonly bytes: Buffer | undefined;
  /** Seconds, frames and size of a video held in memory; undefined when it is no readable video. */
  readonly probe: (bytes: Buffer) => Promise<FirstClipFacts | undefined>;
}

/** The first clip of a request checked as the service does; undefined when the request sends none. */
export async function checkFirstClip(model: ModelSpec, input: Obj, options: FirstClipOptions): Promise<FirstClipCheck | undefined> {
  const types = (Array.isArray(input.media) ? (input.media as unknown[]) : []).map((m) => (typeof m === 'object' && m !== null ? (m as Obj).type : undefined));
  const index = types.indexOf('first_clip');
  if (index < 0) return undefined;
  const limits = model.frames.clip;
  if (!limits) return { problem: `${model.id} does not take first_clip` };
  const combination = TYPE_ORDER.filter((t) => types.includes(t)).join('+');
  if (!COMBINATIONS.includes(combination)) {
    return { problem: `input.media: ${combination} is not a valid combination; ${model.id} takes ${COMBINATIONS.join(', ')}` };
  }
  const { bytes } = options;
  // an outside URL: the emulator cannot read it, so it cannot check it
  if (!bytes) return {};
  const where = `input.media[${index}] (first_clip)`;
  if (bytes.length > limits.maxBytes) return { problem: `${where} is ${(bytes.length / MB).toFixed(1)} MB: at most ${limits.maxBytes / MB} MB` };
  if (!LEADING_BOXES.includes(bytes.subarray(4, 8).toString('latin1'))) return { problem: `${where} must be an MP4 or MOV video` };
  const facts = await options.probe(bytes);
  if (!facts) return { problem: `${where} is not a readable video` };
  const seconds = Math.round(facts.seconds * 1000) / 1000;
  if (seconds < limits.minSeconds || seconds > limits.maxSeconds) {
    return { problem: `${where} lasts ${seconds} s: it must last from ${limits.minSeconds} to ${limits.maxSeconds} s` };
  }
  const { width: w, height: h } = facts;
  if (Math.min(w, h) < limits.minSide || Math.max(w, h) > limits.maxSide) {
    return { problem: `${where} is ${w}×${h} pixels: each side must be from ${limits.minSide} to ${limits.maxSide}` };
  }
  if (Math.max(w, h) / Math.min(w, h) > MAX_ASPECT) return { problem: `${where} is ${w}×${h} pixels: its aspect ratio must be from 1:${MAX_ASPECT} to ${MAX_ASPECT}:1` };
  return { facts };
}
