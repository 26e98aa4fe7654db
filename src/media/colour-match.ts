// Colour matching toward an anchor, applied by ffmpeg: transfer curves (match-curves.ts) written as a 1D .cube
// LUT, the filter chain that applies it with lut1d, and a whole-file apply for tests and checks.
import { rm } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { commitFile, tempPathFor, writeFileAtomic } from '../io/atomic-write.js';
import { CHANNELS } from './colour-stats.js';
import { runFfmpeg } from './ffmpeg.js';
import type { TransferCurves } from './match-curves.js';
import { ACCURATE_SWS, probePicture } from './read-frames.js';
import type { FfmpegTools } from './tools.js';

/** Entries of the LUT: one per 8-bit level. */
const LEVELS = 256;

/**
 * The curves as a 1D `.cube` LUT for ffmpeg's lut1d. lut1d truncates (`av_clip_uint8(value × 255)`) rather than
 * rounds, so each entry carries half a level: output level y is written as (y + ½) / 255.
 */
export function cubeText(curves: TransferCurves): string {
  const lines = ['# storyboard colour match: per-channel transfer curves (R G B), input level i on line i', `LUT_1D_SIZE ${LEVELS}`];
  for (let v = 0; v < LEVELS; v++) lines.push(CHANNELS.map((c) => (((curves[c][v] ?? v) + 0.5) / (LEVELS - 1)).toFixed(6)).join(' '));
  return lines.join('\n') + '\n';
}

/** Writes the curves as a `.cube` LUT file (atomically). */
export async function writeColourMatchLut(path: string, curves: TransferCurves): Promise<void> {
  await writeFileAtomic(path, cubeText(curves));
}

/** Characters special to a filter's option parser, then to the filtergraph parser (ffmpeg-filters, "escaping"). */
const OPTION_SPECIAL = /[\\':\s]/g;
const GRAPH_SPECIAL = /[\\'[\],;\s]/g;

/** Options for {@link colourMatchFilter}. */
export interface ColourMatchFilterOptions {
  /** The YUV matrix of the clip, pinned on both conversions (default: ffmpeg's, from the clip's tags or BT.601). */
  readonly matrix?: 'bt709' | 'bt601';
  /** Pixel format the chain ends in (default yuv420p). */
  readonly pixelFormat?: string;
}

/**
 * The filter chain that applies a LUT written by {@link writeColourMatchLut}, for a `-vf`/`-filter_complex`
 * chain: to 8-bit planar RGB, lut1d, back to `pixelFormat`, both conversions with accurate rounding (ffmpeg's
 * default conversions darken a yuv420p → RGB → yuv420p round trip by about 1.2 levels).
 */
export function colourMatchFilter(lutPath: string, options: ColourMatchFilterOptions = {}): string {
  const matrix = (side: 'in' | 'out'): string => (options.matrix ? `${side}_color_matrix=${options.matrix}:` : '');
  return [
    `scale=${matrix('in')}flags=${ACCURATE_SWS}`, 'format=gbrp',
    lut1dFilter(lutPath),
    `scale=${matrix('out')}flags=${ACCURATE_SWS}`, `format=${options.pixelFormat ?? 'yuv420p'}`,
  ].join(',');
}

/** The lut1d filter (on 8-bit RGB) reading the LUT at `lutPath`, its path escaped for the option and graph parsers. */
export function lut1dFilter(lutPath: string): string {
  return `lut1d=file=${resolve(lutPath).replace(OPTION_SPECIAL, '\\$&').replace(GRAPH_SPECIAL, '\\$&')}:interp=linear`;
}

/** Options for {@link applyColourMatch}. */
export interface ApplyColourMatchOptions {
  readonly signal?: AbortSignal;
}

/**
 * Writes `input` with the LUT applied to `output` (atomically): an image stays one picture (format from the
 * extension), a video is re-encoded with libx264 (crf 16, yuv420p, 2 threads) and its audio copied.
 */
export async function applyColourMatch(tools: FfmpegTools, input: string, lutPath: string, output: string, options: ApplyColourMatchOptions = {}): Promise<void> {
  const source = await probePicture(tools, input, options.signal);
  const target = resolve(output);
  const temp = tempPathFor(target) + extname(target);
  const still = source.duration === undefined;
  const filter = colourMatchFilter(lutPath, still ? { pixelFormat: 'rgb24' } : {});
  const encode = still
    ? ['-frames:v', '1']
    : ['-map', '0:a?', '-c:a', 'copy', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '16', '-pix_fmt', 'yuv420p', '-threads', '2'];
  try {
    await runFfmpeg(tools, ['-v', 'error', '-i', source.file, '-map', '0:v:0', '-vf', filter, ...encode, temp], options.signal ? { signal: options.signal } : {});
    await commitFile(temp, target);
  } finally {
    await rm(temp, { force: true });
  }
}
