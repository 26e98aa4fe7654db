// Film assembly. Cuts between clips that already match the film are joined by stream copy (no encode at
// all); anything else goes through smart rendering (smart-assembly.ts): clips normalized once and cached,
// only the transition windows encoded. Both end in one stream-copy mux, written atomically. What a killed
// assembly left behind (its `.parts-` folder, temp files) is swept first, once its process is gone.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { canonicalJson } from '../compiler/plan/plan-json.js';
import type { StitchJob } from '../compiler/plan/types.js';
import { repair, type OnRepair } from '../diagnostics/repair.js';
import { commitFile } from '../io/atomic-write.js';
import { sha256Opened, sha256Text } from '../io/hash.js';
import { makeOwnedDir, sweepStaleTemps } from '../io/sweep-temps.js';
import { buildAudioArgs, type MusicSpec } from './audio-args.js';
import { mapLimited } from './batching.js';
import { toFfmetadata } from './chapters.js';
import { FPS, RECIPE_VERSION } from './encode-settings.js';
import { runFfmpeg } from '../media/ffmpeg.js';
import type { FfmpegTools } from '../media/ffmpeg-binaries.js';
import type { ColourGrade } from '../media/colour-grade.js';
import { clipFacts, copyBlocker, type ClipMediaFacts } from './media-facts.js';
import { buildMuxArgs, concatList } from './mux-args.js';
import { assembleSmart } from './smart-assembly.js';
import { planTimeline } from './timeline.js';
import { buildManifest, type FilmManifest } from './film-manifest.js';

/** Version of the assembly recipe; part of the stitch key so a change re-assembles. */
const STITCH_VERSION = `smart-2/${RECIPE_VERSION}`;

/** A clip ready for assembly. */
export interface FilmClip {
  readonly clip: string;
  readonly file: string;
  /** Content hash of `file`: it keys the normalization and probe caches, so it must really be the content's. */
  readonly sha256: string;
  readonly duration: number;
  readonly width: number;
  readonly height: number;
  readonly audio: boolean;
  /** Stream facts, when the caller already knows them (e.g. from its own ffprobe): the copy path then probes nothing. */
  readonly media?: ClipMediaFacts;
  /** The clip's frame rate (default 30): where its frame codes' numbers fall on the film's 30 fps grid. */
  readonly fps?: number;
  /** The frame-code tag the clip carries, when known (preview clips): verification then checks it. */
  readonly tag?: number;
  /**
   * Frames at its start repeated from another clip (clip continuation: `ClipJob.carry.frames`): the film drops them,
   * whatever the join before the clip, so it shows only the new footage.
   */
  readonly carried?: number;
  /**
   * Frames at its end after the frame it hands on (`seam_frame: sharpest`: `ClipResult.seamFrame.fromEnd`): the film
   * trims them, picture and sound, so the clip ends on the frame the clip continuing it starts from.
   */
  readonly trimmed?: number;
  /** Colour grade toward its chain's anchor, applied while normalising (colour matching): never stream-copied. */
  readonly grade?: ColourGrade;
}

/** Options for assembling a film. */
export interface StitchFilmOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (fraction: number) => void;
  /** Where normalized clips (and probe facts) are cached; default `.normalized/` next to the output. */
  readonly cacheDir?: string;
  /** Background music, with an absolute path (the plan's `stitch.music` holds a project-relative one). */
  readonly music?: MusicSpec;
  /** The film's title, written to its metadata. */
  readonly title?: string;
  /**
   * Copy path only: render the audio (sample-exact cuts at each clip's video end) instead of copying it.
   * Copied AAC keeps each clip's encoder priming and padding, ~35 ms of extra sound a clip for players that
   * play the samples back to back; rendering costs ~3 s per 100 s of film. The video is copied either way.
   */
  readonly exactAudio?: boolean;
  /** Hears what was found damaged or left over on disk, and repaired (damaged cache entries remade, stale temps removed). */
  readonly onRepair?: OnRepair;
}

/** The assembled film: its duration and hash, and how it was made. */
export interface StitchResult {
  readonly duration: number;
  readonly sha256: string;
  /** `copy`: joined by stream copy, nothing encoded; `smart`: normalized clips, encoded seams. */
  readonly method: 'copy' | 'smart';
  /** Why the copy path was not taken (smart only). */
  readonly reason?: string;
  /** Normalized clips taken from the cache and encoded now (smart only). */
  readonly normalized?: { readonly reused: number; readonly encoded: number };
  /** Which frame of which clip is at every film frame: what {@link verifyFilm} checks the film against. */
  readonly manifest: FilmManifest;
}

/**
 * Identifies a film by its clips' contents and the assembly settings: the same key gives the same bytes.
 * `extra` adds what the plan does not hold: the music file's content hash, the title and `exactAudio`.
 */
export function stitchKey(stitch: StitchJob, clips: readonly FilmClip[], extra: { readonly musicSha256?: string; readonly title?: string; readonly exactAudio?: boolean } = {}): string {
  return sha256Text(canonicalJson({
    v: STITCH_VERSION, clips: clips.map((c) => c.sha256), joins: stitch.joins, fit: stitch.fit, size: stitch.size ?? null,
    music: stitch.music ?? null, musicSha256: extra.musicSha256 ?? null, title: extra.title ?? null, exactAudio: extra.exactAudio === true,
    chapters: stitch.chapterMarks ? stitch.chapters : [],
    // only when some clip carries frames, so that the keys of films without clip continuation stay as they were
    ...(clips.some((c) => (c.carried ?? 0) > 0) ? { carried: clips.map((c) => c.carried ?? 0) } : {}),
    ...(clips.some((c) => (c.trimmed ?? 0) > 0) ? { trimmed: trimmedFrames(clips) } : {}),
    ...(clips.some((c) => c.grade) ? { grades: clips.map((c) => c.grade?.key ?? null) } : {}),
  })).slice(0, 32);
}

function even(n: number): number {
  return Math.max(2, Math.round(n / 2) * 2);
}

/** Writes the ffmetadata file when there is a title or more than one chapter to mark; returns its use. */
async function metadataFile(stitch: StitchJob, title: string | undefined, workDir: string): Promise<{ file: string; chapters: boolean } | undefined> {
  const chapters = stitch.chapterMarks && stitch.chapters.length > 1;
  if (!chapters && !title) return undefined;
  const file = join(workDir, 'meta.txt');
  await writeFile(file, toFfmetadata(chapters ? stitch : { chapters: [] }, title));
  return { file, chapters };
}

/** The clips' facts when they can be stream-copied together, else why not; probes only what the caller did not say. */
async function copyCheck(tools: FfmpegTools, stitch: StitchJob, clips: readonly FilmClip[], size: { width: number; height: number }, cacheDir: string, options: StitchFilmOptions): Promise<{ facts: ClipMediaFacts[] } | { reason: string }> {
  if (options.music) return { reason: 'music is mixed in' };
  if (stitch.joins.some((j) => j.type !== 'cut')) return { reason: 'there are transitions' };
  const carrying = clips.find((c) => (c.carried ?? 0) > 0);
  if (carrying) return { reason: `clip ${carrying.clip} continues another by its last seconds, which the film drops` };
  const trimming = clips.find((c) => (c.trimmed ?? 0) > 0);
  if (trimming) return { reason: `clip ${trimming.clip} ends on the sharpest of its last frames, ${trimming.trimmed} before its end` };
  const graded = clips.find((c) => c.grade);
  if (graded) return { reason: `clip ${graded.clip} is colour matched to its chain's anchor` };
  // ffprobe is light and mostly start-up: a few at a time
  const facts = await mapLimited(clips, 4, async (c) => c.media ?? (await clipFacts(tools, c.file, c.sha256, join(cacheDir, 'facts'), options)));
  const reason = copyBlocker(facts, { ...size, music: false });
  return reason === undefined ? { facts: facts as ClipMediaFacts[] } : { reason };
}

/** What the copy path works with. */
interface CopyJob {
  readonly tools: FfmpegTools;
  readonly stitch: StitchJob;
  readonly clips: readonly FilmClip[];
  readonly facts: readonly ClipMediaFacts[];
  readonly workDir: string;
  readonly output: string;
  readonly meta: Awaited<ReturnType<typeof metadataFile>>;
}

/** Joins the clips by stream copy (the audio too, unless `exactAudio`); returns each clip's length in frames and whether there is sound. */
async function assembleCopy(job: CopyJob, options: StitchFilmOptions): Promise<{ frames: number[]; audio: boolean }> {
  const run = (args: readonly string[]): Promise<unknown> => runFfmpeg(job.tools, args, options.signal ? { signal: options.signal } : {});
  const list = join(job.workDir, 'clips.ffconcat');
  // each clip lasts as long as its video stream, not its container (which padded audio can stretch)
  const entries = job.clips.map((c, i) => ({ file: c.file, frames: Math.round((job.facts[i]?.videoDuration ?? c.duration) * FPS) }));
  await writeFile(list, concatList(entries));
  let audio = job.facts.every((f) => f.audioCodec !== undefined) ? 'concat' : undefined;
  if (audio && options.exactAudio) {
    // copied AAC keeps every clip's priming and padding (~35 ms a clip when decoded end to end): render it instead
    audio = join(job.workDir, 'audio.mp4');
    const timeline = planTimeline(entries.map((e) => e.frames), job.stitch.joins, carriedFrames(job.clips), trimmedFrames(job.clips));
    await run(buildAudioArgs({ timeline, files: job.clips.map((c) => c.file), output: audio }));
  }
  // copyBlocker has checked that known parameters agree; only when all are known can packets stay untouched
  const repeatParams = job.facts.some((f) => f.videoParams === undefined);
  await run(buildMuxArgs({ videoList: list, repeatParams, ...(audio ? { audio } : {}), ...(job.meta ? { metadata: job.meta } : {}), output: job.output }));
  return { frames: entries.map((e) => e.frames), audio: audio !== undefined };
}

/** Assembles the clips into `output` (atomically) and returns its duration, hash and how it was made. */
export async function stitchFilm(tools: FfmpegTools, stitch: StitchJob, clips: readonly FilmClip[], output: string, options: StitchFilmOptions = {}): Promise<StitchResult> {
  const first = clips[0];
  if (!first) throw new Error('there are no clips to assemble');
  const size = { width: even(stitch.size?.width ?? first.width), height: even(stitch.size?.height ?? first.height) };
  await mkdir(dirname(output), { recursive: true });
  const cacheDir = options.cacheDir ?? join(dirname(output), '.normalized');
  await sweepLeftovers([dirname(output), cacheDir, join(cacheDir, 'facts')], options.onRepair);
  // scratch pieces and the film's temp file live next to the output (same disk), never in a RAM-backed /tmp
  const workDir = await makeOwnedDir(join(dirname(output), `.${basename(output)}.parts`));
  const tmp = join(workDir, 'film.mp4');
  try {
    const meta = await metadataFile(stitch, options.title, workDir);
    const check = await copyCheck(tools, stitch, clips, size, cacheDir, options);
    let result: Pick<StitchResult, 'method' | 'reason' | 'normalized'> = { method: 'copy' };
    // both paths make the film exactly as long as planned (verification checks it), so it needs no probing
    let layout: { frames: number[]; audio: boolean };
    if ('facts' in check) layout = await assembleCopy({ tools, stitch, clips, facts: check.facts, workDir, output: tmp, meta }, options);
    else {
      const frames = clips.map((c) => Math.round(c.duration * FPS));
      const smart = await assembleSmart({
        tools, clips: clips.map((c, i) => ({ clip: c.clip, file: c.file, sha256: c.sha256, audio: c.audio, frames: frames[i] ?? 0, carried: c.carried ?? 0, trimmed: c.trimmed ?? 0, ...(c.grade ? { grade: c.grade } : {}) })),
        joins: stitch.joins, ...size, fit: stitch.fit, cacheDir, workDir, output: tmp,
        ...(options.music ? { music: options.music } : {}), ...(meta ? { metadata: meta } : {}),
        ...(options.signal ? { signal: options.signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.onRepair ? { onRepair: options.onRepair } : {}),
      });
      result = { method: 'smart', reason: check.reason, normalized: { reused: smart.reused, encoded: smart.encoded } };
      layout = { frames, audio: options.music !== undefined || clips.some((c) => c.audio) };
    }
    // the film is hashed (from the page cache) while its fsync runs: both are needed, neither waits for the other
    const hash = await sha256Opened(tmp);
    const [sha256] = await Promise.all([hash(), commitFile(tmp, output)]);
    options.onProgress?.(1);
    // the film's real length: a clip ending on its sharpest frame makes it shorter than the plan's `stitch.duration`
    const timeline = planTimeline(layout.frames, stitch.joins, carriedFrames(clips), trimmedFrames(clips));
    const manifest = buildManifest(timeline, stitch.joins, clips, { ...size, fit: stitch.fit, audio: layout.audio });
    return { duration: timeline.frames / FPS, sha256, ...result, manifest };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Each clip's carried frames (0: none), as `planTimeline` takes them. */
function carriedFrames(clips: readonly FilmClip[]): number[] {
  return clips.map((c) => c.carried ?? 0);
}

/** Each clip's frames trimmed from its end (0: none), as `planTimeline` takes them. */
function trimmedFrames(clips: readonly FilmClip[]): number[] {
  return clips.map((c) => c.trimmed ?? 0);
}

/** Removes what killed runs left in these folders (only once their process is gone), saying what. */
async function sweepLeftovers(dirs: readonly string[], onRepair: OnRepair | undefined): Promise<void> {
  const removed = (await Promise.all(dirs.map((d) => sweepStaleTemps(d)))).flat();
  for (const path of removed) onRepair?.(repair('stale-temp-removed', path, `removed ${path}, left behind by a run that was killed`));
}
