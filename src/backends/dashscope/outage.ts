// Waiting out a DashScope outage in one operation (polling a task, submitting, reading the task list): backs off
// (honouring Retry-After), says what it waits for and when it tries again, and gives up after a bounded time.
import { DashscopeError } from './dashscope-error.js';
import { redactedMessage } from './redact.js';
import { retryDelayMs, type RetryPolicy } from './with-retry.js';

/** What waiting needs. */
export interface OutagePolicy {
  readonly retry: RetryPolicy;
  readonly now: () => number;
  /** How long the service may stay unreachable (or keep refusing) before the operation gives up. */
  readonly giveUpMs: number;
  readonly signal: AbortSignal;
  /** Hears every wait: what failed, what is waited for, when the next try is. */
  readonly notify?: (message: string) => void;
  readonly secrets: readonly string[];
}

/** The operation gave up: `summary` says how long the service was in what state, and while doing what. */
export class OutageGiveUp extends Error {
  override readonly name = 'OutageGiveUp';
  constructor(readonly summary: string, readonly lastError: unknown) {
    super(`gave up after ${summary}`);
  }
}

/** How the service behaved: no answer (network, 5xx gateways) or throttling. */
function condition(error: unknown): string {
  if (error instanceof DashscopeError && error.status === 429) return 'throttling requests';
  if (error instanceof DashscopeError && error.status >= 500) return 'failing';
  return 'unreachable';
}

const seconds = (ms: number): string => (ms < 10_000 ? (ms / 1000).toFixed(1) : String(Math.round(ms / 1000)));

/**
 * One operation's outage: `failed` waits before the next try (exponential backoff with jitter, or the server's
 * Retry-After) and tells `notify`, or throws {@link OutageGiveUp} once the failures have lasted `giveUpMs`;
 * `ok` ends the outage. Waits never run past the give-up time.
 */
export class Outage {
  private since: number | undefined;
  private attempt = 0;

  constructor(private readonly policy: OutagePolicy, private readonly doing: string) {}

  /** The service answered: the outage (if any) is over. */
  ok(): void {
    this.since = undefined;
    this.attempt = 0;
  }

  /** The service answered something else (e.g. the task list): the backoff starts small again; the give-up clock runs on. */
  reached(): void {
    this.attempt = 0;
  }

  /** Waits before trying again after `error`, or gives up. Rejects (with the abort reason) when the run stops. */
  async failed(error: unknown): Promise<void> {
    const p = this.policy;
    const now = p.now();
    this.since ??= now;
    const lasted = now - this.since;
    const why = error instanceof DashscopeError ? error.describe() : redactedMessage(error, p.secrets);
    if (lasted >= p.giveUpMs) {
      throw new OutageGiveUp(`DashScope was ${condition(error)} for ${Math.round(lasted / 1000)} s (${why}) while ${this.doing}`, error);
    }
    const asked = error instanceof DashscopeError && error.retryAfter !== undefined ? error.retryAfter * 1000 : undefined;
    // a throttling answer proves the service is there: only failures in a row without one grow the backoff
    if (error instanceof DashscopeError && error.status === 429) this.attempt = 0;
    const delay = Math.max(1, Math.min(retryDelayMs(p.retry, this.attempt++, asked), p.giveUpMs - lasted));
    p.notify?.(`DashScope ${condition(error)} (${why}) while ${this.doing}; trying again in ${seconds(delay)} s (giving up after ${seconds(p.giveUpMs)} s without an answer)`);
    await p.retry.sleep(delay, p.signal);
  }
}
