// Public types of the DashScope emulator (a local HTTP server speaking the Wan video and image protocols).
import type { FfmpegTools } from '../../media/ffmpeg-binaries.js';
import type { PreviewDrift } from '../preview/preview-drift.js';
import type { FaultRates } from './faults.js';

/** One reference of a reference-to-video task (a character), as the render callback receives it. */
export interface EmulatedReference {
  /** How the prompt names it: `Image 1`, `Video 1` (wan2.7) or `character1` (wan2.6). */
  readonly label: string;
  readonly kind: 'image' | 'video';
  /** The URL it was sent as. */
  readonly url: string;
  /** Its bytes, when uploaded here (`oss://`), inlined (`data:`) or a result file of this emulator. */
  readonly bytes?: Buffer;
  /** The item carries a `reference_voice`. */
  readonly voice: boolean;
}

/** The media of a video task the emulator reads by name. */
export type JobMediaName = 'first_frame' | 'last_frame' | 'audio' | 'first_clip';

/** A `first_clip` as probed: seconds and frames of its video, its size. */
export interface FirstClipFacts {
  readonly seconds: number;
  readonly frames: number;
  readonly width: number;
  readonly height: number;
}

/** What the emulator knows about one accepted video task; handed to the render callback. */
export interface EmulatedJob {
  readonly taskId: string;
  readonly model: string;
  /** The create body as parsed from JSON. */
  readonly body: Readonly<Record<string, unknown>>;
  /** Seconds: `parameters.duration` when valid, else the model default. */
  readonly duration: number;
  readonly width: number;
  readonly height: number;
  /** The model generates sound and `parameters.audio !== false`. */
  readonly audio: boolean;
  /** Bytes of the frames, audio and first clip the request points at, when uploaded here (`oss://`), inlined (`data:`) or made here. */
  readonly media?: Readonly<Partial<Record<JobMediaName, Buffer>>>;
  /**
   * Clip continuation (`first_clip`): the clip as probed. The result is this clip followed by `duration` new seconds;
   * only the new seconds are billed (the clip's length is reported as `input_video_duration`).
   */
  readonly firstClip?: FirstClipFacts;
  /** Reference-to-video models: the references in the order sent (first_frame excluded). */
  readonly references?: readonly EmulatedReference[];
  /** Input video seconds billed on top of the output (reference videos, capped as the model's rules say); 0 without. */
  readonly inputVideoSeconds: number;
}

/** What the emulator knows about one accepted image request (async task or sync call); handed to the image render. */
export interface ImageJob {
  /** Task id, or a generated id for a sync call. */
  readonly taskId: string;
  readonly model: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly prompt: string;
  readonly negativePrompt?: string;
  /** Images asked for (`parameters.n`, else the model default). */
  readonly n: number;
  /** Exact pixel size of every image. */
  readonly width: number;
  readonly height: number;
  /** The input images in order: their bytes, or undefined for one the emulator cannot read (an outside URL). */
  readonly inputImages: readonly (Buffer | undefined)[];
}

/** Draws image `index` (0-based) of a job as a PNG of exactly `job.width`×`job.height` at `outFile`; must honour `signal`. */
export type EmulatorImageRender = (job: ImageJob, index: number, outFile: string, signal: AbortSignal) => Promise<void>;

/** Produces the result video of a task at `outFile`; must honour `signal` (aborted on close). */
export type EmulatorRender = (job: EmulatedJob, outFile: string, signal: AbortSignal) => Promise<void>;

/** Options of {@link startEmulator}; every field is optional. */
export interface EmulatorOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** The only accepted key; when unset any key starting with `sk-` is accepted. */
  apiKey?: string;
  /** Seconds a task runs (RUNNING → SUCCEEDED/FAILED); default 1. */
  latency?: number;
  /** Seconds a new task stays PENDING before it may be scheduled; default 0.05. */
  pendingDelay?: number;
  /** Fault probabilities, as a spec like `"throttle=0.3,server=0.1,task=0.05,truncate=0.05,image=0.2"` or an object. */
  faults?: string | Partial<FaultRates>;
  /** Seed of the fault PRNG (default 1), so runs are reproducible. */
  seed?: number;
  /**
   * Emulated-time multiplier (3600: 24 h pass in 24 s) for timestamps and the long expiries — tasks and
   * result URLs (24 h), oss:// objects (48 h). Upload policies (300 s) stay on real time. Ignored when `now` is given.
   */
  timeScale?: number;
  /** Emulated wall clock in epoch ms, for timestamps and every expiry (including upload policies). */
  now?: () => number;
  /** Makes result videos; default: a tiny MP4 of the right duration/size via ffmpeg. */
  render?: EmulatorRender;
  /**
   * Simulated drift of image-to-video results (issue 15), as a spec like `cast:6,-2,-5;gain:1.04;blur:0.6` or an
   * object: results are drawn by the preview renderer, each drifting one hop from its first frame. Not with `render`
   * (pass `previewRender(tools, { drift })` as the render instead).
   */
  drift?: string | PreviewDrift;
  /** Makes result images; default: a PNG card of the exact size showing the prompt and the input images, via ffmpeg. */
  imageRender?: EmulatorImageRender;
  /** ffmpeg for the default renders and for probing reference videos; resolved with `resolveFfmpeg()` when absent. */
  ffmpeg?: FfmpegTools;
  /** Directory for result videos; default a fresh temporary directory removed on close. */
  dir?: string;
  /** Task-query limit per second over all task routes; default 20 (as the real service). */
  queryRps?: number;
  /** Overrides every model's submission RPS from the registry (e.g. `Infinity` for load tests). */
  submitRps?: number;
  /** Largest number of tasks kept (oldest finished ones are dropped first); default 10 000. */
  maxTasks?: number;
  /** Largest accepted upload in MB (also `max_file_size_mb` in the policy); default 20. */
  maxUploadMb?: number;
  /** Bounds of the request log (`requests()`, `/_emulator/headers`): entries and bytes kept; default 10,000 and 4 MiB. */
  logLimits?: { readonly requests?: number; readonly bytes?: number };
}

/** Counters returned by `GET /_emulator/stats`. */
export interface EmulatorStats {
  /** Paid requests accepted: async video and image tasks, and sync image calls. */
  submitted_tasks: number;
  /** Video seconds billed: output seconds plus billed input video seconds (reference videos); a first_clip's seconds are not billed. */
  billed_seconds: number;
  /** Seconds of `first_clip` inputs of succeeded tasks (clip continuation): repeated in the results, not billed. */
  first_clip_seconds: number;
  /** Images billed: only the images that were made (a partly failed task bills its succeeded images). */
  billed_images: number;
  succeeded: number;
  failed: number;
  canceled: number;
  queries: number;
  throttled: number;
  server_errors: number;
  uploads: number;
  downloads: number;
  peak_query_rate: number;
  max_running: Record<string, number>;
}

/**
 * One received HTTP request (any route except `/_emulator/*`), with every credential redacted: credential headers
 * read `***` (Authorization `Bearer ***`), and the request's credential, the emulator's key and `sk-…` tokens are
 * `***` wherever else they appear. Values longer than 256 characters are cut (`…(N bytes)`).
 */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly status: number;
  /** Where a secret was found and redacted (`url`, header names), so a test can tell which requests carried a key. */
  readonly redacted: readonly string[];
}

/** One create request whose body parsed as JSON, with what the emulator answered. */
export interface RecordedCreate {
  readonly path: string;
  readonly body: unknown;
  readonly status: number;
  readonly taskId?: string;
}

/** A running emulator. */
export interface Emulator {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `http://127.0.0.1:PORT/api/v1` — what a client uses as its DashScope base URL. */
  readonly baseUrl: string;
  readonly port: number;
  /** Same as `GET /_emulator/stats`. */
  stats(): EmulatorStats;
  /** Same as `GET /_emulator/requests`: every create body received, in order. */
  creates(): readonly RecordedCreate[];
  /** Same as `GET /_emulator/headers`: the latest requests' method, URL, redacted headers and status. */
  requests(): readonly RecordedRequest[];
  /** Stops listening, aborts renders, clears timers and removes the default temporary directory. */
  close(): Promise<void>;
}
