// What one DashScope backend instance shares between its clips and stills: the client, retry policy, rate
// limiters, uploader, poll schedule, time limits, task claims and the per-item abort signals.
import type { ClipSignals } from './clip-signal.js';
import type { DashscopeClient } from './dashscope-client.js';
import type { SlidingWindowLimiter } from './rate-limiter.js';
import type { TaskClaims } from './task-claims.js';
import type { InputUploader } from './upload-input.js';
import type { RetryPolicy } from './with-retry.js';

/** Everything one backend instance shares between its clips and stills. */
export interface Shared {
  readonly client: DashscopeClient;
  readonly retry: RetryPolicy;
  readonly now: () => number;
  readonly queryLimiter: SlidingWindowLimiter;
  readonly submitLimiter: (model: string) => SlidingWindowLimiter;
  readonly uploader: InputUploader;
  readonly schedule: readonly number[];
  readonly timeoutMs: number;
  readonly giveUpMs: number;
  readonly maxResubmits: number;
  /** Which clip or still each task this backend created or verified belongs to. */
  readonly claims: TaskClaims;
  /** Each clip's or still's own abort signal, off one listener on the run's. */
  readonly signals: ClipSignals;
}
