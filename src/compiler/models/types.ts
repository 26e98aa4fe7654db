// The shape of a model's entry in the registry (ModelSpec) and the API's resolution, ratio and size terms.
/** Resolution tiers of the Wan API (uppercase P, as sent). */
export type Resolution = '480P' | '720P' | '1080P';
/** Aspect ratios of the Wan API. */
export type Ratio = '16:9' | '9:16' | '1:1' | '4:3' | '3:4';
/** What a video model generates from: text, a first frame, first and last frames, or references (characters). */
export type ModelKind = 't2v' | 'i2v' | 'kf2v' | 'r2v';
/** How a model is told its output dimensions. */
export type Sizing = 'resolution+ratio' | 'size' | 'resolution';
/** The two create-task paths. */
export type EndpointPath =
  | '/api/v1/services/aigc/video-generation/video-synthesis'
  | '/api/v1/services/aigc/image2video/video-synthesis';

/** Which whole-second durations a model accepts. */
export type DurationRule =
  | { readonly kind: 'range'; readonly min: number; readonly max: number; readonly default: number }
  | { readonly kind: 'set'; readonly values: readonly number[]; readonly default: number };

/** Limits on an input image. */
export interface ImageLimits {
  readonly minSide: number;
  readonly maxSide: number;
  readonly maxBytes: number;
  /** Largest allowed long-side/short-side ratio (8 means 1:8 to 8:1), if limited. */
  readonly maxAspect?: number;
}

/** Limits on an input audio file (wav/mp3). */
export interface AudioInput {
  readonly field: 'audio_url' | 'driving_audio';
  readonly minSeconds: number;
  readonly maxSeconds: number;
  readonly maxBytes: number;
}

/** Limits on an input video (a reference video). */
export interface VideoLimits {
  readonly minSeconds: number;
  readonly maxSeconds: number;
  readonly maxBytes: number;
}

/**
 * How a reference-to-video model takes references (a scene's characters): the field they are sent in, how the
 * prompt names them, and the model's counts and limits.
 */
export interface ReferenceRules {
  /** wan2.7: `input.media` items typed `reference_image` / `reference_video`; wan2.6: `input.reference_urls`. */
  readonly field: 'media' | 'reference_urls';
  /** `per-type`: `Image 1`, `Video 1`, numbered per type in the order sent; `character`: `character1`, `character2`, … in order. */
  readonly labels: 'per-type' | 'character';
  readonly maxImages: number;
  readonly maxVideos: number;
  readonly maxTotal: number;
  /** Each reference must show one subject (one character). */
  readonly oneSubject: boolean;
  readonly image: ImageLimits;
  readonly video: VideoLimits;
  /** A reference voice (timbre) per reference item, if the model takes one. */
  readonly voice?: { readonly minSeconds: number; readonly maxSeconds: number; readonly maxBytes: number };
  /** Longest output when any reference is a video (wan2.7-r2v: 10 s). */
  readonly maxDurationWithVideo?: number;
  /** Input video seconds billed on top of the output, capped at this many seconds; absent: input is free. */
  readonly billedInputVideoCap?: number;
}

/** Everything the compiler and runner need to know about one model. */
export interface ModelSpec {
  readonly id: string;
  /** `wan2.7`, `wan2.6`, …: models of one family share prompt conventions. */
  readonly family: string;
  readonly kind: ModelKind;
  readonly endpoint: EndpointPath;
  readonly sizing: Sizing;
  readonly resolutions: readonly Resolution[];
  readonly defaultResolution: Resolution;
  /** Ratios accepted with `ratio` (resolution+ratio models) or available as sizes (size models). */
  readonly ratios: readonly Ratio[];
  readonly duration: DurationRule;
  readonly prompt: { readonly max: number; readonly required: boolean };
  readonly negativePromptMax: number;
  /** Whether output has a sound track by default; what audio input it takes; whether it can be forced silent. */
  readonly audio: { readonly generates: boolean; readonly input?: AudioInput; readonly canSilence: boolean };
  /** `prompt`: shots described as `Shot 1 [0-3 s]: …`; `shot_type`: that plus `shot_type: "multi"`; `none`. */
  readonly multiShot: 'prompt' | 'shot_type' | 'none';
  /** How first and last frames are sent, if at all. */
  readonly frames: {
    readonly first?: 'media' | 'img_url' | 'first_frame_url';
    readonly last?: 'media' | 'last_frame_url';
    readonly firstRequired: boolean;
    readonly lastRequired: boolean;
    readonly image?: ImageLimits;
    /** Clip continuation (`first_clip` in `media`): the output repeats this clip, then adds `duration` new seconds. */
    readonly clip?: { readonly minSeconds: number; readonly maxSeconds: number; readonly maxBytes: number; readonly minSide: number; readonly maxSide: number };
  };
  /** Reference-to-video models: how references are taken. */
  readonly references?: ReferenceRules;
  /** Model used for continuation clips (first frame = previous clip's last frame), if the family has one. */
  readonly continuation?: string;
  /** Per-account submission rate (tasks/s) and concurrently running tasks. */
  readonly limits: { readonly rps: number; readonly concurrency: number };
  /** USD per generated second by resolution; `silentPrice` when audio is switched off. */
  readonly price: Partial<Record<Resolution, number>>;
  readonly silentPrice?: Partial<Record<Resolution, number>>;
  /** Where a figure is uncertain, why. */
  readonly note?: string;
}

/** The three ways an image model is called. */
export type ImageEndpointPath =
  /** legacy text-to-image, async: `input.prompt`, result `output.results[].url` */
  | '/api/v1/services/aigc/text2image/image-synthesis'
  /** wan2.6/2.7 image, async: `input.messages`, result `output.choices[].message.content[].image` */
  | '/api/v1/services/aigc/image-generation/generation'
  /** wan2.6/2.7 image, sync (no task): same body and result as the async form, answered at once */
  | '/api/v1/services/aigc/multimodal-generation/generation';

/** Which image sizes a model accepts. */
export type ImageSizeRule =
  /** any `W*H` with both sides in [minSide, maxSide] (and at most maxPixels), or a named size */
  | { readonly kind: 'pixels'; readonly minSide: number; readonly maxSide: number; readonly minPixels?: number; readonly maxPixels?: number; readonly maxAspect?: number; readonly named: readonly string[]; readonly default: string }
  /** exactly one of these `W*H` sizes (or a named size) */
  | { readonly kind: 'list'; readonly values: readonly string[]; readonly named: readonly string[]; readonly default: string };

/** An image model (stills: keyframes, character sheets): an entry of the image registry. */
export interface ImageModelSpec {
  readonly id: string;
  readonly family: string;
  readonly kind: 't2i';
  readonly endpoint: ImageEndpointPath;
  /** `async`: a task polled like a clip's; `sync`: one call that answers with the image. */
  readonly mode: 'async' | 'sync';
  /** `prompt`: `input.prompt` (+ `input.negative_prompt`); `messages`: `input.messages[0].content` (+ `parameters.negative_prompt`). */
  readonly protocol: 'prompt' | 'messages';
  readonly sizes: ImageSizeRule;
  /** Pixel size assumed for a named size (`1K`, `2K`, `4K`), for the expected output. */
  readonly namedPixels?: Readonly<Record<string, string>>;
  readonly prompt: { readonly max: number };
  readonly negativePromptMax: number;
  /** Images per request by default (legacy models make 4 unless told) and at most. Stills always send `n: 1`. */
  readonly n: { readonly default: number; readonly max: number };
  /** Input images it takes with the prompt (image editing / references); 0 for text-only models. */
  readonly inputImages: number;
  readonly inputImage?: ImageLimits;
  readonly limits: { readonly rps: number; readonly concurrency: number };
  /** USD per generated image. */
  readonly pricePerImage: number;
  readonly note?: string;
}
