// Smart rendering (ffmpeg-notes §3 (d)): one process per clip encodes its body and the transition into the
// next clip straight from the sources (cached by content, so a later assembly encodes only what changed);
// the pieces are joined by stream copy and the audio is rendered apart in one audio-only pass. Every film
// frame is encoded exactly once, no process holds more than two clips, so time and memory follow the film.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Join } from '../compiler/plan/types.js';
import type { OnRepair } from '../diagnostics/repair.js';
import { buildAudioArgs, type MusicSpec } from './audio-args.js';
import { mapLimited } from './batching.js';
import { PARALLEL_ENCODES } from './encode-settings.js';
import { runFfmpeg } from '../media/ffmpeg.js';
import type { FfmpegTools } from '../media/ffmpeg-binaries.js';
import { buildMuxArgs, concatList, type ConcatEntry } from './mux-args.js';
import { bodyRange, type Fit } from './normalize-args.js';
import { normalizeClip, type NormalizedClip, type NormalizeSource } from './normalize-clip.js';
import { planTimeline, type Timeline } from './timeline.js';

/** Everything a smart assembly needs; `output` is the (temporary) film file, `workDir` a scratch folder. */
interface SmartAssemblySpec {
  readonly tools: FfmpegTools;
  /**
   * The clips: `frames` in the source, `carried` of them repeated from another clip (dropped; 0 or absent: none),
   * `trimmed` cut from the end (after the frame the clip hands on; 0 or absent: none).
   */
  readonly clips: readonly (NormalizeSource & { readonly frames: number; readonly carried?: number; readonly trimmed?: number })[];
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
  /** Hears about damaged cached pieces (encoded again). */
  readonly onRepair?: OnRepair;
}

/** How many clips had all their pieces in the cache, how many were encoded now; the film's length in frames. */
interface SmartAssemblyResult {
  readonly reused: number;
  readonly encoded: number;
  readonly frames: number;
}

/** The film's video pieces in order: each clip's body, then the transition out of it. */
function videoPieces(timeline: Timeline, pieces: readonly NormalizedClip[]): ConcatEntry[] {
  return timeline.clips.flatMap((span) => {
    const entries: ConcatEntry[] = [];
    const range = bodyRange(span);
    const clip = pieces[span.index];
    if (range) {
      if (!clip?.body) throw new Error(`the body of clip ${span.index + 1} was not encoded`);
      entries.push({ file: clip.body, frames: range.end - range.start });
    }
    if (span.tail > 0) {
      if (!clip?.seam) throw new Error(`the transition out of clip ${span.index + 1} was not encoded`);
      entries.push({ file: clip.seam, frames: span.tail });
    }
    return entries;
  });
}

/** One task per clip (its missing pieces, in one process); fills `pieces` by clip index. */
function pieceTasks(spec: SmartAssemblySpec, timeline: Timeline, pieces: NormalizedClip[]): (() => Promise<void>)[] {
  const ctx = { tools: spec.tools, cacheDir: spec.cacheDir, width: spec.width, height: spec.height, fit: spec.fit, ...(spec.signal ? { signal: spec.signal } : {}), ...(spec.onRepair ? { onRepair: spec.onRepair } : {}) };
  const seams = new Map(timeline.seams.map((s) => [s.index, s]));
  return timeline.clips.map((span, i) => async () => {
    const [clip, nextClip, nextSpan, seam] = [spec.clips[i], spec.clips[i + 1], timeline.clips[i + 1], seams.get(i)];
    if (!clip) throw new Error(`clip ${i + 1} is missing`);
    const next = seam && nextClip && nextSpan ? { source: nextClip, span: nextSpan, transition: seam.transition } : undefined;
    pieces[i] = await normalizeClip(ctx, clip, span, next);
  });
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
  const run = (args: readonly string[]): Promise<unknown> => runFfmpeg(spec.tools, args, { signal: spec.signal });
  const timeline = planTimeline(spec.clips.map((c) => c.frames), spec.joins, spec.clips.map((c) => c.carried ?? 0), spec.clips.map((c) => c.trimmed ?? 0));
  const pieces: NormalizedClip[] = [];
  const tasks = pieceTasks(spec, timeline, pieces);
  const withAudio = spec.music !== undefined || spec.clips.some((c) => c.audio);
  const audio = join(spec.workDir, 'audio.mp4');
  // the audio pass reads the sources' audio only: it needs no piece and runs first, beside the first clips
  const files = spec.clips.map((c) => (c.audio ? c.file : undefined));
  if (withAudio) tasks.unshift(async () => void (await run(buildAudioArgs({ timeline, files, ...(spec.music ? { music: spec.music } : {}), output: audio }))));
  let done = 0;
  await mapLimited(tasks, PARALLEL_ENCODES, async (task) => {
    await task();
    spec.onProgress?.((0.95 * ++done) / tasks.length);
  }, onFail);
  const list = join(spec.workDir, 'video.ffconcat');
  await writeFile(list, concatList(videoPieces(timeline, pieces)));
  await run(buildMuxArgs({ videoList: list, ...(withAudio ? { audio } : {}), ...(spec.metadata ? { metadata: spec.metadata } : {}), output: spec.output }));
  const reused = pieces.filter((n) => n.reused).length;
  return { reused, encoded: pieces.length - reused, frames: timeline.frames };
}
