// Drift of a clip against its chain's anchor (colour error, luma difference, sharpness ratio) and SSIM across a
// seam: the measures that say whether a long take kept its look, and whether colour matching helped.
import { CHANNELS, readColourStats } from './colour-stats.js';
import type { ColourStats, ColourStatsOptions } from './colour-stats.js';
import { evenTimes, probePicture, readFrames } from './read-frames.js';
import type { FramePick, WorkingSize } from './read-frames.js';
import { readSharpness } from './sharpness.js';
import { ssimLuma } from './ssim.js';
import type { FfmpegTools } from './tools.js';

/** What drift is measured from, for a clip or an anchor. */
export interface DriftSample {
  readonly stats: ColourStats;
  /** {@link laplacianVariance} at the fixed working size (mean over the frames measured). */
  readonly sharpness: number;
}

/** A clip's drift against the anchor. */
export interface DriftMeasures {
  /**
   * The drift error, in levels 0–255: meanError + stdError, where meanError is the mean over R, G, B of
   * |mean(clip) − mean(anchor)| and stdError the mean over R, G, B of |std(clip) − std(anchor)|. 0 for the
   * same colours; a uniform shift of d levels in every channel scores d.
   */
  readonly colourError: number;
  readonly meanError: number;
  readonly stdError: number;
  /** Mean luma (BT.709 weights) of the clip less the anchor's, in levels: positive when the clip is brighter. */
  readonly lumaDifference: number;
  /** The clip's sharpness over the anchor's: under 1 when the clip is softer. */
  readonly sharpnessRatio: number;
}

/** The colour error (see {@link DriftMeasures.colourError}) of `clip` against `anchor`. Pure. */
export function colourError(clip: ColourStats, anchor: ColourStats): number {
  const { meanError, stdError } = colourErrorParts(clip, anchor);
  return meanError + stdError;
}

function colourErrorParts(clip: ColourStats, anchor: ColourStats): { meanError: number; stdError: number } {
  const mean = (f: (c: (typeof CHANNELS)[number]) => number): number => CHANNELS.reduce((sum, c) => sum + f(c), 0) / CHANNELS.length;
  return {
    meanError: mean((c) => Math.abs(clip[c].mean - anchor[c].mean)),
    stdError: mean((c) => Math.abs(clip[c].std - anchor[c].std)),
  };
}

/** The drift measures of a clip's sample against the anchor's. Pure. */
export function measureDrift(clip: DriftSample, anchor: DriftSample): DriftMeasures {
  const { meanError, stdError } = colourErrorParts(clip.stats, anchor.stats);
  return {
    colourError: meanError + stdError,
    meanError,
    stdError,
    lumaDifference: clip.stats.luma - anchor.stats.luma,
    sharpnessRatio: anchor.sharpness > 0 ? clip.sharpness / anchor.sharpness : Number.POSITIVE_INFINITY,
  };
}

/** Options for {@link readDriftSample}. */
export type DriftSampleOptions = Pick<ColourStatsOptions, 'frames' | 'at' | 'signal'>;

/**
 * Colour statistics and sharpness of an image, or of the same frames of a video (`frames` evenly spread,
 * default 5, or those `at` names).
 */
export async function readDriftSample(tools: FfmpegTools, file: string, options: DriftSampleOptions = {}): Promise<DriftSample> {
  const source = await probePicture(tools, file, options.signal);
  const at = options.at ?? (source.duration === undefined ? [] : evenTimes(source.duration, options.frames ?? 5));
  const signal = options.signal ? { signal: options.signal } : {};
  const [stats, sharpness] = [await readColourStats(tools, file, { at, ...signal }), await readSharpness(tools, file, { at, ...signal })];
  return { stats, sharpness };
}

/** Drift of `clip` (a video or image) against `anchor` (a sample already read, or a file to read). */
export async function readDrift(tools: FfmpegTools, clip: string, anchor: DriftSample | string, options: DriftSampleOptions = {}): Promise<DriftMeasures> {
  const signal = options.signal ? { signal: options.signal } : {};
  const anchorSample = typeof anchor === 'string' ? await readDriftSample(tools, anchor, signal) : anchor;
  return measureDrift(await readDriftSample(tools, clip, options), anchorSample);
}

/** One side of a seam: a file and which of its frames (an image has one). */
export interface SeamFrame {
  readonly file: string;
  readonly at: FramePick;
}

/** Options for {@link seamSsim}. */
export interface SeamSsimOptions {
  /** Size both frames are compared at (default the first frame's own size; the second is scaled to it). */
  readonly size?: WorkingSize;
  readonly signal?: AbortSignal;
}

/**
 * SSIM of the luma of the frames either side of a seam (typically the last frame of one clip and the first
 * of the next), both decoded at one size: 1 when identical, lower as colour, exposure or detail jump.
 */
export async function seamSsim(tools: FfmpegTools, before: SeamFrame, after: SeamFrame, options: SeamSsimOptions = {}): Promise<number> {
  const signal = options.signal ? { signal: options.signal } : {};
  const first = await probePicture(tools, before.file, options.signal);
  const [a] = await readFrames(tools, first, [before.at], { format: 'gray', size: options.size ?? 'source', ...signal });
  if (!a) throw new Error(`${before.file}: no frame to compare`);
  const second = await probePicture(tools, after.file, options.signal);
  const [b] = await readFrames(tools, second, [after.at], { format: 'gray', size: { width: a.width }, ...signal });
  if (!b || b.height !== a.height) throw new Error(`${after.file}: its frame is not the shape of ${before.file}'s (${a.width}×${a.height})`);
  return ssimLuma(a.data, b.data, a.width, a.height);
}
