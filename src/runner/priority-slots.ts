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
}

/**
 * Concurrency slots per model and overall, handed out by priority (highest first, then plan order)
 * rather than first come, first served: the clip with the longest chain still behind it starts first.
 */
export class PrioritySlots {
  private running = 0;
  private readonly perModel = new Map<string, number>();
  private readonly waiting: Waiter[] = [];

  constructor(private readonly overall: number, private readonly modelLimit: (model: string) => number) {}

  /** Waits for a slot for `model`; resolves with the function that frees it. */
  acquire(model: string, priority: number, order: number, signal?: AbortSignal): Promise<Release> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { model, priority, order, resolve };
      this.waiting.push(waiter);
      signal?.addEventListener('abort', () => {
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) {
          this.waiting.splice(i, 1);
          reject(new Error('the run was stopped'));
        }
      }, { once: true });
      this.dispatch();
    });
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
