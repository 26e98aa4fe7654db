import { access } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { Backend } from '../../backends/backend.js';
import { createDashscopeBackend } from '../../backends/dashscope/dashscope-backend.js';
import { createPreviewBackend } from '../../backends/preview/preview-backend.js';
import type { Plan } from '../../compiler/plan/types.js';
import { ClipCache } from '../../runner/clip-cache.js';
import type { RunEvent } from '../../runner/events.js';
import { sha256File } from '../../io/hash.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { writeReport } from '../../report/write-report.js';
import { burnSubtitles } from '../../assembly/burn-subtitles.js';
import { probeMedia } from '../../media/ffmpeg.js';
import { toSrt, toVtt } from '../../assembly/subtitles.js';
import { bundledFontsDir } from '../../backends/preview/preview-backend.js';
import { lockPathFor, readLock, writeLock, type LockedClip, type LockFile } from '../../runner/lock-file.js';
import { runPlan, type RunResult } from '../../runner/run-plan.js';
import { FileTaskJournal } from '../../runner/task-journal.js';
import { resolveFfmpeg, type FfmpegTools } from '../../media/ffmpeg-binaries.js';
import { stitchFilm, stitchKey, type FilmClip } from '../../assembly/stitch-film.js';
import { readManifest, writeManifest } from '../../assembly/film-manifest.js';
import { verifyFilm, type FilmVerification } from '../../assembly/verify-film.js';
import { codeTag } from '../../media/frame-code.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';
import { jsonView, lineView, ttyView, type ProgressView } from '../progress-view.js';
import { checkBudget, clipsToRender } from '../../runner/budget.js';
import { loadPlanWithStoryboard } from './plan.js';

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
  /** Skip the cost confirmation of a paid backend. */
  readonly yes?: boolean;
  /** Largest estimated USD a paid render may spend (default: the storyboard's `budget:`); checked before anything is submitted. */
  readonly budget?: number;
  /** Asks a yes/no question on the terminal (paid backends on a TTY). */
  readonly confirm?: (question: string) => Promise<boolean>;
  readonly env?: NodeJS.ProcessEnv;
  /** `storyboard stitch`: assemble from cached clips only; never render or call a backend. */
  readonly assembleOnly?: boolean;
}

/** `storyboard render <file>`: validate → compile → run the clip graph → stitch → lock file and summary. */
export async function renderCommand(file: string, out: Output, options: RenderOptions): Promise<number> {
  const { plan, storyboard, code } = await loadPlanWithStoryboard(file, out);
  if (!plan) return code;
  const budget = options.budget ?? storyboard?.budget;
  let tools: FfmpegTools;
  try {
    tools = await resolveFfmpeg({ ...(options.ffmpeg ? { ffmpeg: options.ffmpeg } : {}), ...(options.ffprobe ? { ffprobe: options.ffprobe } : {}) });
  } catch (e) {
    out.err(`storyboard: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT.failed;
  }
  const baseDir = dirname(file);
  const workDir = join(baseDir, '.storyboard');
  const backend = options.assembleOnly ? identityOf(options.backend) : makeBackend(options, workDir, out);
  if (!backend) return EXIT.usage;
  const cache = new ClipCache(options.cacheDir ?? join(workDir, 'cache'), tools);
  await cache.init();
  const journal = await FileTaskJournal.open(join(workDir, 'journal'));
  const only = options.only?.length ? checkOnly(plan, options.only, out) : undefined;
  if (only === null) return EXIT.usage;
  if (backend.paid && !options.assembleOnly && !options.frozen) {
    const stop = await confirmCost(plan, backend, { tools, cache, journal, baseDir, only, out, options, budget });
    if (stop !== undefined) return stop;
  }
  const view: ProgressView = options.json ? jsonView(out) : options.write && out.isTTY ? ttyView(options.write) : lineView(out);
  const events: RunEvent[] = [];
  const onEvent = (e: RunEvent): void => {
    events.push(e);
    view.onEvent(e);
  };
  const result = await runPlan(plan, {
    backend, ffmpeg: tools, cache, journal, baseDir, onEvent,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}), ...(only ? { only } : {}),
    ...(options.force ? { force: true } : {}), ...(options.frozen || options.assembleOnly ? { frozen: true } : {}), ...(options.signal ? { signal: options.signal } : {}),
  });
  if (options.assembleOnly && result.failures.length > 0) {
    view.close();
    out.err(`storyboard: ${result.failures.length + result.skipped.length} clip(s) are not in the cache (${[...result.failures.map((f) => f.clip), ...result.skipped].join(', ')}); run \`storyboard render\` first`);
    return EXIT.failed;
  }
  const lockPath = lockPathFor(file);
  const previous = await readLock(lockPath);
  let film: LockFile['film'] = previous?.film;
  let verification: FilmVerification | undefined;
  const complete = plan.jobs.every((j) => result.results.has(j.id));
  if (complete && result.failures.length === 0) {
    try {
      ({ film, verification } = await assemble(plan, result, tools, { baseDir, normalizedDir: join(cache.dir, 'normalized'), backend: backend.name }, previous, onEvent, options.signal));
      await writeSubtitles(plan, tools, join(baseDir, plan.stitch.output), false, options.signal);
    } catch (e) {
      view.close();
      out.err(`storyboard: assembling ${plan.stitch.output} failed: ${e instanceof Error ? e.message : String(e)}`);
      await writeLock(lockPath, lockOf(plan, result, backend, film));
      return EXIT.failed;
    }
  }
  view.close();
  await writeLock(lockPath, lockOf(plan, result, backend, film));
  // the report is a convenience: failing to write it never fails the render
  const report = options.signal?.aborted ? undefined : await writeReport(plan, result, events, film, { tools, baseDir, backend: backend.name, ...(verification ? { verification } : {}), ...(options.signal ? { signal: options.signal } : {}) })
    .catch((e: unknown) => void out.err(`storyboard: warning: the render report was not written: ${e instanceof Error ? e.message : String(e)}`));
  printFailures(out, plan, result);
  const filmPath = relative('.', join(baseDir, plan.stitch.output));
  if (verification && !verification.ok) printVerification(out, filmPath, verification);
  printSummary(out, plan, result, events, { json: options.json === true, output: complete && result.failures.length === 0 ? filmPath : undefined, lock: relative('.', lockPath), verification });
  if (report && !options.json) out.err(`report: ${relative('.', report)}`);
  return result.failures.length > 0 || result.skipped.length > 0 || verification?.ok === false ? EXIT.failed : EXIT.ok;
}

/** A failed verification is an error with the film frames and times it concerns (the film is kept for inspection). */
function printVerification(out: Output, film: string, v: FilmVerification): void {
  const shown = v.problems.slice(0, 12);
  for (const p of shown) out.err(`${film}: error film-${p.kind}: ${p.message}`);
  if (v.problems.length > shown.length) out.err(`${film}: … and ${v.problems.length - shown.length} more problems (storyboard verify ${film})`);
  out.err(`storyboard: the film failed verification: ${v.frames.decoded} frames decoded, ${v.frames.verified} verified, ${v.problems.length} problem${v.problems.length === 1 ? '' : 's'}`);
}

/** A backend's identity without credentials: enough to find its clips in the cache, never called. */
function identityOf(name: RenderOptions['backend']): Backend {
  const real = name === 'preview' ? createPreviewBackend() : createDashscopeBackend({ apiKey: 'unused' });
  return { name: real.name, version: real.version, paid: false, concurrency: () => 1, render: () => Promise.reject(new Error('stitch never renders')) };
}

function makeBackend(options: RenderOptions, workDir: string, out: Output): Backend | undefined {
  // each preview ffmpeg already uses two threads: more than two at once only thrashes a small machine
  if (options.backend === 'preview') return { ...createPreviewBackend(), maxConcurrency: Math.max(1, Math.min(2, availableParallelism())) };
  const env = options.env ?? process.env;
  const apiKey = options.apiKey ?? env.DASHSCOPE_API_KEY;
  if (!apiKey) {
    out.err('storyboard: the dashscope backend needs an API key: set DASHSCOPE_API_KEY or pass --api-key');
    return undefined;
  }
  const baseUrl = options.baseUrl ?? env.DASHSCOPE_BASE_URL;
  return createDashscopeBackend({ apiKey, uploadCacheFile: join(workDir, 'uploads.json'), ...(baseUrl ? { baseUrl } : {}) });
}

/**
 * A paid render first finds out what is not cached (a frozen pass submits nothing), refuses when that is
 * estimated above the budget, then asks on a TTY with the estimated cost; without a TTY it needs --yes.
 * Nothing to render means nothing to ask. Returns the exit code when the render must stop.
 */
async function confirmCost(plan: Plan, backend: Backend, c: { tools: FfmpegTools; cache: ClipCache; journal: FileTaskJournal; baseDir: string; only: Set<string> | undefined; out: Output; options: RenderOptions; budget: number | undefined }): Promise<number | undefined> {
  const dry = await runPlan(plan, { backend, ffmpeg: c.tools, cache: c.cache, journal: c.journal, baseDir: c.baseDir, frozen: true, ...(c.only ? { only: c.only } : {}), ...(c.options.force ? { force: true } : {}) });
  const ids = new Set(clipsToRender(plan, dry));
  if (ids.size === 0) return undefined;
  const refusal = checkBudget(plan, ids, c.budget);
  if (refusal) {
    c.out.err(refusal);
    return EXIT.failed;
  }
  const todo = plan.jobs.filter((j) => ids.has(j.id));
  const seconds = todo.reduce((s, j) => s + j.expected.duration, 0);
  const usd = todo.reduce((s, j) => s + j.cost.usd, 0);
  const question = `This render submits ${todo.length} clip${todo.length === 1 ? '' : 's'} (${seconds} s of video) to ${backend.name}, estimated $${usd.toFixed(2)}.`;
  if (c.options.yes) {
    c.out.err(question);
    return undefined;
  }
  if (!c.options.confirm || !c.out.isTTY) {
    c.out.err(`${question}\nstoryboard: pass --yes to confirm spending (no terminal to ask on)`);
    return EXIT.usage;
  }
  return (await c.options.confirm(`${question} Continue? [y/N] `)) ? undefined : EXIT.usage;
}

function checkOnly(plan: Plan, only: readonly string[], out: Output): Set<string> | null {
  const scenes = new Set(plan.jobs.map((j) => j.scene));
  const unknown = only.filter((s) => !scenes.has(s));
  if (unknown.length) {
    out.err(`storyboard: unknown scene${unknown.length > 1 ? 's' : ''} in --only: ${unknown.join(', ')} (scenes: ${[...scenes].join(', ')})`);
    return null;
  }
  return new Set(only);
}

/**
 * Writes `<film>.srt` / `<film>.vtt` from the shots' dialogue and captions (when asked and there is any text),
 * and burns the subtitles into a freshly assembled film when `output.subtitles.burn` is set.
 */
async function writeSubtitles(plan: Plan, tools: FfmpegTools, film: string, burn: boolean, signal: AbortSignal | undefined): Promise<void> {
  const cues = plan.stitch.cues;
  if (cues.length === 0) return;
  const base = film.replace(/\.mp4$/i, '');
  if (plan.stitch.subtitles.srt || plan.stitch.subtitles.burn) await writeFileAtomic(`${base}.srt`, toSrt(cues));
  if (plan.stitch.subtitles.vtt) await writeFileAtomic(`${base}.vtt`, toVtt(cues));
  if (burn && plan.stitch.subtitles.burn) await burnSubtitles(tools, film, `${base}.srt`, bundledFontsDir(), signal);
}

/** The assembled film's lock entry and what its verification found. */
interface Assembled {
  readonly film: NonNullable<LockFile['film']>;
  readonly verification: FilmVerification;
}

async function assemble(plan: Plan, result: RunResult, tools: FfmpegTools, dirs: { baseDir: string; normalizedDir: string; backend: string }, previous: LockFile | undefined,
  onEvent: (e: RunEvent) => void, signal: AbortSignal | undefined): Promise<Assembled> {
  const output = join(dirs.baseDir, plan.stitch.output);
  const clips: FilmClip[] = plan.jobs.map((j) => {
    const r = result.results.get(j.id);
    if (!r) throw new Error(`clip ${j.id} is missing`);
    const m = r.entry.meta;
    // preview clips carry a frame code tagged with their cache key: verification checks each clip's identity
    const tag = dirs.backend === 'preview' ? codeTag(r.key) : undefined;
    return { clip: j.id, file: r.file, sha256: r.sha256, duration: m.duration, width: m.width, height: m.height, audio: m.audio, ...(tag === undefined ? {} : { tag }) };
  });
  const spec = plan.stitch.music;
  const music = spec ? { ...spec, file: /^https?:\/\//i.test(spec.file) ? spec.file : join(dirs.baseDir, spec.file) } : undefined;
  const musicSha256 = music && !/^https?:\/\//i.test(music.file) ? await sha256File(music.file) : undefined;
  const title = plan.storyboard.title;
  const key = stitchKey(plan.stitch, clips, { ...(musicSha256 ? { musicSha256 } : {}), ...(title ? { title } : {}) });
  const file = plan.stitch.output;
  // an unchanged film is not assembled again: same clips, music and settings give the same bytes; its
  // verification, recorded next to it for exactly these bytes, stands
  if (previous?.film?.stitchKey === key && (await access(output).then(() => true, () => false)) && (await sha256File(output)) === previous.film.sha256) {
    const recorded = await readVerification(output, previous.film.sha256);
    if (recorded) {
      onEvent({ type: 'stitched', output: file, duration: previous.film.duration, sha256: previous.film.sha256, reused: true });
      return { film: previous.film, verification: recorded };
    }
  }
  onEvent({ type: 'stitching', output: file });
  const stitched = await stitchFilm(tools, plan.stitch, clips, output, {
    cacheDir: dirs.normalizedDir, ...(signal ? { signal } : {}), ...(music ? { music } : {}), ...(title ? { title } : {}),
  });
  // burning subtitles re-encodes the film: then the recorded hash and length are the final file's
  const burn = plan.stitch.subtitles.burn && plan.stitch.cues.length > 0;
  if (burn) await writeSubtitles(plan, tools, output, true, signal);
  const sha256 = burn ? await sha256File(output) : stitched.sha256;
  const duration = burn ? (await probeMedia(tools, output)).streams.find((s) => s.codecType === 'video')?.duration ?? plan.stitch.duration : stitched.duration;
  onEvent({ type: 'stitched', output: file, duration, sha256, reused: false });
  onEvent({ type: 'verifying', output: file });
  const verification = await verifyFilm(tools, output, stitched.manifest, signal ? { signal } : {});
  await writeManifest(output, { ...stitched.manifest, sha256, verification });
  onEvent({ type: 'verified', output: file, ok: verification.ok, frames: verification.frames.decoded, problems: verification.problems.length });
  return { film: { file, sha256, stitchKey: key, duration }, verification };
}

/** A verification recorded next to the film for these exact bytes, if any. */
async function readVerification(film: string, sha256: string): Promise<FilmVerification | undefined> {
  const recorded = await readManifest(film).catch(() => undefined);
  return recorded?.sha256 === sha256 && recorded.verification ? recorded.verification : undefined;
}

function lockOf(plan: Plan, result: RunResult, backend: Backend, film: LockFile['film']): LockFile {
  const clips: Record<string, LockedClip> = {};
  for (const j of plan.jobs) {
    const r = result.results.get(j.id);
    if (!r) continue;
    const m = r.entry.meta;
    clips[j.id] = {
      key: r.key, model: j.model, seed: j.seed.value, prompt: j.prompt, sha256: r.sha256, duration: m.duration, backend: backend.name,
      ...(m.actualPrompt ? { actualPrompt: m.actualPrompt } : {}), ...(m.taskId ? { taskId: m.taskId } : {}),
    };
  }
  return { version: 1, storyboard: plan.storyboard.file, clips, ...(film ? { film } : {}) };
}

function printFailures(out: Output, plan: Plan, result: RunResult): void {
  for (const f of result.failures) {
    out.err(`${plan.storyboard.file}:${f.at.line}:${f.at.column}: error render-${f.reason}: clip \`${f.clip}\`: ${f.message}`);
  }
}

function printSummary(out: Output, plan: Plan, result: RunResult, events: readonly RunEvent[], o: { json: boolean; output: string | undefined; lock: string; verification: FilmVerification | undefined }): void {
  const rendered = events.filter((e) => e.type === 'rendered').length;
  const cached = events.filter((e) => e.type === 'cached').length;
  const seconds = plan.jobs.filter((j) => events.some((e) => e.type === 'rendered' && e.clip === j.id)).reduce((s, j) => s + j.expected.duration, 0);
  const cost = plan.jobs.filter((j) => events.some((e) => e.type === 'rendered' && e.clip === j.id)).reduce((s, j) => s + j.cost.usd, 0);
  const summary = { type: 'summary', rendered, cached, failed: result.failures.length, skipped: result.skipped.length, seconds, estimatedCostUsd: Math.round(cost * 100) / 100, output: o.output ?? null, lock: o.lock,
    verified: o.verification ? { ok: o.verification.ok, frames: o.verification.frames.decoded, problems: o.verification.problems.map((p) => ({ kind: p.kind, message: p.message })) } : null };
  if (o.json) {
    out.out(JSON.stringify(summary));
    return;
  }
  out.err(`${rendered} clip${rendered === 1 ? '' : 's'} rendered, ${cached} cached${result.failures.length ? `, ${result.failures.length} failed` : ''}${result.skipped.length ? `, ${result.skipped.length} skipped` : ''}; ` +
    `${seconds} s generated (about $${summary.estimatedCostUsd.toFixed(2)} on the DashScope API)`);
  out.err(o.output ? `film: ${o.output}` : 'film: not assembled (not every clip is available); finished clips are kept in the cache');
}
