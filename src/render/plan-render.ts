// The plan stage as a library function: what a render of a planned storyboard would reuse and render (and
// why), its cost per model and resolution, its wall time and budget, from the same clip states render uses.
// Reads the cache and the lock file; renders and calls nothing.
import { join, relative } from 'node:path';
import { createDashscopeBackend, DASHSCOPE_TIMING } from '../backends/dashscope/dashscope-backend.js';
import { createPreviewBackend, PREVIEW_TIMING, type PreviewBackendOptions } from '../backends/preview/preview-backend.js';
import type { ClipId, Plan } from '../compiler/plan/types.js';
import type { FfmpegTools } from '../media/ffmpeg-binaries.js';
import { newSeconds } from '../compiler/plan/expected-output.js';
import { costByModel, costOf, estimateWallSeconds, type ClipsCost, type CostLine } from '../runner/budget.js';
import { ClipCache } from '../runner/clip-cache.js';
import { clipStates } from '../runner/clip-states.js';
import { readLock } from '../runner/lock-file.js';
import { decideClips, type ClipDecision } from '../runner/render-reasons.js';

/** One clip of the report. */
export type PlannedClip = ClipDecision & {
  readonly model: string; readonly resolution: string;
  /** Seconds asked for (priced); `carried`: seconds a clip continuation repeats first (its video is both). */
  readonly seconds: number; readonly carried?: number; readonly usd: number;
};

/** One still of the report (`clip` is the still's id). */
export type PlannedStill = ClipDecision & { readonly model: string; readonly size: string; readonly usd: number; readonly usedBy: readonly string[] };

/** What `storyboard plan --json` prints. */
export interface PlanReport {
  readonly storyboard: string;
  readonly backend: 'preview' | 'dashscope';
  /** The lock compared with, or null when there is none yet. */
  readonly lock: string | null;
  readonly clips: readonly PlannedClip[];
  /** Stills (generated images), listed apart from the clips; their cost is in `render` and `reuse`. */
  readonly stills: readonly PlannedStill[];
  readonly render: ClipsCost & { readonly byModel: readonly CostLine[] };
  readonly reuse: { readonly clips: number; readonly seconds: number; readonly stills: number; readonly stillsUsd: number; readonly usd: number };
  readonly wallTime: { readonly seconds: number; readonly assumption: string };
  readonly budget: { readonly usd: number; readonly source: 'option' | 'storyboard'; readonly exceeded: boolean } | null;
}

/** Options of {@link planRender}. */
export interface PlanRenderOptions {
  readonly backend: 'preview' | 'dashscope';
  /** The storyboard's folder (local inputs and the default cache are found from it). */
  readonly baseDir: string;
  readonly cacheDir?: string;
  readonly lockPath: string;
  readonly budget?: { readonly usd: number; readonly source: 'option' | 'storyboard' };
  /** The preview backend's options (simulated drift is part of its version, so of every clip's key). */
  readonly preview?: PreviewBackendOptions;
}

/** What rendering `plan` with this backend would do, clip by clip, and what it would cost. */
export async function planRender(plan: Plan, o: PlanRenderOptions): Promise<PlanReport> {
  const states = await clipStates(plan, { backend: backendIdentity(o.backend, o.preview), baseDir: o.baseDir, cache: new ClipCache(o.cacheDir ?? join(o.baseDir, '.storyboard', 'cache'), NO_TOOLS) });
  const lock = await readLock(o.lockPath);
  const stillJobs = plan.stills.map((s) => ({ id: s.id, model: s.model, prompt: s.prompt, seed: s.seed, dependsOn: [], stills: s.dependsOn, kind: 'still' as const }));
  const decisions = decideClips([...stillJobs, ...plan.jobs], states, { ...lock?.stills, ...lock?.clips }, o.backend);
  return reportOf(plan, decisions, { backend: o.backend, lock: lock ? relative('.', o.lockPath) : null, budget: o.budget });
}

/** A backend's name and version (all a cache key needs), without credentials; never called. */
function backendIdentity(name: 'preview' | 'dashscope', preview: PreviewBackendOptions = {}): { name: string; version: string } {
  const b = name === 'preview' ? createPreviewBackend(preview) : createDashscopeBackend({ apiKey: 'unused' });
  return { name: b.name, version: b.version };
}

/** peek() and clipPath() never run ffmpeg: planning needs no binaries. */
const NO_TOOLS = {} as FfmpegTools;

function reportOf(plan: Plan, decisions: ReadonlyMap<ClipId, ClipDecision>,
  o: { backend: 'preview' | 'dashscope'; lock: string | null; budget: { usd: number; source: 'option' | 'storyboard' } | undefined }): PlanReport {
  const clips: PlannedClip[] = plan.jobs.flatMap((j) => {
    const d = decisions.get(j.id);
    return d ? [{ ...d, model: j.model, resolution: j.cost.resolution, seconds: newSeconds(j), ...(j.carry ? { carried: j.carry.seconds } : {}), usd: j.cost.usd }] : [];
  });
  const stills: PlannedStill[] = plan.stills.flatMap((s) => {
    const d = decisions.get(s.id);
    const size = `${s.expected.width}*${s.expected.height}`;
    return d ? [{ ...d, model: s.model, size, usd: s.cost.usd, usedBy: s.usedBy }] : [];
  });
  const all = [...stills, ...clips];
  const rendered = all.filter((c) => c.action === 'render').map((c) => c.clip);
  const timing = o.backend === 'dashscope' ? DASHSCOPE_TIMING : PREVIEW_TIMING;
  const render = { ...costOf(plan, rendered), byModel: costByModel(plan, rendered) };
  return {
    storyboard: plan.storyboard.file, backend: o.backend, lock: o.lock, clips, stills, render,
    reuse: costOf(plan, all.filter((c) => c.action === 'reuse').map((c) => c.clip)),
    wallTime: { seconds: Math.round(estimateWallSeconds(plan, rendered, timing)), assumption: timing.assumption },
    budget: o.budget ? { ...o.budget, exceeded: render.usd > o.budget.usd + 1e-9 } : null,
  };
}

