// SSIM between two frames with ffmpeg's `ssim` filter (through ffmpeg.ts, the one module that spawns ffmpeg).
import { resolve } from 'node:path';
import { probeMedia, runFfmpeg } from '../stitch/ffmpeg.js';
import type { FfmpegTools } from '../stitch/ffmpeg-binaries.js';

/** Options of {@link frameSsim}. */
export interface FrameSsimOptions {
  readonly signal?: AbortSignal;
}

/** Reads the overall score from the ssim filter's summary line (`SSIM Y:… U:… V:… All:0.991234 (20.5)`). */
export function parseSsim(stderr: string): number | undefined {
  const match = /SSIM [^\n]*All:([\d.]+)/.exec(stderr);
  const value = match ? Number(match[1]) : Number.NaN;
  return Number.isFinite(value) ? value : undefined;
}

/**
 * SSIM ("All", 0–1) between the first frame of `a` and the first frame of `b` (images or videos);
 * `b` is scaled to `a`'s size first, so a seam between clips of different sizes is still measured.
 */
export async function frameSsim(tools: FfmpegTools, a: string, b: string, options: FrameSsimOptions = {}): Promise<number> {
  const signal = options.signal ? { signal: options.signal } : {};
  const info = await probeMedia(tools, a, signal);
  const video = info.streams.find((s) => s.codecType === 'video');
  if (!video?.width || !video.height) throw new Error(`cannot measure SSIM: ${a} has no video frame of known size`);
  const graph = `[0:v]select=eq(n\\,0),format=yuv420p[x];[1:v]select=eq(n\\,0),scale=${video.width}:${video.height},format=yuv420p[y];[x][y]ssim`;
  const { stderr } = await runFfmpeg(tools, ['-i', resolve(a), '-i', resolve(b), '-filter_complex', graph, '-frames:v', '1', '-f', 'null', '-'], signal);
  const score = parseSsim(stderr);
  if (score === undefined) throw new Error(`ffmpeg printed no SSIM comparing ${a} and ${b}: ${stderr.trimEnd().split('\n').slice(-2).join(' ')}`);
  return score;
}
