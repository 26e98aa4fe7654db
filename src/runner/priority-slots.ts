// Concurrency slots per model and overall, given out by priority: the clip with the longest chain still behind
// it starts first.
import { upstreamFirst } from '../compiler/plan/upstream-first.js';

/** Frees a slot. */
type Release = () => void;

interface Waiter {
  readonly model: string;
  readonly priority: number;
  readonly order: number;
  readonly resolve: (release: Release) => void;
  readonly reject: (error: Error) => void;
  readonly signal?: AbortSignal;
}

/**
 * Concurrency slots per model and overall, handed out by priority (highest first, then plan order)
 * rather than first come, first served: the clip with the longest chain still behind it starts first.
 */
export class PrioritySlots {
  private running = 0;
  private readonly perModel = new Map<string, number>();
  private readonly waiting: Waiter[] = [];
  /** One abort listener per signal that waiters hold, with how many hold it; removed when none does. */
  private readonly watched = new Map<AbortSignal, { readonly onAbort: () => void; waiters: number }>();

  constructor(private readonly overall: number, private readonly modelLimit: (model: string) => number) {}

  /** Waits for a slot for `model`; resolves with the function that frees it (rejects when `signal` aborts first). */
  acquire(model: string, priority: number, order: number, signal?: AbortSignal): Promise<Release> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new Error('the run was stopped'));
      this.waiting.push({ model, priority, order, resolve, reject, ...(signal ? { signal } : {}) });
      if (signal) this.watch(signal);
      this.dispatch();
    });
  }

  /**
   * Listens once per signal, not once per waiter: a listener per clip would pile up on the run's signal (Node
   * warns past ten), and one left behind after the slot is granted would never go.
   */
  private watch(signal: AbortSignal): void {
    const known = this.watched.get(signal);
    if (known) {
      known.waiters++;
      return;
    }
    const onAbort = (): void => {
      this.watched.delete(signal);
      for (let i = this.waiting.length - 1; i >= 0; i--) {
        const w = this.waiting[i] as Waiter;
        if (w.signal !== signal) continue;
        this.waiting.splice(i, 1);
        w.reject(new Error('the run was stopped'));
      }
    };
    this.watched.set(signal, { onAbort, waiters: 1 });
    signal.addEventListener('abort', onAbort, { once: true });
  }

  /** A waiter holding `signal` got its slot: stop listening once none waits on it. */
  private unwatch(signal: AbortSignal | undefined): void {
    const known = signal && this.watched.get(signal);
    if (!signal || !known || --known.waiters > 0) return;
    this.watched.delete(signal);
    signal.removeEventListener('abort', known.onAbort);
  }

  private dispatch(): void {
    this.waiting.sort((a, b) => b.priority - a.priority || a.order - b.order);
    for (let i = 0; i < this.waiting.length && this.running < this.overall;) {
      const w = this.waiting[i] as Waiter;
      const used = this.perModel.get(w.model) ?? 0;
      if (used >= Math.max(1, this.modelLimit(w.model))) {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      this.unwatch(w.signal);
      this.running++;
      this.perModel.set(w.model, used + 1);
      let released = false;
      w.resolve(() => {
        if (released) return;
        released = true;
        this.running--;
        this.perModel.set(w.model, (this.perModel.get(w.model) ?? 1) - 1);
        this.dispatch();
      });
    }
  }
}

/**
 * Each job's priority: its own seconds plus the longest chain of dependents after it (its "bottom level").
 * Computed in one pass from the last clips of the chains back (no recursion: a chain may be 100,000 clips long).
 */
export function bottomLevels(jobs: readonly { id: string; dependsOn: readonly string[]; seconds: number }[]): Map<string, number> {
  const dependents = new Map<string, string[]>();
  for (const j of jobs) {
    for (const d of j.dependsOn) {
      const list = dependents.get(d);
      if (list) list.push(j.id);
      else dependents.set(d, [j.id]);
    }
  }
  const level = new Map<string, number>();
  // upstream-first order reversed: every job's dependents are levelled before it
  const order = upstreamFirst(jobs, (j) => j.id, (j) => j.dependsOn);
  for (let i = order.length - 1; i >= 0; i--) {
    const j = order[i] as (typeof jobs)[number];
    let after = 0;
    for (const d of dependents.get(j.id) ?? []) after = Math.max(after, level.get(d) ?? 0);
    level.set(j.id, j.seconds + after);
  }
  return new Map(jobs.map((j) => [j.id, level.get(j.id) ?? j.seconds]));
}
