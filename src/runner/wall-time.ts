// What a render would take in wall time: a simulation of the runner's schedule (longest remaining chain first)
// under a backend's limits. Pure; linear in the clips (a chain may be 100,000 clips long).
import type { BackendTiming } from '../backends/backend.js';
import type { ClipId, ClipJob, Plan, StillJob } from '../compiler/plan/types.js';
import { bottomLevels } from './priority-slots.js';

interface Sim {
  readonly timing: BackendTiming;
  /** The clips to render, highest priority first; a clip is named by its index here (its rank). */
  readonly queue: readonly ClipJob[];
  /** Per model, the ranks of the clips whose inputs are all made, as a min-heap. */
  readonly ready: Map<string, number[]>;
  readonly running: { readonly rank: number; readonly end: number }[];
  readonly runningPerModel: Map<string, number>;
  readonly submits: Map<string, number[]>;
  now: number;
}

/**
 * Estimated seconds until the last of `toRender` is made: a simulation of the runner's schedule (longest
 * remaining chain first, a clip waiting for the clips it starts from) under `timing`'s limits. Clips not
 * rendered are available from the start. Stills (ids in `toRender` too) are scheduled like clips, before the clips
 * that use them. Stitching is not included. `timing` is the backend's (`DASHSCOPE_TIMING`, `PREVIEW_TIMING`).
 */
export function estimateWallSeconds(plan: Plan, toRender: Iterable<ClipId>, timing: BackendTiming): number {
  const todo = new Set(toRender);
  const jobs = [...plan.stills.map(stillNode), ...plan.jobs.map((j) => (j.stills?.length ? { ...j, dependsOn: [...j.dependsOn, ...j.stills] } : j))]
    .filter((j) => todo.has(j.id));
  const priority = bottomLevels(jobs.map((j) => ({ id: j.id, dependsOn: j.dependsOn.filter((d) => todo.has(d)), seconds: timing.latency(j) })));
  const queue = [...jobs].sort((a, b) => (priority.get(b.id) ?? 0) - (priority.get(a.id) ?? 0));
  // a clip becomes ready when the last clip to render that it starts from is made
  const waitingFor = queue.map((j) => j.dependsOn.filter((d) => todo.has(d)).length);
  const dependents = new Map<ClipId, number[]>();
  queue.forEach((j, i) => {
    for (const d of j.dependsOn) {
      if (!todo.has(d)) continue;
      const list = dependents.get(d);
      if (list) list.push(i);
      else dependents.set(d, [i]);
    }
  });
  const sim: Sim = { timing, queue, ready: new Map(), running: [], runningPerModel: new Map(), submits: new Map(), now: 0 };
  queue.forEach((j, i) => waitingFor[i] === 0 && heapPush(readyOf(sim, j.model), i));
  let last = 0;
  for (;;) {
    const wake = startReady(sim);
    let next = wake;
    for (const r of sim.running) next = Math.min(next, r.end);
    if (!Number.isFinite(next)) break; // nothing runs and nothing can start: done, or a dependency is not in the plan
    sim.now = next;
    for (let i = sim.running.length - 1; i >= 0; i--) {
      const r = sim.running[i] as Sim['running'][number];
      if (r.end > sim.now) continue;
      sim.running.splice(i, 1);
      const job = queue[r.rank] as ClipJob;
      sim.runningPerModel.set(job.model, (sim.runningPerModel.get(job.model) ?? 1) - 1);
      last = Math.max(last, r.end);
      for (const d of dependents.get(job.id) ?? []) {
        waitingFor[d] = (waitingFor[d] ?? 1) - 1;
        if (waitingFor[d] === 0) heapPush(readyOf(sim, (queue[d] as ClipJob).model), d);
      }
    }
  }
  return last;
}

function readyOf(sim: Sim, model: string): number[] {
  let heap = sim.ready.get(model);
  if (!heap) sim.ready.set(model, (heap = []));
  return heap;
}

/**
 * Starts ready clips in priority order while the limits allow; returns when a rate limit next lets one more
 * through. A model found busy or rate-limited stays so for the rest of this instant, so its other clips are
 * not looked at again (what keeps a 100,000-clip schedule linear).
 */
function startReady(sim: Sim): number {
  let wake = Number.POSITIVE_INFINITY;
  const blocked = new Set<string>();
  while (sim.running.length < sim.timing.overall) {
    let model: string | undefined;
    let best = Number.POSITIVE_INFINITY;
    for (const [m, heap] of sim.ready) {
      const top = heap[0];
      if (top !== undefined && top < best && !blocked.has(m)) [model, best] = [m, top];
    }
    if (model === undefined) break;
    const job = sim.queue[best] as ClipJob;
    if ((sim.runningPerModel.get(model) ?? 0) >= Math.max(1, sim.timing.concurrency(model))) {
      blocked.add(model);
      continue;
    }
    const rps = sim.timing.rps(model);
    if (Number.isFinite(rps)) {
      // submissions of the last second (at most `rps` of them)
      const recent = (sim.submits.get(model) ?? []).filter((t) => t > sim.now - 1 + 1e-9);
      if (recent.length >= rps) {
        wake = Math.min(wake, Math.min(...recent) + 1);
        blocked.add(model);
        continue;
      }
      sim.submits.set(model, [...recent, sim.now]);
    }
    heapPop(readyOf(sim, model));
    sim.running.push({ rank: best, end: sim.now + sim.timing.latency(job) });
    sim.runningPerModel.set(model, (sim.runningPerModel.get(model) ?? 0) + 1);
  }
  return wake;
}

function heapPush(heap: number[], value: number): void {
  heap.push(value);
  for (let i = heap.length - 1; i > 0;) {
    const parent = (i - 1) >> 1;
    if ((heap[parent] as number) <= value) break;
    heap[i] = heap[parent] as number;
    heap[parent] = value;
    i = parent;
  }
}

function heapPop(heap: number[]): void {
  const last = heap.pop();
  if (last === undefined || heap.length === 0) return;
  heap[0] = last;
  for (let i = 0; ;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < heap.length && (heap[l] as number) < (heap[m] as number)) m = l;
    if (r < heap.length && (heap[r] as number) < (heap[m] as number)) m = r;
    if (m === i) return;
    [heap[i], heap[m]] = [heap[m] as number, heap[i] as number];
    i = m;
  }
}

/** A still as the simulation sees it: a job of its image model, no video, waiting for the stills it takes as input. */
function stillNode(s: StillJob): ClipJob {
  const node: Pick<ClipJob, 'id' | 'model' | 'dependsOn' | 'expected'> = {
    id: s.id, model: s.model, dependsOn: s.dependsOn, expected: { duration: 0, width: s.expected.width, height: s.expected.height, fps: 30, audio: false },
  };
  // the timing reads only these fields (its latency knows image models by their id)
  return node as ClipJob;
}
