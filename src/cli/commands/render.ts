// `storyboard render <file>` and `storyboard stitch <file>`: a thin adapter over the library stage
// `renderStoryboard` (src/render): options and backend from the command line, progress on the terminal, the
// cost question on a TTY, failures and the summary printed, the exit code returned.
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { FilmVerification } from '../../assembly/verify-film.js';
import type { Backend } from '../../backends/backend.js';
import { createDashscopeBackend } from '../../backends/dashscope/dashscope-backend.js';
import { createPreviewBackend, type PreviewBackendOptions } from '../../backends/preview/preview-backend.js';
import { driftFromEnv } from '../../backends/preview/preview-drift.js';
import type { Plan } from '../../compiler/plan/types.js';
import type { DriftReport } from '../../report/collect-drift.js';
import { renderStoryboard, type PaidSpend, type RenderedStoryboard } from '../../render/render-storyboard.js';
import type { RunEvent } from '../../runner/events.js';
import type { RunResult } from '../../runner/run-plan.js';
import { EXIT } from '../exit-codes.js';
import { printDiagnostics, type Output } from '../output.js';
import { jsonView, lineView, ttyView, type ProgressView } from '../progress-view.js';
import { driftJson, driftLines } from './render-drift-summary.js';

/** Options of `storyboard render`. */
export interface RenderOptions {
  readonly backend: 'preview' | 'dashscope';
  readonly concurrency?: number;
  readonly only?: readonly string[];
  readonly force?: boolean;
  readonly frozen?: boolean;
  readonly json?: boolean;
  readonly cacheDir?: string;
  readonly ffmpeg?: string;
  readonly ffprobe?: string;
  readonly signal?: AbortSignal;
  /** Writes raw text to the terminal (TTY progress redraws). */
  readonly write?: (s: string) => void;
  /** DashScope key and base URL (default: DASHSCOPE_API_KEY / DASHSCOPE_BASE_URL). */
  readonly apiKey?: string;
  readonly baseUrl?: string;
  /** Seconds DashScope may stay unreachable before a clip gives up (default: DASHSCOPE_UNREACHABLE_TIMEOUT, else 600). */
  readonly unreachableTimeout?: number;
  /** Skip the cost confirmation of a paid backend. */
  readonly yes?: boolean;
  /** Largest estimated USD a paid render may spend (default: the storyboard's `budget:`); checked before anything is submitted. */
  readonly budget?: number;
  /** Asks a yes/no question on the terminal (paid backends on a TTY). */
  readonly confirm?: (question: string) => Promise<boolean>;
  readonly env?: NodeJS.ProcessEnv;
  /** `storyboard stitch`: assemble from cached clips only; never render or call a backend. */
  readonly assembleOnly?: boolean;
  /** `render --stills`: make only the stills. */
  readonly stills?: boolean;
}

/** `storyboard render <file>`: validate → compile → run the clip graph → stitch → verify → lock file and summary. */
export async function renderCommand(file: string, out: Output, options: RenderOptions): Promise<number> {
  const backend = options.assembleOnly ? identityOf(options, out) : makeBackend(options, join(dirname(file), '.storyboard'), out);
  if (!backend) return EXIT.usage;
  let view: ProgressView | undefined;
  const outcome = await renderStoryboard(file, {
    backend, ffmpegPaths: { ...(options.ffmpeg ? { ffmpeg: options.ffmpeg } : {}), ...(options.ffprobe ? { ffprobe: options.ffprobe } : {}) },
    onLoaded: (diagnostics, sources) => printDiagnostics(out, diagnostics, sources),
    ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}), ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.only?.length ? { only: options.only } : {}), ...(options.force ? { force: true } : {}), ...(options.frozen ? { frozen: true } : {}),
    ...(options.assembleOnly ? { assembleOnly: true } : {}), ...(options.stills ? { stillsOnly: true } : {}), ...(options.budget !== undefined ? { budget: options.budget } : {}), ...(options.signal ? { signal: options.signal } : {}),
    approve: async (spend) => {
      const question = costQuestion(spend);
      if (options.yes) {
        out.err(question);
        return true;
      }
      if (!options.confirm || !out.isTTY) {
        out.err(`${question}\nstoryboard: pass --yes to confirm spending (no terminal to ask on)`);
        return false;
      }
      return options.confirm(`${question} Continue? [y/N] `);
    },
    onEvent: (e) => {
      view ??= options.json ? jsonView(out) : options.write && out.isTTY ? ttyView(options.write) : lineView(out);
      view.onEvent(e);
    },
  });
  view?.close();
  if (outcome.status === 'invalid') return outcome.unreadable ? EXIT.usage : EXIT.failed;
  if (outcome.status === 'stopped') {
    // a declined question was answered (or explained) on the terminal already
    if (outcome.reason === 'budget') out.err(outcome.message);
    else if (outcome.reason !== 'declined') out.err(`storyboard: ${outcome.message}`);
    return outcome.reason === 'declined' || outcome.reason === 'unknown-scenes' ? EXIT.usage : EXIT.failed;
  }
  return printOutcome(out, file, outcome, options);
}

/** The cost question of a paid render. */
function costQuestion(s: PaidSpend): string {
  const stills = s.stills ? `${s.stills} still${s.stills === 1 ? '' : 's'}` : '';
  const clips = s.clips || !stills ? `${s.clips} clip${s.clips === 1 ? '' : 's'} (${s.seconds} s of video)` : '';
  return `This render submits ${[stills, clips].filter(Boolean).join(' and ')} to ${s.backend}, estimated $${s.usd.toFixed(2)}.`;
}

/** Prints what a finished render found; the exit code: 1 when a clip, the film or its verification failed. */
function printOutcome(out: Output, file: string, r: RenderedStoryboard, options: RenderOptions): number {
  const { plan, result } = r;
  const baseDir = dirname(file);
  if (r.assemblyError !== undefined) {
    out.err(`storyboard: assembling ${plan.stitch.output} failed: ${r.assemblyError}`);
    return EXIT.failed;
  }
  if (r.reportError !== undefined) out.err(`storyboard: warning: the render report was not written: ${r.reportError}`);
  printDiagnostics(out, r.failures, r.sources);
  const filmPath = relative('.', join(baseDir, plan.stitch.output));
  const complete = !options.stills && plan.jobs.every((j) => result.results.has(j.id)) && result.failures.length === 0;
  if (r.verification && !r.verification.ok) printVerification(out, filmPath, r.verification);
  if (r.driftError !== undefined) out.err(`storyboard: warning: drift along the chains was not measured: ${r.driftError}`);
  printSummary(out, plan, result, r.events, { json: options.json === true, output: complete ? filmPath : undefined, lock: relative('.', r.lockPath), verification: r.verification, stillsOnly: options.stills === true, drift: r.drift });
  if (r.report && !options.json) out.err(`report: ${relative('.', r.report)}`);
  return result.failures.length > 0 || result.skipped.length > 0 || r.verification?.ok === false ? EXIT.failed : EXIT.ok;
}

/** A failed verification is an error with the film frames and times it concerns (the film is kept for inspection). */
function printVerification(out: Output, film: string, v: FilmVerification): void {
  const shown = v.problems.slice(0, 12);
  for (const p of shown) out.err(`${film}: error film-${p.kind}: ${p.message}`);
  if (v.problems.length > shown.length) out.err(`${film}: … and ${v.problems.length - shown.length} more problems (storyboard verify ${film})`);
  out.err(`storyboard: the film failed verification: ${v.frames.decoded} frames decoded, ${v.frames.verified} verified, ${v.problems.length} problem${v.problems.length === 1 ? '' : 's'}`);
}

/** The preview's options from the environment: simulated drift from STORYBOARD_PREVIEW_DRIFT (tests); undefined after a bad spec. */
function previewOptions(options: RenderOptions, out: Output): PreviewBackendOptions | undefined {
  try {
    const drift = driftFromEnv(options.env ?? process.env);
    return drift ? { drift } : {};
  } catch (e) {
    out.err(`storyboard: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

/** A backend's identity without credentials: enough to find its clips in the cache, never called. */
function identityOf(options: RenderOptions, out: Output): Backend | undefined {
  const preview = options.backend === 'preview' ? previewOptions(options, out) : undefined;
  if (options.backend === 'preview' && !preview) return undefined;
  const real = preview ? createPreviewBackend(preview) : createDashscopeBackend({ apiKey: 'unused' });
  return { name: real.name, version: real.version, paid: false, concurrency: () => 1, render: () => Promise.reject(new Error('stitch never renders')) };
}

function makeBackend(options: RenderOptions, workDir: string, out: Output): Backend | undefined {
  if (options.backend === 'preview') {
    const preview = previewOptions(options, out);
    // each preview ffmpeg already uses two threads: more than two at once only thrashes a small machine
    return preview && { ...createPreviewBackend(preview), maxConcurrency: Math.max(1, Math.min(2, availableParallelism())) };
  }
  const env = options.env ?? process.env;
  const apiKey = options.apiKey ?? env.DASHSCOPE_API_KEY;
  if (!apiKey) {
    out.err('storyboard: the dashscope backend needs an API key: set DASHSCOPE_API_KEY or pass --api-key');
    return undefined;
  }
  const baseUrl = options.baseUrl ?? env.DASHSCOPE_BASE_URL;
  const fromEnv = Number(env.DASHSCOPE_UNREACHABLE_TIMEOUT);
  if (env.DASHSCOPE_UNREACHABLE_TIMEOUT !== undefined && !(Number.isInteger(fromEnv) && fromEnv >= 1)) {
    out.err('storyboard: DASHSCOPE_UNREACHABLE_TIMEOUT must be a whole number of seconds, at least 1');
    return undefined;
  }
  const unreachableTimeoutSeconds = options.unreachableTimeout ?? (env.DASHSCOPE_UNREACHABLE_TIMEOUT !== undefined ? fromEnv : undefined);
  return createDashscopeBackend({ apiKey, uploadCacheFile: join(workDir, 'uploads.json'), ...(baseUrl ? { baseUrl } : {}), ...(unreachableTimeoutSeconds ? { unreachableTimeoutSeconds } : {}) });
}

function printSummary(out: Output, plan: Plan, result: RunResult, events: readonly RunEvent[], o: { json: boolean; output: string | undefined; lock: string; verification: FilmVerification | undefined; stillsOnly: boolean; drift: DriftReport | undefined }): void {
  const rendered = events.filter((e) => e.type === 'rendered' && e.node !== 'still').length;
  const cached = events.filter((e) => e.type === 'cached' && e.node !== 'still').length;
  const stillsMade = events.filter((e) => e.type === 'rendered' && e.node === 'still').length;
  const stillsCached = events.filter((e) => e.type === 'cached' && e.node === 'still').length;
  const stillIds = new Set(events.flatMap((e) => (e.type === 'rendered' && e.node === 'still' ? [e.clip] : [])));
  const stillsCost = plan.stills.filter((s) => stillIds.has(s.id)).reduce((sum, s) => sum + s.cost.usd, 0);
  // a set, not a search of the events per clip: quadratic on a 100,000-clip plan
  const renderedIds = new Set(events.flatMap((e) => (e.type === 'rendered' ? [e.clip] : [])));
  const made = plan.jobs.filter((j) => renderedIds.has(j.id));
  const seconds = made.reduce((s, j) => s + j.expected.duration, 0);
  const cost = made.reduce((s, j) => s + j.cost.usd, 0) + stillsCost;
  const summary = { type: 'summary', rendered, cached, stills: { made: stillsMade, cached: stillsCached }, failed: result.failures.length, skipped: result.skipped.length, seconds, estimatedCostUsd: Math.round(cost * 100) / 100, output: o.output ?? null, lock: o.lock,
    verified: o.verification ? { ok: o.verification.ok, frames: o.verification.frames.decoded, problems: o.verification.problems.map((p) => ({ kind: p.kind, message: p.message })) } : null,
    ...(o.drift ? { drift: driftJson(o.drift) } : {}) };
  if (o.json) {
    out.out(JSON.stringify(summary));
    return;
  }
  for (const line of driftLines(o.drift)) out.err(line);
  const parts = [
    plan.stills.length ? `${stillsMade} still${stillsMade === 1 ? '' : 's'} made, ${stillsCached} cached` : '',
    o.stillsOnly ? '' : `${rendered} clip${rendered === 1 ? '' : 's'} rendered, ${cached} cached`,
  ].filter(Boolean).join('; ');
  out.err(`${parts}${result.failures.length ? `, ${result.failures.length} failed` : ''}${result.skipped.length ? `, ${result.skipped.length} skipped` : ''}; ` +
    `${o.stillsOnly ? '' : `${seconds} s generated `}(about $${summary.estimatedCostUsd.toFixed(2)} on the DashScope API)`);
  out.err(o.stillsOnly ? 'film: not assembled (--stills makes only the stills; review them in the report, then render without --stills)'
    : o.output ? `film: ${o.output}` : 'film: not assembled (not every clip is available); finished clips are kept in the cache');
}
