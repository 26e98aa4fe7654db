// Smart rendering (ffmpeg-notes §3 (d)): every clip is normalised once (cached), split at its forced IDRs
// by stream copy, only the transition windows are encoded, and the pieces are joined by stream copy; the
// audio is rendered apart in one audio-only pass. No frame is encoded twice, no process holds more than a
// fixed number of clips, so time and memory follow the transitions, not the film's length.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildAudioArgs, type MusicSpec } from './audio-args.js';
import { runFfmpeg } from './ffmpeg.js';
import type { FfmpegTools } from './ffmpeg-binaries.js';
import { buildMuxArgs, concatList, type ConcatEntry } from './mux-args.js';
import type { Fit } from './normalize-args.js';
import { normalizeClip, type NormalizedClip, type NormalizeSource } from './normalize-clip.js';
import { buildSeamArgs, buildSplitArgs, type SeamJob, type SplitJob } from './piece-args.js';
import { chunks, pieceRanges, planTimeline, type Timeline } from './timeline.js';
import type { Join } from '../compiler/plan/types.js';

/**
 * Seams encoded per process. Each input keeps its decoder (and xfade its frame pools) until the process
 * ends: measured at 1080p, 1 seam ≈ 320 MB, 4 ≈ 560 MB, 8 ≈ 850 MB peak RSS; batching saves process and
 * x264 start-up, so 4 is the compromise that stays far below 1 GB.
 */
const SEAMS_PER_PROCESS = 4;
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

/** Encodes every seam (in fixed batches) and returns each seam's file, by join index. */
async function encodeSeams(run: Run, spec: SmartAssemblySpec, timeline: Timeline): Promise<Map<number, string>> {
  const files = new Map<number, string>();
  const piece = (clip: number, role: 'head' | 'tail'): string => {
    const span = timeline.clips[clip];
    const at = span ? pieceRanges(span).findIndex((r) => r.role === role) : -1;
    return piecePath(spec.workDir, clip, at);
  };
  const batches = chunks(timeline.seams, SEAMS_PER_PROCESS);
  for (const [b, batch] of batches.entries()) {
    const jobs: SeamJob[] = batch.map((s) => ({ tail: piece(s.index, 'tail'), head: piece(s.index + 1, 'head'), frames: s.frames, transition: s.transition }));
    await run(buildSeamArgs(jobs, join(spec.workDir, `s${b}-%d.mp4`)));
    batch.forEach((s, k) => files.set(s.index, join(spec.workDir, `s${b}-${k}.mp4`)));
    spec.onProgress?.(0.6 + (0.3 * (b + 1)) / batches.length);
  }
  return files;
}

/** The film's video pieces in order: each clip's body, with the seam into it before. */
function videoPieces(spec: SmartAssemblySpec, timeline: Timeline, seams: ReadonlyMap<number, string>): ConcatEntry[] {
  return timeline.clips.flatMap((span) => {
    const ranges = pieceRanges(span);
    const entries: ConcatEntry[] = [];
    const seam = seams.get(span.index - 1);
    if (span.head > 0 && seam) entries.push({ file: seam, frames: span.head });
    const body = ranges.findIndex((r) => r.role === 'body');
    const range = ranges[body];
    if (range) entries.push({ file: piecePath(spec.workDir, span.index, body), frames: range.end - range.start });
    return entries;
  });
}

async function normalizeAll(spec: SmartAssemblySpec, timeline: Timeline): Promise<NormalizedClip[]> {
  const ctx = { tools: spec.tools, cacheDir: spec.cacheDir, width: spec.width, height: spec.height, fit: spec.fit, ...(spec.signal ? { signal: spec.signal } : {}) };
  const out: NormalizedClip[] = [];
  // one clip at a time: x264 already uses the cores, and memory stays that of one encode
  for (const [i, span] of timeline.clips.entries()) {
    const clip = spec.clips[i];
    if (!clip) throw new Error(`clip ${i + 1} is missing`);
    out.push(await normalizeClip(ctx, clip, span));
    spec.onProgress?.((0.5 * (i + 1)) / timeline.clips.length);
  }
  return out;
}

/** Assembles the film by smart rendering into `spec.output`. */
export async function assembleSmart(spec: SmartAssemblySpec): Promise<SmartAssemblyResult> {
  const run: Run = (args) => runFfmpeg(spec.tools, args, spec.signal ? { signal: spec.signal } : {});
  const timeline = planTimeline(spec.clips.map((c) => c.frames), spec.joins);
  const normalized = await normalizeAll(spec, timeline);
  await splitClips(run, spec, timeline, normalized);
  spec.onProgress?.(0.6);
  const seams = await encodeSeams(run, spec, timeline);
  const withAudio = spec.music !== undefined || normalized.some((n) => n.audio);
  const audio = join(spec.workDir, 'audio.mp4');
  if (withAudio) {
    await run(buildAudioArgs({ timeline, files: normalized.map((n) => (n.audio ? n.file : undefined)), ...(spec.music ? { music: spec.music } : {}), output: audio }));
  }
  spec.onProgress?.(0.95);
  const list = join(spec.workDir, 'video.ffconcat');
  await writeFile(list, concatList(videoPieces(spec, timeline, seams)));
  await run(buildMuxArgs({ videoList: list, ...(withAudio ? { audio } : {}), ...(spec.metadata ? { metadata: spec.metadata } : {}), output: spec.output }));
  const reused = normalized.filter((n) => n.reused).length;
  return { reused, encoded: normalized.length - reused, frames: timeline.frames };
}
