// Gathers what the render report shows (issue "see what you got"): clip outcomes, timings, thumbnails
// and the film check (collect-film-check.ts: the verification and every join measured on the film). All I/O
// lives here; render-report.ts turns the result into HTML.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { newSeconds } from '../compiler/plan/expected-output.js';
import { retimeStitch } from '../assembly/retime-stitch.js';
import type { ClipId, ClipJob, Join, Plan, SourcePosition } from '../compiler/plan/types.js';
import type { RunEvent } from '../runner/events.js';
import type { LockFile } from '../runner/lock-file.js';
import type { ClipResult, RunResult } from '../runner/run-plan.js';
import { runFfmpeg } from '../media/ffmpeg.js';
import type { FfmpegTools } from '../media/ffmpeg-binaries.js';
import type { FilmVerification } from '../assembly/verify-film.js';
import { collectFilmCheck, SEAM_SSIM_THRESHOLD, THUMB_WIDTH, type ReportFilmCheck, type ReportSeam } from './collect-film-check.js';
import type { DriftReport } from './collect-drift.js';
import { collectStills, type ReportStill } from './collect-stills.js';

/** What happened to a clip in this run; `not-run` when it was not selected (`--only`) or the run stopped first. */
export type ClipStatus = 'rendered' | 'cached' | 'failed' | 'skipped' | 'not-run';

/** First, middle and last frame of a clip as `data:image/jpeg;base64,` URIs (absent when the clip is missing). */
interface ReportFrames {
  readonly first?: string;
  readonly middle?: string;
  readonly last?: string;
}

/** One clip as the report shows it. */
export interface ReportClip {
  readonly id: ClipId;
  readonly scene: string;
  readonly shots: readonly string[];
  readonly at: SourcePosition;
  readonly status: ClipStatus;
  readonly prompt: string;
  /** The prompt the backend says it used, when it differs from the one sent. */
  readonly actualPrompt?: string;
  readonly model: string;
  readonly seed: number;
  readonly seedSource: 'explicit' | 'derived';
  /** Seconds: measured when the clip exists, planned otherwise. */
  readonly duration: number;
  /** Planned seconds the film shows (a continued clip's carried seconds are not), which place it on the timeline. */
  readonly plannedDuration: number;
  /** Start in the film, in seconds: where its first shown frame is. */
  readonly start: number;
  /** Clip continuation: the seconds it repeats from the clip it continues (in its video, not in the film). */
  readonly carried?: number;
  readonly width: number;
  readonly height: number;
  readonly audio: boolean;
  readonly costUsd: number;
  readonly resolution: string;
  readonly taskId?: string;
  /** Wall-clock milliseconds the backend took (rendered clips only). */
  readonly wallMs?: number;
  /** Why the clip failed or was skipped. */
  readonly message?: string;
  readonly frames: ReportFrames;
  /** Reference-to-video clips: who each reference is (`Image 1` → `mara`). */
  readonly references?: readonly { readonly label: string; readonly character: string; readonly kind: 'image' | 'video' }[];
  /** Stills the clip uses. */
  readonly stills?: readonly string[];
}

/** A scene with its clips in film order. */
export interface ReportScene {
  readonly id: string;
  readonly title: string;
  readonly clips: readonly ReportClip[];
}

/** A join on the film's timeline, at the start of its second clip. */
export interface ReportJoin {
  readonly from: ClipId;
  readonly to: ClipId;
  readonly type: Join['type'];
  readonly duration: number;
  readonly at: number;
}

/** Everything the render report shows: plain, serialisable data. */
export interface ReportData {
  readonly title: string;
  readonly storyboard: string;
  readonly backend: string;
  readonly film: { readonly file: string; readonly duration: number; readonly assembled: boolean };
  readonly totals: {
    readonly clips: number; readonly rendered: number; readonly cached: number; readonly failed: number; readonly skipped: number;
    /** Seconds of video generated in this run, and their estimated cost in USD. */
    readonly seconds: number; readonly costUsd: number;
    /** The whole plan's seconds and estimated cost if everything were rendered. */
    readonly planSeconds: number; readonly planCostUsd: number;
  };
  readonly scenes: readonly ReportScene[];
  /** The storyboard's stills (generated images), reviewable before video is paid for. */
  readonly stills: readonly ReportStill[];
  readonly joins: readonly ReportJoin[];
  /** What verifying the assembled film found; "not verified" when it was not assembled or not verified. */
  readonly filmCheck: ReportFilmCheck;
  /** Every join of the film, measured on the film when it was verified. */
  readonly seams: readonly ReportSeam[];
  /** Continuity seams below this SSIM are shown as drift. */
  readonly ssimThreshold: number;
  /** Drift of the continuity chains against their anchors (when the plan has chains). */
  readonly drift?: DriftReport;
}

/** Options of {@link collectReport}. */
export interface CollectReportOptions {
  readonly tools: FfmpegTools;
  /** The storyboard's directory (the film path is relative to it). */
  readonly baseDir: string;
  /** Name of the backend the clips came from. */
  readonly backend: string;
  readonly signal?: AbortSignal;
  /** Most ffmpeg processes at once (default 2). */
  readonly concurrency?: number;
  /** What verifying the assembled film found (its seams measured on the film itself). */
  readonly verification?: FilmVerification;
  /** Drift of the continuity chains, measured on the film. */
  readonly drift?: DriftReport;
}

type Outcome = { status: ClipStatus; wallMs?: number; taskId?: string; message?: string };
/** What the extraction helpers share: options, the ffmpeg limiter and fresh temp file names. */
type Ctx = { readonly options: CollectReportOptions; readonly limit: Limiter; readonly tempFile: (ext: 'jpg' | 'png') => string };

/** Extracts thumbnails and the film check for a finished (or partly failed) run and returns the report's data. */
export async function collectReport(planned: Plan, result: RunResult, events: readonly RunEvent[], film: LockFile['film'], options: CollectReportOptions): Promise<ReportData> {
  // times as the film has them: a clip that ends early on its sharpest frame moves what follows it
  const plan: Plan = { ...planned, stitch: retimeStitch(planned, new Map(planned.jobs.map((j) => [j.id, result.results.get(j.id)?.seamFrame?.fromEnd ?? 0]))) };
  const temp = await mkdtemp(join(tmpdir(), 'storyboard-report-'));
  try {
    let serial = 0;
    const ctx: Ctx = { options, limit: limiter(options.concurrency ?? 2), tempFile: (ext) => join(temp, `${++serial}.${ext}`) };
    const frames = new Map(await Promise.all(plan.jobs.map(async (j) => [j.id, await clipFrames(result.results.get(j.id), ctx, j.carry?.seconds ?? 0)] as const)));
    const outcomes = outcomesOf(plan, result, events);
    const clips = plan.jobs.map((j, i) => reportClip(j, plan.stitch.starts[i] ?? 0, result.results.get(j.id), outcomes.get(j.id), frames.get(j.id) ?? {}));
    const stills = await collectStills(plan, result, events, {
      tools: options.tools, limit: ctx.limit, tempFile: ctx.tempFile, thumbWidth: THUMB_WIDTH, ...(options.signal ? { signal: options.signal } : {}),
    });
    const assembled = film !== undefined && events.some((e) => e.type === 'stitched');
    const filmPath = join(options.baseDir, film?.file ?? plan.stitch.output);
    const { check, seams } = await collectFilmCheck(plan, { path: filmPath, assembled }, options.verification, {
      tools: options.tools, limit: ctx.limit, tempFile: ctx.tempFile, ...(options.signal ? { signal: options.signal } : {}),
    });
    return {
      title: plan.storyboard.title ?? plan.storyboard.file,
      storyboard: plan.storyboard.file,
      backend: options.backend,
      film: { file: film?.file ?? plan.stitch.output, duration: film?.duration ?? plan.stitch.duration, assembled },
      totals: totalsOf(plan, clips),
      scenes: scenesOf(plan, clips),
      stills,
      joins: joinsAt(plan),
      filmCheck: check,
      seams,
      ssimThreshold: SEAM_SSIM_THRESHOLD,
      ...(options.drift ? { drift: options.drift } : {}),
    };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/** What the run's events and result say happened to each clip (events know timings and rendered vs cached). */
function outcomesOf(plan: Plan, result: RunResult, events: readonly RunEvent[]): Map<ClipId, Outcome> {
  const out = new Map<ClipId, Outcome>();
  for (const e of events) {
    if ('node' in e && e.node === 'still') continue;
    if (e.type === 'rendered') out.set(e.clip, { status: 'rendered', wallMs: e.wallMs, ...(e.taskId ? { taskId: e.taskId } : {}) });
    else if (e.type === 'cached') out.set(e.clip, { status: 'cached' });
    else if (e.type === 'skipped') out.set(e.clip, { status: 'skipped', message: e.reason });
  }
  for (const f of result.failures) if (f.kind === 'clip') out.set(f.clip, { status: 'failed', message: f.message });
  for (const id of result.skipped) if (!out.has(id)) out.set(id, { status: 'skipped', message: 'an input clip was not made' });
  for (const j of plan.jobs) {
    const r = result.results.get(j.id);
    if (r && !out.has(j.id)) out.set(j.id, { status: r.cached ? 'cached' : 'rendered' });
  }
  return out;
}

function reportClip(job: ClipJob, start: number, r: ClipResult | undefined, o: Outcome | undefined, frames: ReportFrames): ReportClip {
  const m = r?.entry.meta;
  const taskId = o?.taskId ?? m?.taskId;
  return {
    id: job.id, scene: job.scene, shots: job.shots, at: job.at, status: o?.status ?? 'not-run',
    prompt: job.prompt, ...(m?.actualPrompt && m.actualPrompt !== job.prompt ? { actualPrompt: m.actualPrompt } : {}),
    model: job.model, seed: job.seed.value, seedSource: job.seed.source,
    duration: m?.duration ?? job.expected.duration, plannedDuration: newSeconds(job), start: start + (job.carry?.seconds ?? 0),
    ...(job.carry ? { carried: job.carry.seconds } : {}),
    width: m?.width ?? job.expected.width, height: m?.height ?? job.expected.height, audio: m?.audio ?? job.expected.audio,
    costUsd: job.cost.usd, resolution: job.cost.resolution,
    ...(taskId ? { taskId } : {}), ...(o?.wallMs !== undefined ? { wallMs: o.wallMs } : {}), ...(o?.message ? { message: o.message } : {}),
    frames,
    ...(job.references?.length ? { references: job.references.map((x) => ({ label: x.label, character: x.character, kind: x.kind })) } : {}),
    ...(job.stills?.length ? { stills: job.stills } : {}),
  };
}

function totalsOf(plan: Plan, clips: readonly ReportClip[]): ReportData['totals'] {
  const count = (s: ClipStatus): number => clips.filter((c) => c.status === s).length;
  const rendered = plan.jobs.filter((_, i) => clips[i]?.status === 'rendered');
  return {
    clips: clips.length, rendered: count('rendered'), cached: count('cached'), failed: count('failed'), skipped: count('skipped'),
    seconds: rendered.reduce((s, j) => s + j.expected.duration, 0),
    costUsd: Math.round(rendered.reduce((s, j) => s + j.cost.usd, 0) * 100) / 100,
    planSeconds: plan.totals.seconds, planCostUsd: plan.totals.usd,
  };
}

function scenesOf(plan: Plan, clips: readonly ReportClip[]): ReportScene[] {
  const titles = new Map(plan.stitch.chapters.map((c) => [c.scene, c.title]));
  // one pass (scenes in order of first appearance): a plan may hold 100,000 scenes
  const byScene = new Map<string, ReportClip[]>();
  for (const c of clips) {
    const list = byScene.get(c.scene);
    if (list) list.push(c);
    else byScene.set(c.scene, [c]);
  }
  return [...byScene].map(([id, sceneClips]) => ({ id, title: titles.get(id) ?? id, clips: sceneClips }));
}

/** Each join with the film time it happens at (the start of its second clip), found by id in one map. */
function joinsAt(plan: Plan): ReportData['joins'] {
  // a continued clip shows from its first new frame: the join is there
  const carried = new Map(plan.jobs.map((j) => [j.id, j.carry?.seconds ?? 0]));
  const startOf = new Map(plan.stitch.order.map((id, i) => [id, (plan.stitch.starts[i] ?? 0) + (carried.get(id) ?? 0)]));
  return plan.stitch.joins.map((jn) => ({ ...jn, at: startOf.get(jn.to) ?? 0 }));
}

/** The first, middle and last frame a clip shows in the film (a continued clip's carried seconds skipped). */
async function clipFrames(r: ClipResult | undefined, ctx: Ctx, carried: number): Promise<ReportFrames> {
  if (!r) return {};
  const outs = { first: ctx.tempFile('jpg'), middle: ctx.tempFile('jpg'), last: ctx.tempFile('jpg') };
  await ctx.limit(() => extractThumbnails(ctx.options, r.file, outs, r.entry.meta.duration, carried));
  const uri = async (file: string): Promise<string> => `data:image/jpeg;base64,${(await readFile(file)).toString('base64')}`;
  const [first, middle, last] = await Promise.all([uri(outs.first), uri(outs.middle), uri(outs.last)]);
  return { first, middle, last };
}

/**
 * Writes the first, middle and last frame of `video` as THUMB_WIDTH-wide JPEGs in one ffmpeg run (the clip opened
 * three times, each seeking to its own point). The last frame is found like extractLastFrame does: decode the last
 * half second and take it in reverse.
 */
async function extractThumbnails(options: CollectReportOptions, video: string, out: { first: string; middle: string; last: string }, duration: number, from: number): Promise<void> {
  const file = resolve(video);
  const seeks = [from, (from + duration) / 2, Math.max(from, duration - 0.5)];
  const jpeg = ['-frames:v', '1', '-f', 'image2', '-update', '1', '-c:v', 'mjpeg', '-q:v', '4', '-fflags', '+bitexact', '-flags:v', '+bitexact'];
  const scale = `scale=${THUMB_WIDTH}:-2`;
  await runFfmpeg(options.tools, [
    ...seeks.flatMap((s) => ['-ss', s.toFixed(6), '-i', file]),
    '-map', '0:v:0', '-vf', scale, ...jpeg, out.first,
    '-map', '1:v:0', '-vf', scale, ...jpeg, out.middle,
    '-map', '2:v:0', '-vf', `reverse,${scale}`, ...jpeg, out.last,
  ], options.signal ? { signal: options.signal } : {});
}

type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/** Runs at most `n` tasks at once, in the order they were asked for. */
function limiter(n: number): Limiter {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    // a finishing task hands its slot straight to the next waiter, so no newcomer can slip in between
    if (active >= n) await new Promise<void>((go) => waiting.push(go));
    else active++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
