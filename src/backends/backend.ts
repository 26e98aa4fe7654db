// The Backend interface: what the runner hands a backend to make one clip (RenderRequest), what it gets back,
// the task journal it records remote tasks in, and its timing; the runner knows backends only through this file.
import type { ClipJob, InputName, StillJob } from '../compiler/plan/types.js';
import type { OnRepair } from '../diagnostics/repair.js';
import type { FfmpegTools } from '../media/ffmpeg-binaries.js';

/** An input of a clip, resolved by the runner: a local file (keyframe, extracted last frame, audio) or a URL. */
export type ResolvedInput = { readonly file: string; readonly sha256: string } | { readonly url: string };

/**
 * What the journal holds for a clip key: a submitted task; a create whose answer never came (a paid task may
 * exist, `maybe-submitted`); or an entry that could not be read (`damaged`, with what is wrong). `since` is when
 * it was written (epoch ms), when known.
 */
export type JournalEntry =
  | { readonly state: 'submitted'; readonly taskId: string; readonly since?: number }
  | { readonly state: 'maybe-submitted'; readonly since?: number }
  | { readonly state: 'damaged'; readonly since?: number; readonly problem: string };

/** Where a backend records remote tasks so that a killed run can collect them instead of paying again. */
export interface TaskJournal {
  /** The task already submitted for this clip key, if any. */
  submitted(key: string): string | undefined;
  /** Durably records a submitted task before anything else happens. */
  record(key: string, taskId: string): Promise<void>;
  /** The whole entry of a clip key, as far as the journal could check it (optional: simple journals know only tasks). */
  entry?(key: string): JournalEntry | undefined;
  /** Durably marks a create about to be sent (its answer may be lost): a paid task may exist for this key from now on. */
  recordMaybe?(key: string): Promise<void>;
  /** Drops the entry of this key: it named another clip's task, or nothing paid stands behind it. */
  discard?(key: string): Promise<void>;
  /** Where the entry of this key is kept, for messages. */
  locate?(key: string): string;
}

/** Something a backend tells the user while it works: waiting on the service (and when it tries again), or what it found in the journal. */
export interface BackendNotice {
  readonly kind: 'waiting' | 'journal';
  readonly message: string;
}

/** What a backend is handed for one node of the graph, a clip or a still (besides the job itself). */
interface NodeRequest {
  /** Content key of the clip or still (cache key); stable for the same request and inputs. */
  readonly key: string;
  readonly inputs: ReadonlyMap<InputName, ResolvedInput>;
  /** Where to write the output, an MP4 or a PNG (the runner moves it into the cache after checking it). */
  readonly outFile: string;
  readonly ffmpeg: FfmpegTools;
  readonly journal: TaskJournal;
  readonly signal: AbortSignal;
  readonly onProgress?: (fraction: number) => void;
  /** Called by a remote backend when the task no longer occupies the service (e.g. finished, now downloading). */
  readonly releaseSlot?: () => void;
  /** Hears what the backend waits for and what it found (shown as the run's `notice` events). */
  readonly onNotice?: (notice: BackendNotice) => void;
  /** Hears the journal entries it discarded or replaced (shown as the run's `repair` events). */
  readonly onRepair?: OnRepair;
}

/** Everything a backend needs to make one clip (an MP4 at `outFile`). */
export interface RenderRequest extends NodeRequest {
  readonly job: ClipJob;
}

/** What a backend reports about a clip it made. */
export interface RenderOutcome {
  readonly taskId?: string;
  /** The prompt the provider actually used (after its rewriting), when it says. */
  readonly actualPrompt?: string;
  /** Seconds the provider billed. */
  readonly billedSeconds?: number;
}

/** Everything a backend needs to make one still (a PNG at `outFile`). Journaled and cached like a clip. */
export interface StillRenderRequest extends NodeRequest {
  readonly job: StillJob;
}

/** What a backend reports about a still it made. */
export interface StillOutcome {
  readonly taskId?: string;
  readonly actualPrompt?: string;
  /** Images the provider billed (1 for a still). */
  readonly billedImages?: number;
}

/**
 * How long a backend's clips take and how many may run at once: the assumptions of the wall-time
 * estimate (`estimateWallSeconds` in runner/budget.ts, shown by `storyboard plan`).
 */
export interface BackendTiming {
  /** Seconds one clip takes from submission to result. */
  readonly latency: (job: ClipJob) => number;
  /** Clips of one model at once. */
  readonly concurrency: (model: string) => number;
  /** Submissions per second per model (`Infinity`: unlimited). */
  readonly rps: (model: string) => number;
  /** Clips at once in all. */
  readonly overall: number;
  /** The assumption in words, for reports. */
  readonly assumption: string;
}

/** Makes clips: the local preview renderer or the DashScope API. */
export interface Backend {
  readonly name: 'preview' | 'dashscope' | (string & {});
  /** True when clips cost money (render asks for confirmation on a TTY). */
  readonly paid: boolean;
  /** Version of how this backend makes clips; part of the cache key, so a change re-renders. */
  readonly version: string;
  /** How many clips of a model may run at once on this backend. */
  concurrency(model: string): number;
  /** How many clips may run at once in all (local renderers are bound by cores, not by model). */
  readonly maxConcurrency?: number;
  /** How long its clips take, for the wall-time estimate; absent on stand-ins (e.g. test fakes). */
  readonly timing?: BackendTiming;
  render(request: RenderRequest): Promise<RenderOutcome>;
  /** Makes one still (a PNG at `outFile`); a backend without it cannot render storyboards with stills. */
  makeStill?(request: StillRenderRequest): Promise<StillOutcome>;
}

/**
 * A backend failure. `keepTask` says the remote task may still produce a result (e.g. polling lost
 * contact), so the journal keeps it and the next run collects it instead of paying again; otherwise
 * the task is finished (failed) and the next run submits anew.
 */
export class BackendError extends Error {
  constructor(message: string, readonly keepTask = false, readonly code?: string) {
    super(message);
  }
}
