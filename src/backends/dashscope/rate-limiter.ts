// A sliding-window rate limiter (first come, first served) for DashScope submissions per model and task
// queries per account.
import type { Sleep } from './with-retry.js';

/** Time as the limiter sees it; injectable so tests run on a fake clock. */
interface Clock {
  readonly now: () => number;
  readonly sleep: Sleep;
}

/**
 * At most `limit` grants in any `windowMs` (sliding window), shared by every caller; callers are served
 * in arrival order. Used for per-model task submissions (`limits.rps`) and the 20 QPS task-query limit.
 */
export class SlidingWindowLimiter {
  private readonly grants: number[] = [];
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly limit: number, private readonly windowMs: number, private readonly clock: Clock) {
    if (!(limit >= 1)) throw new RangeError(`a rate limit must allow at least 1 request, got ${limit}`);
  }

  /** Resolves when the caller may send one request (rejects if `signal` aborts while waiting). */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.tail.then(() => this.waitForSlot(signal));
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  private async waitForSlot(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.clock.now();
      while (this.grants.length > 0 && (this.grants[0] ?? 0) <= now - this.windowMs) this.grants.shift();
      const oldest = this.grants[0];
      if (this.grants.length < this.limit || oldest === undefined) {
        this.grants.push(now);
        return;
      }
      await this.clock.sleep(Math.max(1, oldest + this.windowMs - now), signal);
    }
  }
}
