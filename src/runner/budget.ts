// What a render would spend, before it spends it: money (per model and resolution, against a budget) and
// wall time (a simulation of the schedule under the models' rate limits). Pure: no I/O.
import type { BackendTiming } from '../backends/backend.js';
import type { ClipId, ClipJob, Plan } from '../compiler/plan/types.js';
import { bottomLevels } from './priority-slots.js';

/** Estimated spending on one model at one resolution. */
export interface CostLine {
  readonly model: string;
  readonly resolution: string;
  readonly clips: number;
  readonly seconds: number;
  readonly usd: number;
}

/** USD rounded to 1/100 of a cent, as the plan's totals are. */
const roundUsd = (usd: number): number => Math.round(usd * 10000) / 10000;
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** US dollars to the cent, half-cents rounded up (`0.175` → `$0.18`, where toFixed gives 0.17). */
export function formatUsd(usd: number): string {
  return `$${(Math.round(usd * 100 + 1e-6) / 100).toFixed(2)}`;
}

/** The jobs of `plan` among `clips`, in plan order. */
function jobsAmong(plan: Plan, clips: Iterable<ClipId>): ClipJob[] {
  const wanted = new Set(clips);
  return plan.jobs.filter((j) => wanted.has(j.id));
}

/** Seconds of video and estimated USD (from each job's `cost`) of the given clips. */
export function costOf(plan: Plan, clips: Iterable<ClipId>): { clips: number; seconds: number; usd: number } {
  const jobs = jobsAmong(plan, clips);
  return { clips: jobs.length, seconds: jobs.reduce((s, j) => s + j.expected.duration, 0), usd: roundUsd(jobs.reduce((s, j) => s + j.cost.usd, 0)) };
}

/** Estimated spending per model and resolution of the given clips, in order of first appearance in the plan. */
export function costByModel(plan: Plan, clips: Iterable<ClipId>): CostLine[] {
  const lines = new Map<string, { model: string; resolution: string; clips: number; seconds: number; usd: number }>();
  for (const j of jobsAmong(plan, clips)) {
    const id = `${j.model}\n${j.cost.resolution}`;
    const line = lines.get(id) ?? { model: j.model, resolution: j.cost.resolution, clips: 0, seconds: 0, usd: 0 };
    line.clips++;
    line.seconds += j.expected.duration;
    line.usd += j.cost.usd;
    lines.set(id, line);
  }
  return [...lines.values()].map((l) => ({ ...l, usd: roundUsd(l.usd) }));
}

/**
 * The refusal message when the estimated cost of the clips to render exceeds `budgetUsd` (the
 * storyboard's `budget:` or `--budget`); undefined when within budget or when there is no budget.
 */
export function checkBudget(plan: Plan, toRender: Iterable<ClipId>, budgetUsd: number | undefined): string | undefined {
  if (budgetUsd === undefined) return undefined;
  const cost = costOf(plan, toRender);
  if (cost.usd <= budgetUsd + 1e-9) return undefined;
  return `storyboard: over budget: the ${plural(cost.clips, 'clip')} to render (${cost.seconds} s of video) ${cost.clips === 1 ? 'is' : 'are'} estimated at ` +
    `${formatUsd(cost.usd)}, more than the budget of ${formatUsd(budgetUsd)}; ` +
    'raise `budget:` in the storyboard, pass a larger --budget, or render fewer clips (--only)';
}

interface Sim {
  readonly timing: BackendTiming;
  readonly todo: ReadonlySet<ClipId>;
  readonly finished: Map<ClipId, number>;
  readonly running: { readonly job: ClipJob; readonly end: number }[];
  readonly submits: Map<string, number[]>;
  now: number;
}

/**
 * Estimated seconds until the last of `toRender` is made: a simulation of the runner's schedule (longest
 * remaining chain first, a clip waiting for the clips it starts from) under `timing`'s limits. Clips not
 * rendered are available from the start. Stitching is not included. `timing` is the backend's
 * (`DASHSCOPE_TIMING`, `PREVIEW_TIMING`).
 */
export function estimateWallSeconds(plan: Plan, toRender: Iterable<ClipId>, timing: BackendTiming): number {
  const todo = new Set(toRender);
  const jobs = plan.jobs.filter((j) => todo.has(j.id));
  const priority = bottomLevels(jobs.map((j) => ({ id: j.id, dependsOn: j.dependsOn.filter((d) => todo.has(d)), seconds: timing.latency(j) })));
  const queue = [...jobs].sort((a, b) => (priority.get(b.id) ?? 0) - (priority.get(a.id) ?? 0));
  const sim: Sim = { timing, todo, finished: new Map(), running: [], submits: new Map(), now: 0 };
  while (queue.length > 0 || sim.running.length > 0) {
    const wake = startReady(sim, queue);
    const next = Math.min(wake, ...sim.running.map((r) => r.end));
    if (!Number.isFinite(next)) break; // nothing runs and nothing can start: a dependency is not in the plan
    sim.now = next;
    for (let i = sim.running.length - 1; i >= 0; i--) {
      const r = sim.running[i];
      if (r && r.end <= sim.now) {
        sim.finished.set(r.job.id, r.end);
        sim.running.splice(i, 1);
      }
    }
  }
  return Math.max(0, ...sim.finished.values());
}

/** Starts every queued clip that may start now; returns when a rate limit next lets one more through. */
function startReady(sim: Sim, queue: ClipJob[]): number {
  let wake = Number.POSITIVE_INFINITY;
  for (let i = 0; i < queue.length && sim.running.length < sim.timing.overall;) {
    const job = queue[i] as ClipJob;
    const ready = job.dependsOn.every((d) => !sim.todo.has(d) || sim.finished.has(d));
    const busy = sim.running.filter((r) => r.job.model === job.model).length >= Math.max(1, sim.timing.concurrency(job.model));
    const recent = (sim.submits.get(job.model) ?? []).filter((t) => t > sim.now - 1 + 1e-9);
    if (!ready || busy) {
      i++;
      continue;
    }
    if (recent.length >= sim.timing.rps(job.model)) {
      wake = Math.min(wake, Math.min(...recent) + 1);
      i++;
      continue;
    }
    sim.submits.set(job.model, [...recent, sim.now]);
    sim.running.push({ job, end: sim.now + sim.timing.latency(job) });
    queue.splice(i, 1);
  }
  return wake;
}
