import { join } from 'node:path';
import { extractLastFrame, probeMedia, runFfmpeg } from '../../src/media/ffmpeg.js';
import type { FfmpegTools } from '../../src/media/ffmpeg-binaries.js';

/** SSIM ("All") between two images or between the first frames of two videos, scaled to the first's size. */
export async function ssim(tools: FfmpegTools, a: string, b: string): Promise<number> {
  const info = await probeMedia(tools, a);
  const v = info.streams.find((s) => s.codecType === 'video');
  const { stderr } = await runFfmpeg(tools, ['-i', a, '-i', b, '-filter_complex',
    `[0:v]select=eq(n\\,0),format=yuv420p[x];[1:v]select=eq(n\\,0),scale=${v?.width}:${v?.height},format=yuv420p[y];[x][y]ssim`, '-frames:v', '1', '-f', 'null', '-']);
  const m = /All:([\d.]+)/.exec(stderr);
  if (!m) throw new Error(`no SSIM in ffmpeg output: ${stderr.slice(-300)}`);
  return Number(m[1]);
}

/** The exact last frame of a video as a PNG in `dir`. */
export async function lastFrame(tools: FfmpegTools, video: string, dir: string, name: string): Promise<string> {
  const png = join(dir, `${name}.last.png`);
  await extractLastFrame(tools, video, png);
  return png;
}
