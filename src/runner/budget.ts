// What a render would spend, before it spends it: money (per model and resolution, against a budget) and
// wall time (a simulation of the schedule under the models' rate limits). Pure: no I/O.
import { newSeconds } from '../compiler/plan/expected-output.js';
import type { ClipId, ClipJob, Plan } from '../compiler/plan/types.js';

/** Estimated spending on one model at one resolution. */
export interface CostLine {
  readonly model: string;
  readonly resolution: string;
  readonly clips: number;
  readonly seconds: number;
  readonly usd: number;
  /** Stills (images) on this line, for image models. */
  readonly images?: number;
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

/** Seconds of video and estimated USD (from each job's `cost`) of the given clips and stills (ids of either). */
export function costOf(plan: Plan, ids: Iterable<ClipId>): ClipsCost {
  const wanted = new Set(ids);
  const jobs = jobsAmong(plan, wanted);
  const stills = plan.stills.filter((s) => wanted.has(s.id));
  const stillsUsd = roundUsd(stills.reduce((s, j) => s + j.cost.usd, 0));
  const continued = jobs.filter((j) => j.cost.carriedSeconds);
  const carried = continued.length === 0 ? undefined : {
    seconds: continued.reduce((s, j) => s + (j.cost.carriedSeconds ?? 0), 0),
    usd: roundUsd(continued.reduce((s, j) => s + (j.cost.carriedSeconds ?? 0) * j.cost.perSecond, 0)),
  };
  return {
    clips: jobs.length, seconds: jobs.reduce((s, j) => s + newSeconds(j), 0), usd: roundUsd(jobs.reduce((s, j) => s + j.cost.usd, 0) + stillsUsd),
    stills: stills.length, stillsUsd, ...(carried ? { carried } : {}),
  };
}

/**
 * What clips and stills cost: `seconds` are the seconds asked for (and priced). `carried`: seconds that clip
 * continuations repeat, not priced, and what they would add if the service bills them (the reference leaves it open).
 */
export interface ClipsCost {
  readonly clips: number;
  readonly seconds: number;
  readonly usd: number;
  readonly stills: number;
  readonly stillsUsd: number;
  readonly carried?: { readonly seconds: number; readonly usd: number };
}

/** Estimated spending per model and resolution of the given clips, in order of first appearance in the plan. */
export function costByModel(plan: Plan, clips: Iterable<ClipId>): CostLine[] {
  const lines = new Map<string, { model: string; resolution: string; clips: number; seconds: number; usd: number }>();
  for (const j of jobsAmong(plan, clips)) {
    const id = `${j.model}\n${j.cost.resolution}`;
    const line = lines.get(id) ?? { model: j.model, resolution: j.cost.resolution, clips: 0, seconds: 0, usd: 0 };
    line.clips++;
    line.seconds += newSeconds(j);
    line.usd += j.cost.usd;
    lines.set(id, line);
  }
  const wanted = new Set(clips);
  const images = new Map<string, { model: string; resolution: string; clips: number; seconds: number; usd: number; images: number }>();
  for (const s of plan.stills) {
    if (!wanted.has(s.id)) continue;
    const line = images.get(s.model) ?? { model: s.model, resolution: 'image', clips: 0, seconds: 0, usd: 0, images: 0 };
    line.images++;
    line.usd += s.cost.usd;
    images.set(s.model, line);
  }
  return [...images.values(), ...lines.values()].map((l) => ({ ...l, usd: roundUsd(l.usd) }));
}

/**
 * The refusal message when the estimated cost of the clips to render exceeds `budgetUsd` (the
 * storyboard's `budget:` or `--budget`); undefined when within budget or when there is no budget.
 */
export function checkBudget(plan: Plan, toRender: Iterable<ClipId>, budgetUsd: number | undefined): string | undefined {
  if (budgetUsd === undefined) return undefined;
  const cost = costOf(plan, toRender);
  if (cost.usd <= budgetUsd + 1e-9) return undefined;
  const what = cost.stills ? `${plural(cost.clips, 'clip')} and ${plural(cost.stills, 'still')}` : plural(cost.clips, 'clip');
  return `storyboard: over budget: the ${what} to render (${cost.seconds} s of video) ${cost.clips + cost.stills === 1 ? 'is' : 'are'} estimated at ` +
    `${formatUsd(cost.usd)}, more than the budget of ${formatUsd(budgetUsd)}; ` +
    'raise `budget:` in the storyboard, pass a larger --budget, or render fewer clips (--only)';
}

// the wall-time estimate lives in wall-time.ts; re-exported for the callers of the spending checks
export { estimateWallSeconds } from './wall-time.js';
