// Sharpness of a frame: the variance of the Laplacian of its luma, computed here from gray pixels decoded at a
// fixed working size (short side 360), so scores compare across clip sizes; and the sharpest of a clip's last frames.
import { probePicture, readFrames, readLastFrames } from './read-frames.js';
import type { FramePick, WorkingSize } from './read-frames.js';
import type { FfmpegTools } from './tools.js';

/** Frames are measured with their short side scaled (area-averaged) to this many pixels. */
export const SHARPNESS_SIZE: WorkingSize = { shortSide: 360 };

/**
 * Variance of the 4-neighbour Laplacian (centre × −4 + up, down, left, right) over the interior pixels of a
 * width × height luma plane: high for crisp edges and texture, falling as a picture is blurred. Pure.
 */
export function laplacianVariance(gray: Uint8Array, width: number, height: number): number {
  let n = 0, sum = 0, squares = 0;
  for (let y = 1; y < height - 1; y++) {
    const row = y * width;
    for (let x = 1; x < width - 1; x++) {
      const at = row + x;
      const value = (gray[at - 1] ?? 0) + (gray[at + 1] ?? 0) + (gray[at - width] ?? 0) + (gray[at + width] ?? 0) - 4 * (gray[at] ?? 0);
      n++;
      sum += value;
      squares += value * value;
    }
  }
  if (n === 0) return 0;
  const mean = sum / n;
  return squares / n - mean * mean;
}

/** Options for {@link readSharpness}. */
export interface SharpnessOptions {
  /** The frames of a video to measure (default its middle); the score is their mean. Ignored for an image. */
  readonly at?: readonly FramePick[];
  readonly signal?: AbortSignal;
}

/** Sharpness of an image, or the mean over chosen frames of a video, at the fixed working size. */
export async function readSharpness(tools: FfmpegTools, file: string, options: SharpnessOptions = {}): Promise<number> {
  const source = await probePicture(tools, file, options.signal);
  const picks = options.at ?? (source.duration === undefined ? [] : [source.duration / 2]);
  const frames = await readFrames(tools, source, picks, { format: 'gray', size: SHARPNESS_SIZE, ...(options.signal ? { signal: options.signal } : {}) });
  return frames.reduce((sum, f) => sum + laplacianVariance(f.data, f.width, f.height), 0) / frames.length;
}

/** The sharpest of a video's last frames. */
export interface SharpestFrame {
  /** Frames after it to the end: 0 when the last frame is the sharpest. */
  readonly fromEnd: number;
  /** Its number from the video's first frame (0-based), when the container gives the frame count. */
  readonly index?: number;
  /** Its presentation time in seconds (to cut there, seek half a frame earlier: times are rounded). */
  readonly time?: number;
  readonly score: number;
  /** Scores of the frames looked at, oldest first (the last is the video's last frame). */
  readonly scores: readonly number[];
}

/** Options for {@link sharpestOfLast}. */
export interface SharpestOptions {
  /**
   * A frame nearer the end wins when it is within this share of the best score (default 0.05): a few per cent
   * is noise of the encoder, not worth cutting footage for.
   */
  readonly tolerance?: number;
  readonly signal?: AbortSignal;
}

/**
 * Finds the sharpest of the last `count` frames of `video` (to continue from it rather than from a
 * motion-blurred last frame): the latest frame scoring within `tolerance` of the best.
 */
export async function sharpestOfLast(tools: FfmpegTools, video: string, count: number, options: SharpestOptions = {}): Promise<SharpestFrame> {
  const source = await probePicture(tools, video, options.signal);
  const frames = await readLastFrames(tools, source, Math.max(1, Math.floor(count)), { format: 'gray', size: SHARPNESS_SIZE, ...(options.signal ? { signal: options.signal } : {}) });
  const scores = frames.map((f) => laplacianVariance(f.data, f.width, f.height));
  const best = Math.max(...scores);
  const floor = best * (1 - (options.tolerance ?? 0.05));
  let chosen = scores.length - 1;
  while (chosen > 0 && (scores[chosen] ?? 0) < floor) chosen--;
  const fromEnd = scores.length - 1 - chosen;
  const time = frames[chosen]?.time;
  return {
    fromEnd,
    ...(source.frameCount === undefined ? {} : { index: source.frameCount - 1 - fromEnd }),
    ...(time === undefined ? {} : { time }),
    score: scores[chosen] ?? 0,
    scores,
  };
}
