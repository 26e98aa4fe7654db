// Colour statistics of a picture: per-channel (R, G, B) 256-bin histograms, means and standard deviations, and
// mean luma (BT.709 weights), of an image or of sampled frames of a video, decoded by ffmpeg. Deterministic.
import { evenTimes, probePicture, readFrames } from './read-frames.js';
import type { FramePick, RawFrame, WorkingSize } from './read-frames.js';
import type { FfmpegTools } from './tools.js';

/** One channel: how many pixels have each level 0–255, their mean and (population) standard deviation. */
export interface ChannelStats {
  readonly histogram: readonly number[];
  readonly mean: number;
  readonly std: number;
}

/** Statistics over every pixel of the frames measured (levels 0–255, full range RGB). */
export interface ColourStats {
  readonly r: ChannelStats;
  readonly g: ChannelStats;
  readonly b: ChannelStats;
  /** Mean luma, 0.2126 R + 0.7152 G + 0.0722 B over the channel means (BT.709 weights on the RGB levels). */
  readonly luma: number;
  /** Frames measured (1 for an image) and pixels per channel in all. */
  readonly frames: number;
  readonly pixels: number;
}

/** The three channels in order. */
export const CHANNELS = ['r', 'g', 'b'] as const;
/** A channel's name. */
export type Channel = (typeof CHANNELS)[number];

/** Options for {@link readColourStats}. */
export interface ColourStatsOptions {
  /** Frames of a video sampled evenly over its length (default 5); ignored when `at` is given. */
  readonly frames?: number;
  /** The frames to measure instead: seconds, or 'first'/'last'. */
  readonly at?: readonly FramePick[];
  /** Decoded size (default 256 pixels wide, area-averaged: fast, and the statistics barely move). */
  readonly size?: WorkingSize;
  readonly signal?: AbortSignal;
}

/** Default decoded width: a 1080p frame is measured from 256×144 area averages. */
export const STATS_WIDTH = 256;

/** Statistics of rgb24 frames (pure). */
export function colourStatsOf(frames: readonly RawFrame[]): ColourStats {
  // one flat table, channel c's level v at c × 256 + v
  const counts = new Float64Array(3 * 256);
  for (const frame of frames) {
    if (frame.format !== 'rgb24') throw new Error('colour statistics need rgb24 frames');
    const { data } = frame;
    for (let i = 0; i < data.length; i++) {
      const at = (i % 3) * 256 + (data[i] ?? 0);
      counts[at] = (counts[at] ?? 0) + 1;
    }
  }
  const [r, g, b] = CHANNELS.map((_, c) => channelStats(Array.from(counts.subarray(c * 256, (c + 1) * 256)))) as [ChannelStats, ChannelStats, ChannelStats];
  const pixels = r.histogram.reduce((sum, n) => sum + n, 0);
  return { r, g, b, luma: 0.2126 * r.mean + 0.7152 * g.mean + 0.0722 * b.mean, frames: frames.length, pixels };
}

/** Mean and standard deviation from a histogram. */
function channelStats(histogram: number[]): ChannelStats {
  let n = 0, sum = 0, squares = 0;
  histogram.forEach((count, level) => {
    n += count;
    sum += count * level;
    squares += count * level * level;
  });
  const mean = n === 0 ? 0 : sum / n;
  return { histogram, mean, std: n === 0 ? 0 : Math.sqrt(Math.max(0, squares / n - mean * mean)) };
}

/**
 * Colour statistics of an image, or of frames of a video (`frames` evenly spread, or the ones `at` names),
 * decoded by ffmpeg to rgb24 at the working size.
 */
export async function readColourStats(tools: FfmpegTools, file: string, options: ColourStatsOptions = {}): Promise<ColourStats> {
  const source = await probePicture(tools, file, options.signal);
  const picks = options.at ?? (source.duration === undefined ? [] : evenTimes(source.duration, options.frames ?? 5));
  const frames = await readFrames(tools, source, picks, {
    format: 'rgb24',
    size: options.size ?? { width: Math.min(STATS_WIDTH, source.width) },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return colourStatsOf(frames);
}
