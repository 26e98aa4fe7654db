// The shape of a model's entry in the registry (ModelSpec) and the API's resolution, ratio and size terms.
/** Resolution tiers of the Wan API (uppercase P, as sent). */
export type Resolution = '480P' | '720P' | '1080P';
/** Aspect ratios of the Wan API. */
export type Ratio = '16:9' | '9:16' | '1:1' | '4:3' | '3:4';
/** What a model generates from. */
export type ModelKind = 't2v' | 'i2v' | 'kf2v';
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
  };
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
