// Smart rendering (ffmpeg-notes §3 (d)): every clip is normalised once (cached), split at its forced IDRs
// by stream copy, only the transition windows are encoded, and the pieces are joined by stream copy; the
// audio is rendered apart in one audio-only pass. No frame is encoded twice, no process holds more than a
// fixed number of clips, so time and memory follow the transitions, not the film's length.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Join } from '../compiler/plan/types.js';
import { buildAudioArgs, type MusicSpec } from './audio-args.js';
import { chunks, mapLimited } from './batching.js';
import { PARALLEL_ENCODES } from './encode-settings.js';
import { runFfmpeg } from './ffmpeg.js';
import type { FfmpegTools } from './ffmpeg-binaries.js';
import { buildMuxArgs, concatList, type ConcatEntry } from './mux-args.js';
import type { Fit } from './normalize-args.js';
import { normalizeClip, type NormalizedClip, type NormalizeSource } from './normalize-clip.js';
import { buildSeamArgs, buildSplitArgs, type SeamJob, type SplitJob } from './piece-args.js';
import { pieceRanges, planTimeline, type Timeline } from './timeline.js';

/**
 * Seams encoded per process. Each input keeps its decoder (and xfade its frame pools) until the process
 * ends: measured at 1080p, 1 seam ≈ 320 MB, 4 ≈ 560 MB, 8 ≈ 850 MB peak RSS; batching saves process and
 * x264 start-up. With {@link PARALLEL_ENCODES} batches side by side, 3 keeps the sum well below 1 GB.
 */
const SEAMS_PER_PROCESS = 3;
/** Normalised clips split per process (stream copy: no decoder, little memory per input). */
const SPLITS_PER_PROCESS = 8;

/** Everything a smart assembly needs; `output` is the (temporary) film file, `workDir` a scratch folder. */
export interface SmartAssemblySpec {
  readonly tools: FfmpegTools;
  readonly clips: readonly (NormalizeSource & { readonly frames: number })[];
  readonly joins: readonly Join[];
  readonly width: number;
  readonly height: number;
  readonly fit: Fit;
  readonly cacheDir: string;
  readonly workDir: string;
  readonly output: string;
  readonly music?: MusicSpec;
  /** ffmetadata file and whether its chapters are to be written. */
  readonly metadata?: { readonly file: string; readonly chapters: boolean };
  readonly signal?: AbortSignal;
  readonly onProgress?: (fraction: number) => void;
}

/** How many normalised clips came from the cache and how many were encoded. */
export interface SmartAssemblyResult {
  readonly reused: number;
  readonly encoded: number;
  readonly frames: number;
}

type Run = (args: readonly string[]) => Promise<unknown>;

/** File names of clip `i`'s pieces, in the order of {@link pieceRanges}. */
function piecePath(workDir: string, clip: number, piece: number): string {
  return join(workDir, `c${clip}-${piece}.mp4`);
}

async function splitClips(run: Run, spec: SmartAssemblySpec, timeline: Timeline, normalized: readonly NormalizedClip[]): Promise<void> {
  const jobs: SplitJob[] = timeline.clips.map((span, i) => ({
    input: normalized[i]?.file ?? '',
    splitFrames: pieceRanges(span).map((r) => r.start).filter((start) => start > 0),
    pattern: join(spec.workDir, `c${i}-%d.mp4`),
  }));
  for (const batch of chunks(jobs, SPLITS_PER_PROCESS)) await run(buildSplitArgs(batch));
}

/** One task per seam batch (fixed batches, so the bytes never depend on timing); fills `files` by join index. */
function seamTasks(run: Run, spec: SmartAssemblySpec, timeline: Timeline, files: Map<number, string>): (() => Promise<void>)[] {
  const piece = (clip: number, role: 'head' | 'tail'): string => {
    const span = timeline.clips[clip];
    const at = span ? pieceRanges(span).findIndex((r) => r.role === role) : -1;
    return piecePath(spec.workDir, clip, at);
  };
  return chunks(timeline.seams, SEAMS_PER_PROCESS).map((batch, b) => async () => {
    const jobs: SeamJob[] = batch.map((s) => ({ tail: piece(s.index, 'tail'), head: piece(s.index + 1, 'head'), frames: s.frames, transition: s.transition }));
    await run(buildSeamArgs(jobs, join(spec.workDir, `s${b}-%d.mp4`)));
    batch.forEach((s, k) => files.set(s.index, join(spec.workDir, `s${b}-${k}.mp4`)));
  });
}

/** The film's video pieces in order: each clip's body, with the seam into it before. */
function videoPieces(spec: SmartAssemblySpec, timeline: Timeline, seams: ReadonlyMap<number, string>): ConcatEntry[] {
  return timeline.clips.flatMap((span) => {
    const ranges = pieceRanges(span);
    const entries: ConcatEntry[] = [];
    if (span.head > 0) {
      const seam = seams.get(span.index - 1);
      if (!seam) throw new Error(`the transition into clip ${span.index + 1} was not encoded`);
      entries.push({ file: seam, frames: span.head });
    }
    const body = ranges.findIndex((r) => r.role === 'body');
    const range = ranges[body];
    if (range) entries.push({ file: piecePath(spec.workDir, span.index, body), frames: range.end - range.start });
    return entries;
  });
}

async function normalizeAll(spec: SmartAssemblySpec, timeline: Timeline, onFail: () => void): Promise<NormalizedClip[]> {
  const ctx = { tools: spec.tools, cacheDir: spec.cacheDir, width: spec.width, height: spec.height, fit: spec.fit, ...(spec.signal ? { signal: spec.signal } : {}) };
  let done = 0;
  return mapLimited(timeline.clips, PARALLEL_ENCODES, async (span, i) => {
    const clip = spec.clips[i];
    if (!clip) throw new Error(`clip ${i + 1} is missing`);
    const normalized = await normalizeClip(ctx, clip, span);
    spec.onProgress?.((0.5 * ++done) / timeline.clips.length);
    return normalized;
  }, onFail);
}

/** Assembles the film by smart rendering into `spec.output`. */
export async function assembleSmart(options: SmartAssemblySpec): Promise<SmartAssemblyResult> {
  // one failed encode stops its siblings too
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) stop.abort();
  try {
    return await assemble({ ...options, signal: stop.signal }, onAbort);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

async function assemble(spec: SmartAssemblySpec & { signal: AbortSignal }, onFail: () => void): Promise<SmartAssemblyResult> {
  const run: Run = (args) => runFfmpeg(spec.tools, args, { signal: spec.signal });
  const timeline = planTimeline(spec.clips.map((c) => c.frames), spec.joins);
  const normalized = await normalizeAll(spec, timeline, onFail);
  await splitClips(run, spec, timeline, normalized);
  const seams = new Map<number, string>();
  const tasks = seamTasks(run, spec, timeline, seams);
  const withAudio = spec.music !== undefined || normalized.some((n) => n.audio);
  const audio = join(spec.workDir, 'audio.mp4');
  // the audio pass is single-threaded and needs only the normalised clips: it runs beside the seams
  const files = normalized.map((n) => (n.audio ? n.file : undefined));
  if (withAudio) tasks.unshift(async () => void (await run(buildAudioArgs({ timeline, files, ...(spec.music ? { music: spec.music } : {}), output: audio }))));
  let done = 0;
  await mapLimited(tasks, PARALLEL_ENCODES, async (task) => {
    await task();
    spec.onProgress?.(0.55 + (0.4 * ++done) / tasks.length);
  }, onFail);
  const list = join(spec.workDir, 'video.ffconcat');
  await writeFile(list, concatList(videoPieces(spec, timeline, seams)));
  await run(buildMuxArgs({ videoList: list, ...(withAudio ? { audio } : {}), ...(spec.metadata ? { metadata: spec.metadata } : {}), output: spec.output }));
  const reused = normalized.filter((n) => n.reused).length;
  return { reused, encoded: normalized.length - reused, frames: timeline.frames };
}
