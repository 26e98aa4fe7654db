// Polls one DashScope task until it reaches a final status (rate limited, abortable), reporting rough progress on
// the way; while the service is out of reach it backs off visibly and gives up after a bounded time.
import { BackendError } from '../backend.js';
import type { DashscopeClient, TaskState } from './dashscope-client.js';
import { DashscopeError, isRetryable } from './dashscope-error.js';
import { Outage, OutageGiveUp, type OutagePolicy } from './outage.js';
import { pollDelayMs, progressFraction } from './poll-schedule.js';
import type { SlidingWindowLimiter } from './rate-limiter.js';
import { redactedMessage } from './redact.js';

/** Statuses after which a task never changes. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['SUCCEEDED', 'FAILED', 'CANCELED', 'UNKNOWN']);

/** What polling needs. */
export interface PollContext {
  readonly client: DashscopeClient;
  /** Shared by every task of the backend: at most 20 queries per second overall. */
  readonly queryLimiter: SlidingWindowLimiter;
  /** Backoff, give-up time and notices while the service does not answer. */
  readonly outage: OutagePolicy;
  /** Seconds between queries; the last entry repeats. */
  readonly schedule: readonly number[];
  /** Longest wait for the task, answered or not. */
  readonly timeoutMs: number;
  readonly expectedMs: number;
  readonly onProgress?: (fraction: number) => void;
}

/**
 * Queries the task on the schedule until it is SUCCEEDED, FAILED, CANCELED or UNKNOWN. Failed queries back off
 * (each wait is announced); losing contact for the give-up time, running out of time, or an unexpected answer
 * throws a BackendError with keepTask, since the task may still finish and be collected by the next run.
 */
export async function pollTask(ctx: PollContext, taskId: string): Promise<TaskState> {
  const { now, signal } = ctx.outage;
  const started = now();
  const outage = new Outage(ctx.outage, `waiting for task ${taskId}`);
  let reported = 0;
  for (let index = 0; ; index++) {
    let state: TaskState;
    try {
      await ctx.queryLimiter.acquire(signal);
      state = await ctx.client.getTask(taskId, signal);
      outage.ok();
    } catch (e) {
      if (signal.aborted) throw new BackendError('the run was stopped', true, 'Aborted');
      if (isRetryable(e) && now() - started < ctx.timeoutMs) {
        await waitOut(outage, e);
        continue;
      }
      const why = e instanceof DashscopeError ? e.describe() : redactedMessage(e, ctx.client.secrets);
      throw new BackendError(`lost contact with DashScope while waiting for task ${taskId} (${why}); `
        + 'the task stays journaled and the next run collects it', true, e instanceof DashscopeError ? e.code : undefined);
    }
    if (TERMINAL_STATUSES.has(state.status)) return state;
    const elapsed = now() - started;
    if (elapsed >= ctx.timeoutMs) {
      throw new BackendError(`DashScope task ${taskId} is still ${state.status} after ${Math.round(elapsed / 1000)} s; `
        + 'it stays journaled and the next run collects it', true, 'WaitTaskTimeout');
    }
    const fraction = progressFraction(elapsed, ctx.expectedMs);
    if (fraction > reported) ctx.onProgress?.((reported = fraction));
    await pause(ctx, index);
  }
}

/** Backs off after a failed query, or gives up keeping the task journaled. */
async function waitOut(outage: Outage, error: unknown): Promise<void> {
  try {
    await outage.failed(error);
  } catch (e) {
    if (e instanceof OutageGiveUp) {
      throw new BackendError(`${e.message}: the task stays journaled and the next run collects it`, true, 'Unreachable');
    }
    throw new BackendError('the run was stopped', true, 'Aborted');
  }
}

/** Waits for the next query on the schedule. */
async function pause(ctx: PollContext, index: number): Promise<void> {
  try {
    await ctx.outage.retry.sleep(pollDelayMs(ctx.schedule, index), ctx.outage.signal);
  } catch {
    throw new BackendError('the run was stopped', true, 'Aborted');
  }
}
