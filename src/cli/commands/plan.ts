// `storyboard plan <file>`: what a render would reuse and render and why, its cost per model and resolution,
// its wall time and the budget check, without rendering or calling anything.
import { dirname } from 'node:path';
import { planStoryboard } from '../../compiler/plan-storyboard.js';
import type { Plan } from '../../compiler/plan/types.js';
import type { Storyboard } from '../../compiler/storyboard.js';
import { checkBudget, formatUsd as usd } from '../../runner/budget.js';
import { lockPathFor } from '../../runner/lock-file.js';
import { driftFromEnv, type PreviewDrift } from '../../backends/preview/preview-drift.js';
import { loadStoryboard } from '../../render/load-storyboard.js';
import { planRender, type PlannedClip, type PlannedStill, type PlanReport } from '../../render/plan-render.js';
import { EXIT } from '../exit-codes.js';
import { printDiagnostics, type Output } from '../output.js';

export type { PlannedClip, PlannedStill, PlanReport } from '../../render/plan-render.js';

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
  const budgetUsd = options.budget ?? storyboard.budget;
  // the preview's simulated drift is part of its version: plan must look for the clips render would make
  let drift: PreviewDrift | undefined;
  try {
    drift = (options.backend ?? 'preview') === 'preview' ? driftFromEnv(process.env) : undefined;
  } catch (e) {
    out.err(`storyboard: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT.usage;
  }
  const report = await planRender(plan, {
    backend: options.backend ?? 'preview', baseDir: dirname(file), lockPath: lockPathFor(file), ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
    ...(drift ? { preview: { drift } } : {}),
    ...(budgetUsd === undefined ? {} : { budget: { usd: budgetUsd, source: options.budget === undefined ? 'storyboard' : 'option' } }),
  });
  out.out(options.json ? JSON.stringify(report, null, 2) : planText(report));
  const refusal = checkBudget(plan, [...report.stills, ...report.clips].filter((c) => c.action === 'render').map((c) => c.clip), budgetUsd);
  if (refusal) {
    out.err(refusal);
    return EXIT.failed;
  }
  return EXIT.ok;
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

function actionText(c: PlannedClip | PlannedStill): string {
  if (c.action === 'reuse') return c.from === 'lock' ? 'reuse (cached, as locked)' : 'reuse (cached)';
  return `render: ${c.reasons.join(', ')}`;
}

/** The readable report of `storyboard plan`. */
export function planText(r: PlanReport): string {
  const lines = [`Plan for ${r.storyboard} on the ${r.backend} backend, ${r.lock ? `compared with ${r.lock}` : 'no lock file yet'}`, ''];
  if (r.stills.length > 0) {
    const stillRows = table([['STILL', 'MODEL', 'SIZE', 'COST', 'USED BY', 'ACTION'],
      ...r.stills.map((s) => [s.clip, s.model, s.size, usd(s.usd), s.usedBy.length ? s.usedBy.join(', ') : '(unused)', actionText(s)])]);
    for (const row of stillRows) lines.push(row);
    lines.push('');
  }
  // one row per clip: concatenated, not spread into push (a 100,000-clip plan overflows the argument stack)
  const rows = table([['CLIP', 'MODEL', 'RES', 'VIDEO', 'COST', 'ACTION'], ...r.clips.map((c) => [c.clip, c.model, c.resolution, c.carried ? `${c.seconds} s + ${c.carried} carried` : `${c.seconds} s`, usd(c.usd), actionText(c)])]);
  for (const row of rows) lines.push(row);
  lines.push('');
  const stillsText = (n: number, of?: number): string => (r.stills.length ? `${n}${of === undefined ? '' : ` of ${of}`} still${(of ?? n) === 1 ? '' : 's'} and ` : '');
  if (r.render.clips === 0 && r.render.stills === 0) lines.push(`Nothing to render: all ${r.stills.length ? `${plural(r.stills.length, 'still')} and ` : ''}${plural(r.clips.length, 'clip')} are cached.`);
  else {
    lines.push(`To render: ${stillsText(r.render.stills, r.stills.length)}${r.render.clips} of ${plural(r.clips.length, 'clip')}, ${r.render.seconds} s of video, estimated ${usd(r.render.usd)}${r.backend === 'preview' ? ' on DashScope (the preview backend is free)' : ''}`);
    if (r.render.stills > 0) lines.push(`  stills first: ${usd(r.render.stillsUsd)} (\`storyboard render --stills\` makes only these, to review before paying for video)`);
    lines.push(...table([...r.render.byModel.map((l) => [l.model, l.resolution, l.images !== undefined ? plural(l.images, 'image') : plural(l.clips, 'clip'), l.images !== undefined ? '' : `${l.seconds} s`, usd(l.usd)]),
      ['total', '', `${r.render.stills ? `${plural(r.render.stills, 'image')} + ` : ''}${plural(r.render.clips, 'clip')}`, `${r.render.seconds} s`, usd(r.render.usd)]], '  '));
    const carried = r.render.carried;
    if (carried) lines.push(`  clip continuation: ${carried.seconds} carried second${carried.seconds === 1 ? '' : 's'} not priced (wan2.7-i2v is billed by output; if the carried seconds count, add ${usd(carried.usd)}: the reference leaves it open)`);
    lines.push(`Estimated wall time: ${formatDuration(r.wallTime.seconds)} (assumes ${r.wallTime.assumption})`);
  }
  if (r.reuse.clips > 0 || r.reuse.stills > 0) lines.push(`Reused: ${stillsText(r.reuse.stills)}${plural(r.reuse.clips, 'clip')}, ${r.reuse.seconds} s of video (${usd(r.reuse.usd)} not spent again)`);
  if (r.budget) {
    const from = r.budget.source === 'option' ? '--budget' : 'budget: in the storyboard';
    lines.push(`Budget: ${usd(r.budget.usd)} (${from}): ${r.budget.exceeded ? `EXCEEDED by ${usd(r.render.usd - r.budget.usd)}` : 'within budget'}`);
  }
  return lines.join('\n') + '\n';
}
