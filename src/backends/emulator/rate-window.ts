// Sliding one-second windows over real (monotonic) time, for submission RPS, the 20-QPS task-query
// limit and the peak query rate. Rate limits never follow the emulated (scaled) clock.
import { performance } from 'node:perf_hooks';

const WINDOW_MS = 1000;
/** Hard cap on remembered timestamps per window, so a flood cannot grow memory without bound. */
const MAX_ENTRIES = 100_000;

/** Timestamps of events within the last second. */
export class RateWindow {
  private times: number[] = [];
  private head = 0;
  private peakCount = 0;

  constructor(private readonly clock: () => number = () => performance.now()) {}

  /** Events within the last second. */
  count(): number {
    this.prune(this.clock());
    return this.times.length - this.head;
  }

  /** Records an event now; returns how many there were in the last second including it. */
  add(): number {
    const now = this.clock();
    this.prune(now);
    if (this.times.length - this.head < MAX_ENTRIES) this.times.push(now);
    const n = this.times.length - this.head;
    this.peakCount = Math.max(this.peakCount, n);
    return n;
  }

  /** Records an event unless `limit` were already recorded in the last second; true when recorded. */
  tryAdd(limit: number): boolean {
    if (this.count() >= limit) return false;
    this.add();
    return true;
  }

  /** Most events seen in any one-second window. */
  peak(): number {
    return this.peakCount;
  }

  private prune(now: number): void {
    while (this.head < this.times.length && (this.times[this.head] ?? now) <= now - WINDOW_MS) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }
}

/** One window per key (e.g. per model), created on first use. */
export class KeyedRateWindows {
  private readonly windows = new Map<string, RateWindow>();

  /** The window of `key`. */
  of(key: string): RateWindow {
    let w = this.windows.get(key);
    if (!w) this.windows.set(key, (w = new RateWindow()));
    return w;
  }
}
