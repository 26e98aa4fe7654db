// Retries with exponential backoff and jitter, honouring a server's Retry-After. Small on purpose: the
// well-kept libraries (p-retry 7+) need Node 22, and this project supports Node 20.

/** Sleeps `ms` (rejecting when `signal` aborts). */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** How to retry. */
export interface RetryPolicy {
  /** Further attempts after the first. */
  readonly retries: number;
  /** Backoff before retry n (0-based) is about `baseDelayMs · 2^n`, capped at `maxDelayMs`, with jitter. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Longest `Retry-After` honoured; longer requests wait this long. */
  readonly maxRetryAfterMs: number;
  readonly sleep: Sleep;
  /** Uniform [0, 1); injectable for tests. */
  readonly random: () => number;
}

/** What one call of {@link withRetry} needs besides the policy. */
interface RetryCall {
  readonly shouldRetry: (error: unknown) => boolean;
  /** Milliseconds the server asked to wait, if it did. */
  readonly retryAfterMs?: (error: unknown) => number | undefined;
  readonly signal?: AbortSignal;
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** The wait before retry `attempt` (0-based): Retry-After plus a little jitter, else backoff with equal jitter. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfterMs: number | undefined): number {
  if (retryAfterMs !== undefined) {
    return Math.min(policy.maxRetryAfterMs, retryAfterMs) + Math.floor(policy.random() * Math.min(1000, policy.baseDelayMs));
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + policy.random() * (ceiling / 2));
}

/** Runs `fn` until it succeeds, a failure is not retryable, the retries are spent, or `signal` aborts. */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, policy: RetryPolicy, call: RetryCall): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= policy.retries || call.signal?.aborted || !call.shouldRetry(error)) throw error;
      const delay = retryDelayMs(policy, attempt, call.retryAfterMs?.(error));
      call.onRetry?.(error, attempt, delay);
      await policy.sleep(delay, call.signal);
    }
  }
}
