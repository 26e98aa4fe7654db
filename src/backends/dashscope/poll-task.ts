// Polls one DashScope task until it reaches a final status (rate limited, retried, abortable), reporting
// rough progress on the way.
import { BackendError } from '../backend.js';
import type { DashscopeClient, TaskState } from './dashscope-client.js';
import { DashscopeError, isRetryable } from './dashscope-error.js';
import { pollDelayMs, progressFraction } from './poll-schedule.js';
import type { SlidingWindowLimiter } from './rate-limiter.js';
import { redactedMessage } from './redact.js';
import { withRetry, type RetryPolicy } from './with-retry.js';

/** Statuses after which a task never changes. */
const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['SUCCEEDED', 'FAILED', 'CANCELED', 'UNKNOWN']);

/** What polling needs. */
export interface PollContext {
  readonly client: DashscopeClient;
  /** Shared by every task of the backend: at most 20 queries per second overall. */
  readonly queryLimiter: SlidingWindowLimiter;
  readonly retry: RetryPolicy;
  readonly now: () => number;
  /** Seconds between queries; the last entry repeats. */
  readonly schedule: readonly number[];
  readonly timeoutMs: number;
  readonly expectedMs: number;
  readonly signal: AbortSignal;
  readonly onProgress?: (fraction: number) => void;
}

/** One query, rate limited and retried; the limiter is awaited again by every retry. */
function queryTask(ctx: PollContext, taskId: string): Promise<TaskState> {
  return withRetry(async () => {
    await ctx.queryLimiter.acquire(ctx.signal);
    return ctx.client.getTask(taskId, ctx.signal);
  }, ctx.retry, {
    shouldRetry: isRetryable,
    retryAfterMs: (e) => (e instanceof DashscopeError && e.retryAfter !== undefined ? e.retryAfter * 1000 : undefined),
    signal: ctx.signal,
  });
}

/**
 * Queries the task on the schedule until it is SUCCEEDED, FAILED, CANCELED or UNKNOWN. Losing contact or
 * running out of time throws a BackendError with keepTask, since the task may still finish and be collected.
 */
export async function pollTask(ctx: PollContext, taskId: string): Promise<TaskState> {
  const started = ctx.now();
  let reported = 0;
  for (let index = 0; ; index++) {
    let state: TaskState | undefined;
    try {
      state = await queryTask(ctx, taskId);
    } catch (e) {
      if (ctx.signal.aborted) throw new BackendError('the run was stopped', true, 'Aborted');
      // the task is paid for and still running remotely: transient errors only delay the next look (as the SDK does)
      if (isRetryable(e) && ctx.now() - started < ctx.timeoutMs) {
        await pause(ctx, index);
        continue;
      }
      const why = e instanceof DashscopeError ? e.describe() : redactedMessage(e, ctx.client.secrets);
      throw new BackendError(`lost contact with DashScope while waiting for task ${taskId} (${why}); `
        + 'the task stays journaled and the next run collects it', true, e instanceof DashscopeError ? e.code : undefined);
    }
    if (state && TERMINAL_STATUSES.has(state.status)) return state;
    const elapsed = ctx.now() - started;
    if (elapsed >= ctx.timeoutMs) {
      throw new BackendError(`DashScope task ${taskId} is still ${state?.status ?? 'unanswered'} after ${Math.round(elapsed / 1000)} s; `
        + 'it stays journaled and the next run collects it', true, 'WaitTaskTimeout');
    }
    const fraction = progressFraction(elapsed, ctx.expectedMs);
    if (fraction > reported) ctx.onProgress?.((reported = fraction));
    await pause(ctx, index);
  }
}

/** Waits for the next query on the schedule. */
async function pause(ctx: PollContext, index: number): Promise<void> {
  try {
    await ctx.retry.sleep(pollDelayMs(ctx.schedule, index), ctx.signal);
  } catch {
    throw new BackendError('the run was stopped', true, 'Aborted');
  }
}
