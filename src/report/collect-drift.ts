// Drift of continuity chains, measured after assembly (issue 15): per chain and per clip, colour statistics and
// sharpness against the chain's anchor, colour error before matching (the clip as made) and after (the film), and
// SSIM and colour error across each seam on the film. Nothing here reads frame codes: it works on any footage.
import { join } from 'node:path';
import type { AnchorSource, ClipJob, Plan } from '../compiler/plan/types.js';
import { sourceFrame, type FilmManifest, type ManifestClip } from '../assembly/film-manifest.js';
import { sha256File } from '../io/hash.js';
import { CHANNELS, colourStatsOf, STATS_WIDTH, type ColourStats } from '../media/colour-stats.js';
import { colourError, measureDrift, readDriftSample, type DriftSample } from '../media/drift.js';
import type { FfmpegTools } from '../media/ffmpeg-binaries.js';
import { probePicture, type PictureSource, type RawFrame } from '../media/read-frames.js';
import { selectFrames } from '../media/select-frames.js';
import { laplacianVariance, SHARPNESS_SIZE } from '../media/sharpness.js';
import { ssimLuma } from '../media/ssim.js';
import type { RunResult } from '../runner/run-plan.js';

/** One clip of a chain, measured. Colour figures are in levels 0–255 (see `DriftReport.measure`). */
export interface DriftClip {
  readonly id: string;
  readonly hop: number;
  /** Colour matched toward the anchor (the chain asks for it and the clip is not the anchor itself). */
  readonly colourMatched: boolean;
  /** Colour error against the anchor of the clip as made (its kept frames, before any matching). */
  readonly colourError: number;
  /** The same on the film, after matching (matched clips only). */
  readonly colourErrorMatched?: number;
  /** On the film: mean luma less the anchor's, per-channel (R, G, B) means and standard deviations. */
  readonly lumaDifference: number;
  readonly mean: readonly number[];
  readonly std: readonly number[];
  /** Laplacian variance on the film (short side 360), and over the anchor's: under 1 when softer. */
  readonly sharpness: number;
  readonly sharpnessRatio: number;
  /** Across the seam into this clip from the previous clip of its chain, on the film (absent for the chain's first clip). */
  readonly seamSsim?: number;
  readonly seamColourError?: number;
}

/** A chain: its first clip, its anchor and its clips in film order. */
export interface DriftChain {
  readonly root: string;
  readonly anchor: AnchorSource;
  readonly colourMatch: boolean;
  readonly clips: readonly DriftClip[];
}

/** Every chain's drift, and how it was measured. */
export interface DriftReport {
  readonly measure: string;
  readonly chains: readonly DriftChain[];
}

/** What the figures mean (the report and `--json` carry it). */
export const DRIFT_MEASURE = 'colour error = mean over R,G,B of |mean − anchor mean| + mean over R,G,B of |std − anchor std| (levels 0–255), '
  + 'pooled over 5 frames spread over the clip\'s kept footage (an image anchor: its one picture; a clip anchor: 5 frames spread over it); '
  + 'seam SSIM = luma SSIM of the last film frame before the join and the first after it, at short side 360';

/** Frames sampled over a clip's kept footage. */
const SAMPLES = 5;

/** The anchor's picture (file and content hash), or undefined for a URL anchor (never fetched) or a missing input. */
export async function anchorPicture(anchor: AnchorSource, result: RunResult, baseDir: string): Promise<{ file: string; sha256: string } | undefined> {
  if ('still' in anchor) return result.stills.get(anchor.still);
  if ('clip' in anchor) {
    const clip = result.results.get(anchor.clip);
    return clip && { file: clip.file, sha256: clip.sha256 };
  }
  if ('file' in anchor) {
    const file = join(baseDir, anchor.file);
    return { file, sha256: await sha256File(file) };
  }
  return undefined;
}

/** True when the clip is colour matched: its chain asks for it, and it is not the anchor itself (nor a URL anchor's). */
export function isColourMatched(job: ClipJob): boolean {
  const chain = job.chain;
  return chain !== undefined && chain.colourMatch && !('clip' in chain.anchor && chain.anchor.clip === job.id) && !('url' in chain.anchor);
}

/** Options of {@link collectDrift}. */
export interface CollectDriftOptions {
  readonly tools: FfmpegTools;
  readonly baseDir: string;
  /** The assembled film and its manifest (which film frames are which clip's). */
  readonly film: string;
  readonly manifest: FilmManifest;
  readonly signal?: AbortSignal;
}

/** Measures every chain of the plan on the film (undefined when the plan has no chain). */
export async function collectDrift(plan: Plan, result: RunResult, o: CollectDriftOptions): Promise<DriftReport | undefined> {
  const roots = [...new Set(plan.jobs.flatMap((j) => (j.chain ? [j.chain.root] : [])))];
  if (roots.length === 0) return undefined;
  const signal = o.signal ? { signal: o.signal } : {};
  const film = await probePicture(o.tools, o.film, o.signal);
  const index = new Map(o.manifest.clips.map((c, i) => [c.clip, i]));
  // which film clips are measured, and how: a clip follows its chain's previous clip when the film clip before it is in its chain
  const measured = plan.jobs.flatMap((job) => {
    const at = index.get(job.id);
    const m = at === undefined ? undefined : o.manifest.clips[at];
    const previous = at === undefined ? undefined : o.manifest.clips[at - 1];
    const continues = previous !== undefined && plan.jobs.some((j) => j.id === previous.clip && j.chain?.root === job.chain?.root);
    return job.chain && m && result.results.has(job.id) ? [{ job, m, picks: picksOf(m, continues) }] : [];
  });
  const frames = await filmFrames(film, measured.map((x) => x.picks), o);
  let offset = 0;
  const byClip = new Map(measured.map((x) => {
    const n = x.picks.frames.length + x.picks.seam.length;
    const slice = { rgb: frames.rgb.slice(offset, offset + n), gray: frames.gray.slice(offset, offset + n) };
    offset += n;
    return [x.job.id, { ...x, film: slice }] as const;
  }));
  const anchors = new Map<string, DriftSample>();
  const chains: DriftChain[] = [];
  for (const root of roots) {
    const jobs = plan.jobs.filter((j) => j.chain?.root === root);
    const first = jobs[0]?.chain;
    if (!first) continue;
    const picture = await anchorPicture(first.anchor, result, o.baseDir);
    if (!picture) continue;
    let anchor = anchors.get(picture.sha256);
    if (!anchor) anchors.set(picture.sha256, (anchor = await readDriftSample(o.tools, picture.file, signal)));
    const clips: DriftClip[] = [];
    for (const job of jobs) {
      const x = byClip.get(job.id);
      const clip = result.results.get(job.id);
      if (x && clip) clips.push(await measureClip(job, x.m, x.picks, x.film, clip.file, anchor, o));
    }
    chains.push({ root, anchor: first.anchor, colourMatch: jobs.some((j) => j.chain?.colourMatch), clips });
  }
  return { measure: DRIFT_MEASURE, chains };
}

/** Frame numbers sampled over a clip's kept film frames, and the two film frames either side of the seam into it. */
function picksOf(m: ManifestClip, continues: boolean): { frames: number[]; seam: number[] } {
  const [a, b] = [m.start + m.head, m.start + m.frames - m.tail];
  const frames = Array.from({ length: SAMPLES }, (_, k) => a + Math.floor(((k + 0.5) * Math.max(1, b - a)) / SAMPLES));
  return { frames, seam: continues ? [m.start - 1, m.start + m.head] : [] };
}

/** Every clip's film frames in two passes over the film (colour at the statistics' size, luma at sharpness size). */
async function filmFrames(film: PictureSource, picks: readonly { frames: number[]; seam: number[] }[], o: CollectDriftOptions): Promise<{ rgb: RawFrame[]; gray: RawFrame[] }> {
  const all = picks.flatMap((p) => [...p.frames, ...p.seam]);
  const signal = o.signal ? { signal: o.signal } : {};
  const rgb = await selectFrames(o.tools, film, all, { format: 'rgb24', size: { width: Math.min(STATS_WIDTH, film.width) }, ...signal });
  const gray = await selectFrames(o.tools, film, all, { format: 'gray', size: SHARPNESS_SIZE, ...signal });
  return { rgb, gray };
}

async function measureClip(job: ClipJob, m: ManifestClip, picks: { frames: number[]; seam: number[] }, film: { rgb: RawFrame[]; gray: RawFrame[] }, source: string, anchor: DriftSample, o: CollectDriftOptions): Promise<DriftClip> {
  const { rgb, gray } = film;
  const stats = colourStatsOf(rgb.slice(0, SAMPLES));
  const sharpness = gray.slice(0, SAMPLES).reduce((s, f) => s + laplacianVariance(f.data, f.width, f.height), 0) / SAMPLES;
  const onFilm = measureDrift({ stats, sharpness }, anchor);
  // the clip as made, at the same frames (its source frames: the dropped ones skipped)
  const made = await probePicture(o.tools, source, o.signal);
  const madeFrames = picks.frames.map((n) => sourceFrame(m, n - m.start, o.manifest.fps));
  const madeStats = colourStatsOf(await selectFrames(o.tools, made, madeFrames, { format: 'rgb24', size: { width: Math.min(STATS_WIDTH, made.width) }, ...(o.signal ? { signal: o.signal } : {}) }));
  const matched = isColourMatched(job);
  return {
    id: job.id, hop: job.chain?.hop ?? 0, colourMatched: matched,
    colourError: colourError(madeStats, anchor.stats), ...(matched ? { colourErrorMatched: onFilm.colourError } : {}),
    lumaDifference: onFilm.lumaDifference, mean: CHANNELS.map((c) => stats[c].mean), std: CHANNELS.map((c) => stats[c].std),
    sharpness, sharpnessRatio: onFilm.sharpnessRatio,
    ...(picks.seam.length ? seamMeasures(rgb.slice(SAMPLES), gray.slice(SAMPLES)) : {}),
  };
}

/** SSIM (luma) and colour error between the two frames either side of a seam. */
function seamMeasures(rgb: readonly RawFrame[], gray: readonly RawFrame[]): { seamSsim: number; seamColourError: number } | Record<string, never> {
  const [a, b] = gray;
  const [ca, cb] = rgb;
  if (!a || !b || !ca || !cb) return {};
  const stats = (f: RawFrame): ColourStats => colourStatsOf([f]);
  return { seamSsim: ssimLuma(a.data, b.data, a.width, a.height), seamColourError: colourError(stats(cb), stats(ca)) };
}
