// Pictures for the colour and drift tests, made with ffmpeg: a textured anchor (smooth gradients under testsrc2's
// edges and colour patches), casts of it, and clips made from a frame the way a continuation chain makes them.
import { runFfmpeg } from '../../src/media/ffmpeg.js';
import type { FfmpegTools } from '../../src/media/ffmpeg-binaries.js';

/** The anchor's size in the tests. */
export const ANCHOR_SIZE = { width: 480, height: 270 };

/** A textured still: `gradients` averaged with `testsrc2` (edges for sharpness, spread histograms for colour). */
export async function makeAnchor(tools: FfmpegTools, png: string, size = ANCHOR_SIZE): Promise<void> {
  const s = `${size.width}x${size.height}`;
  await runFfmpeg(tools, [
    '-v', 'error', '-f', 'lavfi', '-i', `gradients=s=${s}:c0=0x3060a0:c1=0xe0a040:seed=7:speed=0.01`, '-f', 'lavfi', '-i', `testsrc2=s=${s}`,
    '-filter_complex', '[0:v]format=rgb24[g];[1:v]format=rgb24[t];[g][t]blend=all_mode=average', '-frames:v', '1', png,
  ]);
}

/** `input` (an image) through an ffmpeg filter chain, written as a PNG. */
export async function filterImage(tools: FfmpegTools, input: string, filter: string, png: string): Promise<void> {
  await runFfmpeg(tools, ['-v', 'error', '-i', input, '-vf', `${filter},format=rgb24`, '-frames:v', '1', png]);
}

/** One hop of drift as a model might add it: a warm cast, brighter and flatter, a little softer. */
export const HOP_DRIFT = 'colorbalance=rs=0.05:bs=-0.05:rm=0.03:bm=-0.03,eq=gamma=1.06:brightness=0.02:contrast=0.93,gblur=sigma=0.6';

/**
 * A clip made from a frame the way a chain makes one: `frames` frames of a slow zoom into `png` at the anchor's
 * size and 30 fps, through `filter` (the hop's drift), as H.264 yuv420p.
 */
export async function clipFromFrame(tools: FfmpegTools, png: string, filter: string, mp4: string, frames = 30): Promise<void> {
  const { width, height } = ANCHOR_SIZE;
  await runFfmpeg(tools, [
    '-v', 'error', '-loop', '1', '-i', png, '-vf', `zoompan=z='1+0.002*on':d=${frames}:s=${width}x${height}:fps=30,${filter},format=yuv420p`,
    '-frames:v', String(frames), '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-threads', '2', mp4,
  ]);
}
