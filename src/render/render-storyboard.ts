// The library stage that renders a storyboard: load → plan → (paid: budget and approval) → run the clip graph →
// assemble → verify → lock file → report, reporting progress as events. The CLI's `render` and `stitch` are thin
// adapters over it; a program can call it directly (see src/index.ts).
import { dirname, join } from 'node:path';
import type { FilmVerification } from '../assembly/verify-film.js';
import type { Backend } from '../backends/backend.js';
import { planStoryboard } from '../compiler/plan-storyboard.js';
import type { Plan } from '../compiler/plan/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { resolveFfmpeg, type FfmpegTools } from '../media/ffmpeg-binaries.js';
import { readManifest } from '../assembly/film-manifest.js';
import { collectDrift, type DriftReport } from '../report/collect-drift.js';
import { writeReport } from '../report/write-report.js';
import { checkBudget, costOf } from '../runner/budget.js';
import { clipStates, selectJobs, selectStills } from '../runner/clip-states.js';
import { ClipCache } from '../runner/clip-cache.js';
import type { RunEvent } from '../runner/events.js';
import { lockPathFor, readLock, writeLock, type LockedClip, type LockedStill, type LockFile } from '../runner/lock-file.js';
import { runPlan, type RunResult } from '../runner/run-plan.js';
import { FileTaskJournal } from '../runner/task-journal.js';
import { assembleFilm, filmStitch, writeSubtitles } from './assemble-film.js';
import { loadStoryboard } from './load-storyboard.js';

/** What a paid render would submit, for the caller to approve. */
export interface PaidSpend {
  readonly clips: number;
  readonly seconds: number;
  /** Stills (images) to be made; `usd` includes them. */
  readonly stills: number;
  readonly usd: number;
  readonly backend: string;
}

/** Options of {@link renderStoryboard}. */
export interface RenderStoryboardOptions {
  readonly backend: Backend;
  /** ffmpeg and ffprobe; when absent they are found as `resolveFfmpeg` does, from these paths if given. */
  readonly tools?: FfmpegTools;
  readonly ffmpegPaths?: { readonly ffmpeg?: string; readonly ffprobe?: string };
  /** Called once the storyboard is read and validated, with its diagnostics (warnings included). */
  readonly onLoaded?: (diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>) => void;
  /** Clip cache folder (default `.storyboard/cache` beside the storyboard). */
  readonly cacheDir?: string;
  readonly concurrency?: number;
  /** Render only these scenes (and what they continue from). */
  readonly only?: readonly string[];
  readonly force?: boolean;
  /** Fail rather than render anything not cached. */
  readonly frozen?: boolean;
  /** Assemble from cached clips only (`storyboard stitch`): never call the backend. */
  readonly assembleOnly?: boolean;
  /** Make only the stills (`render --stills`), to review them before any video is paid for; no film. */
  readonly stillsOnly?: boolean;
  /** Largest estimated USD a paid render may spend (default: the storyboard's `budget:`). */
  readonly budget?: number;
  /** Asked before a paid backend is sent anything not cached; false stops the render (nothing submitted). */
  readonly approve?: (spend: PaidSpend) => Promise<boolean>;
  readonly onEvent?: (event: RunEvent) => void;
  readonly signal?: AbortSignal;
}

/** How a render ended. */
export type RenderStoryboardOutcome =
  /** The storyboard is invalid (or unreadable): nothing was rendered. */
  | { readonly status: 'invalid'; readonly diagnostics: readonly Diagnostic[]; readonly sources: ReadonlyMap<string, string>; readonly unreadable: boolean }
  /** Stopped before anything was submitted: over budget, not approved, or unknown scenes in `only`. */
  | { readonly status: 'stopped'; readonly reason: 'budget' | 'declined' | 'unknown-scenes' | 'not-cached' | 'no-ffmpeg'; readonly message: string; readonly plan: Plan; readonly diagnostics: readonly Diagnostic[] }
  | RenderedStoryboard;

/** A render that ran: what each clip did, the film (when every clip was there) and its verification. */
export interface RenderedStoryboard {
  readonly status: 'rendered';
  readonly plan: Plan;
  readonly diagnostics: readonly Diagnostic[];
  /** Each clip that failed, as a diagnostic at its scene or shot in the YAML (code `render-<reason>`). */
  readonly failures: readonly Diagnostic[];
  /** The storyboard's text by file, for code frames. */
  readonly sources: ReadonlyMap<string, string>;
  readonly result: RunResult;
  readonly events: readonly RunEvent[];
  readonly lockPath: string;
  readonly film?: LockFile['film'];
  readonly verification?: FilmVerification;
  /** Drift of the continuity chains measured on the film (when the plan has chains and the film was assembled). */
  readonly drift?: DriftReport;
  /** Why drift could not be measured (the film is fine). */
  readonly driftError?: string;
  /** Why the film could not be assembled (the clips are kept). */
  readonly assemblyError?: string;
  readonly report?: string;
  readonly reportError?: string;
}

/** The lock file of a run: every clip and still made or reused, and the film (a stills-only run keeps the clips of the last). */
function lockOf(plan: Plan, result: RunResult, backend: Backend, film: LockFile['film'], previous: LockFile | undefined, stillsOnly: boolean): LockFile {
  const clips: Record<string, LockedClip> = stillsOnly ? { ...previous?.clips } : {};
  const stills: Record<string, LockedStill> = {};
  for (const s of plan.stills) {
    const r = result.stills.get(s.id);
    if (!r) continue;
    const m = r.entry.meta;
    stills[s.id] = {
      key: r.key, model: s.model, seed: s.seed.value, prompt: s.prompt, sha256: r.sha256, width: m.width, height: m.height, backend: backend.name,
      ...(m.actualPrompt ? { actualPrompt: m.actualPrompt } : {}), ...(m.taskId ? { taskId: m.taskId } : {}),
    };
  }
  for (const j of plan.jobs) {
    const r = result.results.get(j.id);
    if (!r) continue;
    const m = r.entry.meta;
    clips[j.id] = {
      key: r.key, model: j.model, seed: j.seed.value, prompt: j.prompt, sha256: r.sha256, duration: m.duration, backend: backend.name,
      ...(m.actualPrompt ? { actualPrompt: m.actualPrompt } : {}), ...(m.taskId ? { taskId: m.taskId } : {}), ...(r.seamFrame ? { seamFrame: r.seamFrame } : {}),
    };
  }
  return { version: 1, storyboard: plan.storyboard.file, clips, ...(Object.keys(stills).length ? { stills } : {}), ...(film ? { film } : {}) };
}

const FAILURE_HINTS: Readonly<Record<string, string>> = {
  failed: 'finished clips are kept in the cache: render again to retry only what failed',
  frozen: '--frozen renders nothing: drop it to render this clip, or restore the cache',
  aborted: 'render again to resume: finished and submitted clips are not paid for twice',
};

/** A failed clip as a diagnostic spanning the first token at its YAML position. */
function failureDiagnostic(f: RunResult['failures'][number], file: string, text: string | undefined): Diagnostic {
  let start = 0;
  if (text !== undefined) {
    for (let line = 1; line < f.at.line; line++) start = text.indexOf('\n', start) + 1 || text.length;
    start = Math.min(text.length, start + f.at.column - 1);
  }
  const token = text === undefined ? '' : (/^[^\s:,{}[\]]*/.exec(text.slice(start))?.[0] ?? '');
  return {
    code: `render-${f.reason}`, severity: 'error', message: `${f.kind} \`${f.clip}\`: ${f.message}`,
    span: { file, start, end: start + Math.max(1, token.length) }, ...(FAILURE_HINTS[f.reason] ? { hint: FAILURE_HINTS[f.reason] } : {}),
  };
}

type Ctx = { plan: Plan; cache: ClipCache; baseDir: string; only: ReadonlySet<string> | undefined; budget: number | undefined };

/**
 * A paid render finds out what is not cached (with the same keys `plan` shows and the runner uses; nothing is
 * submitted), checks the budget, then asks.
 */
async function paidGate(o: RenderStoryboardOptions, c: Ctx): Promise<{ reason: 'budget' | 'declined'; message: string } | undefined> {
  const states = o.force ? undefined : await clipStates(c.plan, { backend: { name: o.backend.name, version: o.backend.version }, baseDir: c.baseDir, cache: c.cache });
  const wanted = [...selectStills(c.plan, c.only), ...(o.stillsOnly ? [] : selectJobs(c.plan, c.only))];
  const ids = new Set(wanted.filter((id) => !states?.get(id)?.cached));
  if (ids.size === 0) return undefined;
  const refusal = checkBudget(c.plan, ids, c.budget);
  if (refusal) return { reason: 'budget', message: refusal };
  const cost = costOf(c.plan, ids);
  const spend = { clips: cost.clips, seconds: cost.seconds, stills: cost.stills, usd: cost.usd, backend: o.backend.name };
  if (o.approve && !(await o.approve(spend))) return { reason: 'declined', message: 'the render was not approved; nothing was submitted' };
  return undefined;
}

/** Renders the storyboard in `file` (see the file comment); never throws for bad input, only for bugs. */
export async function renderStoryboard(file: string, o: RenderStoryboardOptions): Promise<RenderStoryboardOutcome> {
  const loaded = await loadStoryboard(file);
  const sources = new Map(loaded.source ? [[loaded.source.path, loaded.source.text]] : []);
  o.onLoaded?.(loaded.result.diagnostics, sources);
  if (!loaded.result.ok) return { status: 'invalid', diagnostics: loaded.result.diagnostics, sources, unreadable: loaded.result.diagnostics.some((d) => d.code === 'file-not-found') };
  const diagnostics = loaded.result.diagnostics;
  const plan = planStoryboard(loaded.result.value);
  const scenes = new Set(plan.jobs.map((j) => j.scene));
  const unknown = (o.only ?? []).filter((s) => !scenes.has(s));
  if (unknown.length) return { status: 'stopped', reason: 'unknown-scenes', plan, diagnostics, message: `unknown scene${unknown.length > 1 ? 's' : ''} in --only: ${unknown.join(', ')} (scenes: ${[...scenes].join(', ')})` };
  let tools: FfmpegTools;
  try {
    tools = o.tools ?? (await resolveFfmpeg({ ...o.ffmpegPaths }));
  } catch (e) {
    return { status: 'stopped', reason: 'no-ffmpeg', plan, diagnostics, message: e instanceof Error ? e.message : String(e) };
  }
  const baseDir = dirname(file);
  const workDir = join(baseDir, '.storyboard');
  const cache = new ClipCache(o.cacheDir ?? join(workDir, 'cache'), tools);
  await cache.init();
  const journal = await FileTaskJournal.open(join(workDir, 'journal'));
  const only = o.only?.length ? new Set(o.only) : undefined;
  const ctx: Ctx = { plan, cache, baseDir, only, budget: o.budget ?? loaded.result.value.storyboard.budget };
  if (o.backend.paid && !o.assembleOnly && !o.frozen) {
    const stop = await paidGate(o, ctx);
    if (stop) return { status: 'stopped', ...stop, plan, diagnostics };
  }
  const events: RunEvent[] = [];
  const onEvent = (e: RunEvent): void => {
    events.push(e);
    o.onEvent?.(e);
  };
  const result = await runPlan(plan, {
    backend: o.backend, ffmpeg: tools, cache, journal, baseDir, onEvent,
    ...(o.concurrency ? { concurrency: o.concurrency } : {}), ...(only ? { only } : {}),
    ...(o.force ? { force: true } : {}), ...(o.frozen || o.assembleOnly ? { frozen: true } : {}), ...(o.signal ? { signal: o.signal } : {}),
    ...(o.stillsOnly ? { stillsOnly: true } : {}),
  });
  if (o.assembleOnly && result.failures.length > 0) {
    const missing = [...result.failures.map((f) => f.clip), ...result.skipped];
    return { status: 'stopped', reason: 'not-cached', plan, diagnostics, message: `${missing.length} clip(s) are not in the cache (${missing.join(', ')}); run \`storyboard render\` first` };
  }
  const failures = result.failures.map((f) => failureDiagnostic(f, loaded.source?.path ?? plan.storyboard.file, loaded.source?.text));
  return finish(plan, result, events, onEvent, { ...o, tools, baseDir, cache, diagnostics, failures, sources, lockPath: lockPathFor(file) });
}

/** Assemble and verify when every clip is there; write the lock file and the report whatever happened. */
async function finish(plan: Plan, result: RunResult, events: readonly RunEvent[], onEvent: (e: RunEvent) => void,
  o: RenderStoryboardOptions & { tools: FfmpegTools; baseDir: string; cache: ClipCache; diagnostics: readonly Diagnostic[]; failures: readonly Diagnostic[]; sources: ReadonlyMap<string, string>; lockPath: string }): Promise<RenderedStoryboard> {
  const previous = await readLock(o.lockPath);
  let film: LockFile['film'] = previous?.film;
  let verification: FilmVerification | undefined;
  let assemblyError: string | undefined;
  if (!o.stillsOnly && plan.jobs.every((j) => result.results.has(j.id)) && result.failures.length === 0) {
    try {
      ({ film, verification } = await assembleFilm(plan, result, {
        tools: o.tools, baseDir: o.baseDir, normalizedDir: join(o.cache.dir, 'normalized'), backend: o.backend.name, previous, onEvent, ...(o.signal ? { signal: o.signal } : {}),
      }));
      await writeSubtitles(filmStitch(plan, result), o.tools, join(o.baseDir, plan.stitch.output), false, o.signal);
    } catch (e) {
      assemblyError = e instanceof Error ? e.message : String(e);
    }
  }
  await writeLock(o.lockPath, lockOf(plan, result, o.backend, film, previous, o.stillsOnly === true));
  const drift = verification && film && !o.signal?.aborted ? await measureChains(plan, result, join(o.baseDir, film.file), o) : {};
  const base = { status: 'rendered' as const, plan, diagnostics: o.diagnostics, failures: o.failures, sources: o.sources, result, events, lockPath: o.lockPath, ...(film ? { film } : {}), ...(verification ? { verification } : {}), ...drift, ...(assemblyError ? { assemblyError } : {}) };
  if (assemblyError !== undefined || o.signal?.aborted) return base;
  // the report is a convenience: failing to write it never fails the render
  try {
    const report = await writeReport(plan, result, events, film, {
      tools: o.tools, baseDir: o.baseDir, backend: o.backend.name, ...(verification ? { verification } : {}), ...(drift.drift ? { drift: drift.drift } : {}), ...(o.signal ? { signal: o.signal } : {}),
    });
    return { ...base, report };
  } catch (e) {
    return { ...base, reportError: e instanceof Error ? e.message : String(e) };
  }
}

/** The chains' drift measured on the assembled film; a failure to measure is reported, never fails the render. */
async function measureChains(plan: Plan, result: RunResult, filmPath: string, o: { tools: FfmpegTools; baseDir: string; signal?: AbortSignal }): Promise<{ drift?: DriftReport; driftError?: string }> {
  if (!plan.jobs.some((j) => j.chain)) return {};
  try {
    const manifest = await readManifest(filmPath);
    if (!manifest) return { driftError: `${filmPath} has no timeline beside it` };
    const drift = await collectDrift(plan, result, { tools: o.tools, baseDir: o.baseDir, film: filmPath, manifest, ...(o.signal ? { signal: o.signal } : {}) });
    return drift ? { drift } : {};
  } catch (e) {
    return { driftError: e instanceof Error ? e.message : String(e) };
  }
}
