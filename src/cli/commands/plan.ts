// `storyboard plan <file>`: what a render would reuse and render and why, its cost per model and resolution,
// its wall time and the budget check, without rendering or calling anything.
import { dirname, join, relative } from 'node:path';
import { createDashscopeBackend, DASHSCOPE_TIMING } from '../../backends/dashscope/dashscope-backend.js';
import { createPreviewBackend, PREVIEW_TIMING } from '../../backends/preview/preview-backend.js';
import { planStoryboard } from '../../compiler/plan-storyboard.js';
import type { ClipId, Plan } from '../../compiler/plan/types.js';
import type { Storyboard } from '../../compiler/storyboard.js';
import { checkBudget, costByModel, costOf, estimateWallSeconds, formatUsd as usd, type CostLine } from '../../runner/budget.js';
import { ClipCache } from '../../runner/clip-cache.js';
import { clipStates } from '../../runner/clip-states.js';
import { lockPathFor, readLock } from '../../runner/lock-file.js';
import { decideClips, type ClipDecision } from '../../runner/render-reasons.js';
import type { FfmpegTools } from '../../media/ffmpeg-binaries.js';
import { EXIT } from '../exit-codes.js';
import { loadStoryboard } from '../../render/load-storyboard.js';
import { printDiagnostics, type Output } from '../output.js';

/** Options of `storyboard plan`. */
export interface PlanOptions {
  /** Whose cache keys to look for (default `preview`); costs are always the DashScope estimate. */
  readonly backend?: 'preview' | 'dashscope';
  readonly json?: boolean;
  /** Largest estimated USD (overrides the storyboard's `budget:`). */
  readonly budget?: number;
  /** Clip cache (default `.storyboard/cache` beside the storyboard). */
  readonly cacheDir?: string;
}

/** One clip of the report. */
export type PlannedClip = ClipDecision & { readonly model: string; readonly resolution: string; readonly seconds: number; readonly usd: number };

/** What `storyboard plan --json` prints. */
export interface PlanReport {
  readonly storyboard: string;
  readonly backend: 'preview' | 'dashscope';
  /** The lock compared with, or null when there is none yet. */
  readonly lock: string | null;
  readonly clips: readonly PlannedClip[];
  readonly render: { readonly clips: number; readonly seconds: number; readonly usd: number; readonly byModel: readonly CostLine[] };
  readonly reuse: { readonly clips: number; readonly seconds: number; readonly usd: number };
  readonly wallTime: { readonly seconds: number; readonly assumption: string };
  readonly budget: { readonly usd: number; readonly source: 'option' | 'storyboard'; readonly exceeded: boolean } | null;
}

/** Validates and compiles a storyboard like `loadPlan`, also returning the validated storyboard (for `budget:`). */
export async function loadPlanWithStoryboard(file: string, out: Output): Promise<{ plan?: Plan; storyboard?: Storyboard; code: number }> {
  const loaded = await loadStoryboard(file);
  const sources = new Map(loaded.source ? [[loaded.source.path, loaded.source.text]] : []);
  printDiagnostics(out, loaded.result.diagnostics, sources);
  if (!loaded.result.ok) return { code: loaded.result.diagnostics.some((d) => d.code === 'file-not-found') ? EXIT.usage : EXIT.failed };
  return { plan: planStoryboard(loaded.result.value), storyboard: loaded.result.value.storyboard, code: EXIT.ok };
}

/**
 * `storyboard plan <file>`: what a render would reuse and render (and why), its cost per model and
 * resolution, and its wall time, without rendering or calling anything. Exit 1 when over budget.
 */
export async function planCommand(file: string, out: Output, options: PlanOptions): Promise<number> {
  const { plan, storyboard, code } = await loadPlanWithStoryboard(file, out);
  if (!plan || !storyboard) return code;
  const backend = options.backend ?? 'preview';
  const baseDir = dirname(file);
  const states = await clipStates(plan, { backend: backendIdentity(backend), baseDir, cache: new ClipCache(options.cacheDir ?? join(baseDir, '.storyboard', 'cache'), NO_TOOLS) });
  const lockPath = lockPathFor(file);
  const lock = await readLock(lockPath);
  const decisions = decideClips(plan.jobs, states, lock?.clips, backend);
  const budgetUsd = options.budget ?? storyboard.budget;
  const report = reportOf(plan, decisions, {
    backend, lock: lock ? relative('.', lockPath) : null,
    budget: budgetUsd === undefined ? undefined : { usd: budgetUsd, source: options.budget === undefined ? 'storyboard' : 'option' },
  });
  out.out(options.json ? JSON.stringify(report, null, 2) : planText(report));
  const refusal = checkBudget(plan, report.clips.filter((c) => c.action === 'render').map((c) => c.clip), budgetUsd);
  if (refusal) {
    out.err(refusal);
    return EXIT.failed;
  }
  return EXIT.ok;
}

/** A backend's name and version (all a cache key needs), without credentials; never called. */
function backendIdentity(name: 'preview' | 'dashscope'): { name: string; version: string } {
  const b = name === 'preview' ? createPreviewBackend() : createDashscopeBackend({ apiKey: 'unused' });
  return { name: b.name, version: b.version };
}

/** peek() and clipPath() never run ffmpeg: planning needs no binaries. */
const NO_TOOLS = {} as FfmpegTools;

function reportOf(plan: Plan, decisions: ReadonlyMap<ClipId, ClipDecision>,
  o: { backend: 'preview' | 'dashscope'; lock: string | null; budget: { usd: number; source: 'option' | 'storyboard' } | undefined }): PlanReport {
  const clips: PlannedClip[] = plan.jobs.flatMap((j) => {
    const d = decisions.get(j.id);
    return d ? [{ ...d, model: j.model, resolution: j.cost.resolution, seconds: j.expected.duration, usd: j.cost.usd }] : [];
  });
  const rendered = clips.filter((c) => c.action === 'render').map((c) => c.clip);
  const timing = o.backend === 'dashscope' ? DASHSCOPE_TIMING : PREVIEW_TIMING;
  const render = { ...costOf(plan, rendered), byModel: costByModel(plan, rendered) };
  return {
    storyboard: plan.storyboard.file, backend: o.backend, lock: o.lock, clips, render,
    reuse: costOf(plan, clips.filter((c) => c.action === 'reuse').map((c) => c.clip)),
    wallTime: { seconds: Math.round(estimateWallSeconds(plan, rendered, timing)), assumption: timing.assumption },
    budget: o.budget ? { ...o.budget, exceeded: render.usd > o.budget.usd + 1e-9 } : null,
  };
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "45 s", "3 min 20 s", "1 h 5 min". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const m = Math.round((s % 3600) / 60);
  return `${Math.floor(s / 3600)} h${m ? ` ${m} min` : ''}`;
}

/** Rows as left-aligned columns (the last one not padded). */
function table(rows: readonly (readonly string[])[], indent = ''): string[] {
  const widths = rows.reduce<number[]>((w, r) => r.map((c, i) => Math.max(w[i] ?? 0, c.length)), []);
  return rows.map((r) => indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

function actionText(c: PlannedClip): string {
  if (c.action === 'reuse') return c.from === 'lock' ? 'reuse (cached, as locked)' : 'reuse (cached)';
  return `render: ${c.reasons.join(', ')}`;
}

/** The readable report of `storyboard plan`. */
export function planText(r: PlanReport): string {
  const lines = [`Plan for ${r.storyboard} on the ${r.backend} backend, ${r.lock ? `compared with ${r.lock}` : 'no lock file yet'}`, ''];
  lines.push(...table([['CLIP', 'MODEL', 'RES', 'VIDEO', 'COST', 'ACTION'],
    ...r.clips.map((c) => [c.clip, c.model, c.resolution, `${c.seconds} s`, usd(c.usd), actionText(c)])]), '');
  if (r.render.clips === 0) lines.push(`Nothing to render: all ${plural(r.clips.length, 'clip')} are cached.`);
  else {
    lines.push(`To render: ${r.render.clips} of ${plural(r.clips.length, 'clip')}, ${r.render.seconds} s of video, estimated ${usd(r.render.usd)}${r.backend === 'preview' ? ' on DashScope (the preview backend is free)' : ''}`);
    lines.push(...table([...r.render.byModel.map((l) => [l.model, l.resolution, plural(l.clips, 'clip'), `${l.seconds} s`, usd(l.usd)]),
      ['total', '', plural(r.render.clips, 'clip'), `${r.render.seconds} s`, usd(r.render.usd)]], '  '));
    lines.push(`Estimated wall time: ${formatDuration(r.wallTime.seconds)} (assumes ${r.wallTime.assumption})`);
  }
  if (r.reuse.clips > 0) lines.push(`Reused: ${plural(r.reuse.clips, 'clip')}, ${r.reuse.seconds} s of video (${usd(r.reuse.usd)} not spent again)`);
  if (r.budget) {
    const from = r.budget.source === 'option' ? '--budget' : 'budget: in the storyboard';
    lines.push(`Budget: ${usd(r.budget.usd)} (${from}): ${r.budget.exceeded ? `EXCEEDED by ${usd(r.render.usd - r.budget.usd)}` : 'within budget'}`);
  }
  return lines.join('\n') + '\n';
}
