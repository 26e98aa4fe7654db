// The model registry: every Wan model the compiler knows (endpoint, kind, durations, sizes, limits, prices)
// and the size tables; a new model is added here.
import type { DurationRule, ImageLimits, ModelSpec, Ratio, ReferenceRules, Resolution } from './types.js';

// Facts from shared/reference/dashscope-wan.md (§2 parameters, §4 rate limits, §7 prices, Singapore).
// Adding a model is adding one entry to MODELS.

const VIDEO_SYNTHESIS = '/api/v1/services/aigc/video-generation/video-synthesis' as const;
const IMAGE2VIDEO = '/api/v1/services/aigc/image2video/video-synthesis' as const;

const ALL_RATIOS: readonly Ratio[] = ['16:9', '9:16', '1:1', '4:3', '3:4'];
const range = (min: number, max: number, def = 5): DurationRule => ({ kind: 'range', min, max, default: def });
const fixed5: DurationRule = { kind: 'set', values: [5], default: 5 };
const MB = 1024 * 1024;
/** wan2.7 media images: 240–8000 px, ≤ 20 MB, aspect 1:8–8:1. */
const MEDIA_IMAGE: ImageLimits = { minSide: 240, maxSide: 8000, maxBytes: 20 * MB, maxAspect: 8 };
/** Legacy img_url / first_frame_url images: 360–2000 px, ≤ 10 MB. */
const LEGACY_IMAGE: ImageLimits = { minSide: 360, maxSide: 2000, maxBytes: 10 * MB };
const AUDIO_URL = { field: 'audio_url', minSeconds: 3, maxSeconds: 30, maxBytes: 15 * MB } as const;
const noFrames = { firstRequired: false, lastRequired: false } as const;
const firstFrameImgUrl = { first: 'img_url', firstRequired: true, lastRequired: false, image: LEGACY_IMAGE } as const;

const MB_100 = 100 * MB;
/** wan2.7-r2v: `media` items `reference_image` / `reference_video` (each may carry `reference_voice`), images + videos ≤ 5. */
const R2V_MEDIA: ReferenceRules = {
  field: 'media', labels: 'per-type', maxImages: 5, maxVideos: 5, maxTotal: 5, oneSubject: false,
  image: MEDIA_IMAGE, video: { minSeconds: 1, maxSeconds: 30, maxBytes: MB_100 },
  voice: { minSeconds: 1, maxSeconds: 30, maxBytes: 15 * MB }, maxDurationWithVideo: 10, billedInputVideoCap: 5,
};
/** wan2.6-r2v(-flash): `reference_urls` (images 0–5, videos 0–3, ≤ 5 in all; 1st URL = `character1`); one subject per reference. */
const R2V_URLS: ReferenceRules = {
  field: 'reference_urls', labels: 'character', maxImages: 5, maxVideos: 3, maxTotal: 5, oneSubject: true,
  image: { minSide: 240, maxSide: 5000, maxBytes: 10 * MB }, video: { minSeconds: 1, maxSeconds: 30, maxBytes: MB_100 },
  billedInputVideoCap: 5,
};

const MODEL_LIST: readonly ModelSpec[] = [
  // ---- text-to-video
  {
    id: 'wan2.7-t2v', family: 'wan2.7', kind: 't2v', endpoint: VIDEO_SYNTHESIS, sizing: 'resolution+ratio',
    resolutions: ['720P', '1080P'], defaultResolution: '1080P', ratios: ALL_RATIOS, duration: range(2, 15),
    prompt: { max: 5000, required: true }, negativePromptMax: 500,
    audio: { generates: true, input: { ...AUDIO_URL, minSeconds: 2 }, canSilence: false },
    multiShot: 'prompt', frames: noFrames, continuation: 'wan2.7-i2v',
    limits: { rps: 5, concurrency: 5 }, price: { '720P': 0.1, '1080P': 0.15 },
  },
  {
    id: 'wan2.6-t2v', family: 'wan2.6', kind: 't2v', endpoint: VIDEO_SYNTHESIS, sizing: 'size',
    resolutions: ['720P', '1080P'], defaultResolution: '1080P', ratios: ALL_RATIOS, duration: range(2, 15),
    prompt: { max: 1500, required: true }, negativePromptMax: 500,
    audio: { generates: true, input: AUDIO_URL, canSilence: false },
    multiShot: 'shot_type', frames: noFrames, continuation: 'wan2.6-i2v',
    limits: { rps: 5, concurrency: 5 }, price: { '720P': 0.1, '1080P': 0.15 },
    note: 'duration: the Dec-2025 reference says 5/10/15, the newer guide says 2–15; 2–15 is accepted.',
  },
  {
    id: 'wan2.5-t2v-preview', family: 'wan2.5', kind: 't2v', endpoint: VIDEO_SYNTHESIS, sizing: 'size',
    resolutions: ['480P', '720P', '1080P'], defaultResolution: '1080P', ratios: ALL_RATIOS,
    duration: { kind: 'set', values: [5, 10], default: 5 },
    prompt: { max: 1500, required: true }, negativePromptMax: 500,
    audio: { generates: true, input: AUDIO_URL, canSilence: false },
    multiShot: 'none', frames: noFrames, continuation: 'wan2.5-i2v-preview',
    limits: { rps: 5, concurrency: 5 }, price: { '480P': 0.05, '720P': 0.1, '1080P': 0.15 },
  },
  {
    id: 'wan2.2-t2v-plus', family: 'wan2.2', kind: 't2v', endpoint: VIDEO_SYNTHESIS, sizing: 'size',
    resolutions: ['480P', '1080P'], defaultResolution: '1080P', ratios: ALL_RATIOS, duration: fixed5,
    prompt: { max: 800, required: true }, negativePromptMax: 500,
    audio: { generates: false, canSilence: false },
    multiShot: 'none', frames: noFrames, continuation: 'wan2.2-i2v-plus',
    limits: { rps: 2, concurrency: 2 }, price: { '480P': 0.02, '1080P': 0.1 },
  },
  {
    id: 'wan2.1-t2v-turbo', family: 'wan2.1', kind: 't2v', endpoint: VIDEO_SYNTHESIS, sizing: 'size',
    resolutions: ['480P', '720P'], defaultResolution: '720P', ratios: ALL_RATIOS, duration: fixed5,
    prompt: { max: 800, required: true }, negativePromptMax: 500,
    audio: { generates: false, canSilence: false },
    multiShot: 'none', frames: noFrames, continuation: 'wan2.1-i2v-turbo',
    limits: { rps: 2, concurrency: 2 }, price: { '480P': 0.036, '720P': 0.036 },
  },
  {
    id: 'wan2.1-t2v-plus', family: 'wan2.1', kind: 't2v', endpoint: VIDEO_SYNTHESIS, sizing: 'size',
    resolutions: ['720P'], defaultResolution: '720P', ratios: ALL_RATIOS, duration: fixed5,
    prompt: { max: 800, required: true }, negativePromptMax: 500,
    audio: { generates: false, canSilence: false },
    multiShot: 'none', frames: noFrames, continuation: 'wan2.1-i2v-plus',
    limits: { rps: 2, concurrency: 2 }, price: { '720P': 0.1 },
  },
  // ---- image-to-video (first frame; wan2.7 also first+last frame)
  {
    id: 'wan2.7-i2v', family: 'wan2.7', kind: 'i2v', endpoint: VIDEO_SYNTHESIS, sizing: 'resolution',
    resolutions: ['720P', '1080P'], defaultResolution: '1080P', ratios: [], duration: range(2, 15),
    prompt: { max: 5000, required: false }, negativePromptMax: 500,
    audio: { generates: true, input: { field: 'driving_audio', minSeconds: 2, maxSeconds: 30, maxBytes: 15 * MB }, canSilence: false },
    multiShot: 'prompt',
    frames: { first: 'media', last: 'media', firstRequired: true, lastRequired: false, image: MEDIA_IMAGE,
      clip: { minSeconds: 2, maxSeconds: 10, maxBytes: 100 * MB, minSide: 240, maxSide: 4096 } },
    continuation: 'wan2.7-i2v', limits: { rps: 5, concurrency: 5 }, price: { '720P': 0.1, '1080P': 0.15 },
  },
  {
    id: 'wan2.6-i2v', family: 'wan2.6', kind: 'i2v', endpoint: VIDEO_SYNTHESIS, sizing: 'resolution',
    resolutions: ['720P', '1080P'], defaultResolution: '1080P', ratios: [], duration: range(2, 15),
    prompt: { max: 1500, required: false }, negativePromptMax: 500,
    audio: { generates: true, input: AUDIO_URL, canSilence: false },
    multiShot: 'shot_type', frames: firstFrameImgUrl, continuation: 'wan2.6-i2v',
    limits: { rps: 5, concurrency: 5 }, price: { '720P': 0.1, '1080P': 0.15 },
    note: 'duration: 5/10/15 in the Dec-2025 reference; 2–15 as for the rest of wan2.6 is accepted.',
  },
  {
    id: 'wan2.6-i2v-flash', family: 'wan2.6', kind: 'i2v', endpoint: VIDEO_SYNTHESIS, sizing: 'resolution',
    resolutions: ['720P', '1080P'], defaultResolution: '1080P', ratios: [], duration: range(2, 15),
    prompt: { max: 1500, required: false }, negativePromptMax: 500,
    audio: { generates: true, input: AUDIO_URL, canSilence: true },
    multiShot: 'shot_type', frames: firstFrameImgUrl, continuation: 'wan2.6-i2v-flash',
    limits: { rps: 5, concurrency: 5 }, price: { '720P': 0.05, '1080P': 0.075 },
    silentPrice: { '720P': 0.025, '1080P': 0.0375 },
  },
  {
    id: 'wan2.5-i2v-preview', family: 'wan2.5', kind: 'i2v', endpoint: VIDEO_SYNTHESIS, sizing: 'resolution',
    resolutions: ['480P', '720P', '1080P'], defaultResolution: '1080P', ratios: [],
    duration: { kind: 'set', values: [5, 10], default: 5 },
    prompt: { max: 1500, required: false }, negativePromptMax: 500,
    audio: { generates: true, input: AUDIO_URL, canSilence: false },
    multiShot: 'none', frames: firstFrameImgUrl, continuation: 'wan2.5-i2v-preview',
    limits: { rps: 5, concurrency: 5 }, price: { '480P': 0.05, '720P': 0.1, '1080P': 0.15 },
  },
  {
    id: 'wan2.2-i2v-flash', family: 'wan2.2', kind: 'i2v', endpoint: VIDEO_SYNTHESIS, sizing: 'resolution',
    resolutions: ['480P', '720P', '1080P'], defaultResolution: '720P', ratios: [], duration: fixed5,
    prompt: { max: 800, required: false }, negativePromptMax: 500,
    audio: { generates: false, canSilence: false },
    multiShot: 'none', frames: firstFrameImgUrl, continuation: 'wan2.2-i2v-flash',
    limits: { rps: 2, concurrency: 2 }, price: { '480P': 0.015, '720P': 0.036, '1080P': 0.0654 },
    note: 'not in the Singapore limit and price tables: 2/2 assumed; 1080P price converted from Beijing (¥0.48/s).',
  },
  {
    id: 'wan2.2-i2v-plus', family: 'wan2.2', kind: 'i2v', endpoint: VIDEO_SYNTHESIS, sizing: 'resolution',
    resolutions: ['480P', '1080P'], defaultResolution: '1080P', ratios: [], duration: fixed5,
    prompt: { max: 800, required: false }, negativePromptMax: 500,
    audio: { generates: false, canSilence: false },
    multiShot: 'none', frames: firstFrameImgUrl, continuation: 'wan2.2-i2v-plus',
    limits: { rps: 2, concurrency: 2 }, price: { '480P': 0.02, '1080P': 0.1 },
  },
  {
    id: 'wan2.1-i2v-turbo', family: 'wan2.1', kind: 'i2v', endpoint: VIDEO_SYNTHESIS, sizing: 'resolution',
    resolutions: ['480P', '720P'], defaultResolution: '720P', ratios: [],
    duration: { kind: 'set', values: [3, 4, 5], default: 5 },
    prompt: { max: 800, required: false }, negativePromptMax: 500,
    audio: { generates: false, canSilence: false },
    multiShot: 'none', frames: firstFrameImgUrl, continuation: 'wan2.1-i2v-turbo',
    limits: { rps: 2, concurrency: 2 }, price: { '480P': 0.036, '720P': 0.036 },
  },
  {
    id: 'wan2.1-i2v-plus', family: 'wan2.1', kind: 'i2v', endpoint: VIDEO_SYNTHESIS, sizing: 'resolution',
    resolutions: ['720P'], defaultResolution: '720P', ratios: [], duration: fixed5,
    prompt: { max: 800, required: false }, negativePromptMax: 500,
    audio: { generates: false, canSilence: false },
    multiShot: 'none', frames: firstFrameImgUrl, continuation: 'wan2.1-i2v-plus',
    limits: { rps: 2, concurrency: 2 }, price: { '720P': 0.1 },
  },
  // ---- keyframe (first + last frame), on the image2video path
  {
    id: 'wan2.2-kf2v-flash', family: 'wan2.2', kind: 'kf2v', endpoint: IMAGE2VIDEO, sizing: 'resolution',
    resolutions: ['480P', '720P', '1080P'], defaultResolution: '720P', ratios: [], duration: fixed5,
    prompt: { max: 800, required: false }, negativePromptMax: 500,
    audio: { generates: false, canSilence: false },
    multiShot: 'none',
    frames: { first: 'first_frame_url', last: 'last_frame_url', firstRequired: true, lastRequired: true, image: LEGACY_IMAGE },
    continuation: 'wan2.2-i2v-flash', limits: { rps: 2, concurrency: 2 },
    price: { '480P': 0.0136, '720P': 0.0273, '1080P': 0.0654 },
    note: 'not in the Singapore tables: limits 2/2 assumed, prices converted from Beijing (¥0.10/0.20/0.48 per s).',
  },
  {
    id: 'wan2.1-kf2v-plus', family: 'wan2.1', kind: 'kf2v', endpoint: IMAGE2VIDEO, sizing: 'resolution',
    resolutions: ['480P', '720P'], defaultResolution: '720P', ratios: [], duration: fixed5,
    prompt: { max: 800, required: false }, negativePromptMax: 500,
    audio: { generates: false, canSilence: false },
    multiShot: 'none',
    frames: { first: 'first_frame_url', last: 'last_frame_url', firstRequired: true, lastRequired: true, image: LEGACY_IMAGE },
    continuation: 'wan2.1-i2v-plus', limits: { rps: 1, concurrency: 2 }, price: { '720P': 0.1 },
    note: 'resolutions: 720P only per the zh reference, 480P and 720P per the guide; both accepted.',
  },
  // ---- reference-to-video (characters), on the video-synthesis path
  {
    id: 'wan2.7-r2v', family: 'wan2.7', kind: 'r2v', endpoint: VIDEO_SYNTHESIS, sizing: 'resolution+ratio',
    resolutions: ['720P', '1080P'], defaultResolution: '1080P', ratios: ALL_RATIOS, duration: range(2, 15),
    prompt: { max: 5000, required: true }, negativePromptMax: 500,
    audio: { generates: true, canSilence: false },
    multiShot: 'prompt', frames: { first: 'media', firstRequired: false, lastRequired: false, image: MEDIA_IMAGE },
    references: R2V_MEDIA, continuation: 'wan2.7-r2v', limits: { rps: 5, concurrency: 5 }, price: { '720P': 0.1, '1080P': 0.15 },
    note: 'reference voice limits not documented: 1–30 s (the SDK\'s sample sends a 1 s voice), ≤ 15 MB assumed; videos per request not limited apart from the total of 5; input video billed up to 5 s.',
  },
  {
    id: 'wan2.6-r2v', family: 'wan2.6', kind: 'r2v', endpoint: VIDEO_SYNTHESIS, sizing: 'size',
    resolutions: ['720P', '1080P'], defaultResolution: '1080P', ratios: ALL_RATIOS, duration: range(2, 10),
    prompt: { max: 1500, required: true }, negativePromptMax: 500,
    audio: { generates: true, canSilence: false },
    multiShot: 'shot_type', frames: noFrames, references: R2V_URLS,
    limits: { rps: 5, concurrency: 5 }, price: { '720P': 0.1, '1080P': 0.15 },
    note: 'input video seconds billed up to 5 s (the pricing page says "input+output").',
  },
  {
    id: 'wan2.6-r2v-flash', family: 'wan2.6', kind: 'r2v', endpoint: VIDEO_SYNTHESIS, sizing: 'size',
    resolutions: ['720P', '1080P'], defaultResolution: '1080P', ratios: ALL_RATIOS, duration: range(2, 10),
    prompt: { max: 1500, required: true }, negativePromptMax: 500,
    audio: { generates: true, canSilence: true },
    multiShot: 'shot_type', frames: noFrames, references: R2V_URLS,
    limits: { rps: 5, concurrency: 5 }, price: { '720P': 0.05, '1080P': 0.075 },
    silentPrice: { '720P': 0.025, '1080P': 0.0375 },
    note: 'input video seconds billed up to 5 s (the pricing page says "input+output").',
  },
];

/** Every known model by id. */
export const MODELS: ReadonlyMap<string, ModelSpec> = new Map(MODEL_LIST.map((m) => [m.id, m]));

/** The model with this id, if known. */
export function findModel(id: string): ModelSpec | undefined {
  return MODELS.get(id);
}

/** Pixel sizes (`W*H`) by resolution tier and ratio; 480P has no 4:3 or 3:4 sizes. */
export const SIZES: Readonly<Record<Resolution, Partial<Record<Ratio, string>>>> = {
  '480P': { '16:9': '832*480', '9:16': '480*832', '1:1': '624*624' },
  '720P': { '16:9': '1280*720', '9:16': '720*1280', '1:1': '960*960', '4:3': '1088*832', '3:4': '832*1088' },
  '1080P': { '16:9': '1920*1080', '9:16': '1080*1920', '1:1': '1440*1440', '4:3': '1632*1248', '3:4': '1248*1632' },
};

/** The size string for a tier and ratio, if the API defines one. */
export function sizeFor(resolution: Resolution, ratio: Ratio): string | undefined {
  return SIZES[resolution][ratio];
}

/** The tier and ratio a size string stands for, if any. */
export function parseSize(size: string): { resolution: Resolution; ratio: Ratio } | undefined {
  for (const [resolution, byRatio] of Object.entries(SIZES) as [Resolution, Partial<Record<Ratio, string>>][]) {
    for (const [ratio, s] of Object.entries(byRatio) as [Ratio, string][]) if (s === size) return { resolution, ratio };
  }
  return undefined;
}

/** Sizes a size-style model accepts. */
export function sizesOf(model: ModelSpec): string[] {
  return model.resolutions.flatMap((r) => model.ratios.map((q) => sizeFor(r, q)).filter((s): s is string => !!s));
}

/** True when `seconds` is a duration the model accepts. */
export function durationAllowed(rule: DurationRule, seconds: number): boolean {
  if (!Number.isInteger(seconds)) return false;
  return rule.kind === 'range' ? seconds >= rule.min && seconds <= rule.max : rule.values.includes(seconds);
}

/** Largest single-clip duration a model accepts. */
export function maxDuration(rule: DurationRule): number {
  return rule.kind === 'range' ? rule.max : Math.max(...rule.values);
}

/** Human wording of a duration rule, e.g. "whole seconds from 2 to 15" or "5 or 10 seconds". */
export function describeDuration(rule: DurationRule): string {
  if (rule.kind === 'range') return `whole seconds from ${rule.min} to ${rule.max}`;
  if (rule.values.length === 1) return `exactly ${rule.values[0]} seconds`;
  return `${rule.values.slice(0, -1).join(', ')} or ${rule.values[rule.values.length - 1]} seconds`;
}

/** Pixel count a tier aims at (its 16:9 size). */
function tierPixels(resolution: Resolution): number {
  const [w, h] = (SIZES[resolution]['16:9'] ?? '0*0').split('*').map(Number);
  return (w ?? 0) * (h ?? 0);
}

/**
 * Output dimensions of an image-driven model: the input's aspect ratio kept, total pixels near the
 * tier's, both sides multiples of 16 (reference §2.4: 750×1000 at 720P → 816×1104).
 */
export function framedDimensions(resolution: Resolution, aspect: number): { width: number; height: number } {
  const height = Math.sqrt(tierPixels(resolution) / aspect);
  const floor16 = (x: number): number => Math.max(16, Math.floor(x / 16 + 1e-6) * 16);
  return { width: floor16(height * aspect), height: floor16(height) };
}
