// Everything the emulator's route handlers share.
import type { ImageModelSpec, ModelSpec } from '../../compiler/models/types.js';
import type { FfmpegTools } from '../../media/ffmpeg-binaries.js';
import type { BoundedLog } from './bounded-log.js';
import type { Clock } from './clock.js';
import type { FaultInjector } from './faults.js';
import type { MediaSource } from './input-urls.js';
import { readOwnFile } from './own-files.js';
import type { KeyedRateWindows, RateWindow } from './rate-window.js';
import type { TaskStore } from './task-store.js';
import type { EmulatorStats, RecordedCreate } from './types.js';
import type { UploadStore } from './upload-store.js';

/** Shared state of one emulator instance. */
export interface EmulatorContext {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly apiKey?: string;
  /** Emulated clock: timestamps and the long expiries (tasks and result URLs 24 h, oss:// objects 48 h). */
  readonly clock: Clock;
  /** Clock of the 300-second upload policies: the injected `now`, else real time (never scaled). */
  readonly policyClock: Clock;
  readonly faults: FaultInjector;
  readonly store: TaskStore;
  readonly uploads: UploadStore;
  readonly stats: EmulatorStats;
  readonly creates: BoundedLog<RecordedCreate>;
  /** Directory of the result files. */
  readonly dir: string;
  /** ffmpeg and ffprobe (the configured tools, else resolved on first use): probing reference media. */
  readonly tools: () => Promise<FfmpegTools>;
  /** Submission RPS of a model (registry, or the `submitRps` override). */
  readonly submitRps: (model: ModelSpec | ImageModelSpec) => number;
  readonly submitWindows: KeyedRateWindows;
  readonly policyWindows: KeyedRateWindows;
  readonly queryRps: number;
  /** Accepted task queries (the 20-QPS limit). */
  readonly queryWindow: RateWindow;
  /** Every task-query attempt, for `peak_query_rate`. */
  readonly queryAttempts: RateWindow;
  readonly maxUploadBytes: number;
  /** Secret for URL and policy signatures, and the access key id shown in them. */
  readonly secret: string;
  readonly accessKeyId: string;
}

/** 429 body of every rate limit (reference §3.5). */
export const RATE_QUOTA = { code: 'Throttling.RateQuota', message: 'Requests rate limit exceeded, please try again later.' } as const;
/** Retry-After sent with every 429 (the real header is undocumented). */
export const RETRY_AFTER = { 'Retry-After': '1' } as const;

/** Where a request for `model` may take media bytes from: its uploads, data URIs and this emulator's result URLs. */
export function mediaSource(ctx: EmulatorContext, model: string): MediaSource {
  const own = { origin: ctx.url, dir: ctx.dir, secret: ctx.secret, accessKeyId: ctx.accessKeyId, nowMs: ctx.clock };
  return { uploads: ctx.uploads, model, nowMs: ctx.clock(), readOwn: (url) => readOwnFile(url, own) };
}
