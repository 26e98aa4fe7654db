// Sharpness (variance of the Laplacian of luma at a fixed working size) on pictures made with ffmpeg: blur ranks
// below the original, the same picture scores alike at 1080p and 720p, and sharpestOfLast finds the one sharp
// frame among blurred last frames of a clip.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { runFfmpeg } from '../src/media/ffmpeg.js';
import { laplacianVariance, readSharpness, sharpestOfLast } from '../src/media/sharpness.js';
import { filterImage, makeAnchor } from './helpers/colour-media.js';

let dir: string;
let tools: FfmpegTools;
let sharp: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyboard-sharpness-'));
  tools = await resolveFfmpeg();
  sharp = join(dir, 'sharp.png');
  await makeAnchor(tools, sharp, { width: 1920, height: 1080 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A 30 fps H.264 clip of testsrc2 through `filter`. */
async function clip(name: string, frames: number, filter: string): Promise<string> {
  const out = join(dir, name);
  await runFfmpeg(tools, ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=s=640x360:r=30`, '-vf', `${filter},format=yuv420p`, '-frames:v', String(frames),
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '12', '-threads', '2', out]);
  return out;
}

describe('sharpness', () => {
  it('is zero on a flat picture and grows with edges', () => {
    const flat = new Uint8Array(16 * 16).fill(90);
    expect(laplacianVariance(flat, 16, 16)).toBe(0);
    const stripes = Uint8Array.from({ length: 16 * 16 }, (_, i) => (i % 2 ? 200 : 50));
    const soft = Uint8Array.from({ length: 16 * 16 }, (_, i) => (i % 16 < 8 ? 100 : 150));
    expect(laplacianVariance(stripes, 16, 16)).toBeGreaterThan(laplacianVariance(soft, 16, 16));
    expect(laplacianVariance(soft, 16, 16)).toBeGreaterThan(0);
  });

  it('ranks a blurred frame below its sharp original, and more blur lower still', async () => {
    const [soft, softer] = [join(dir, 'soft.png'), join(dir, 'softer.png')];
    await filterImage(tools, sharp, 'gblur=sigma=1.5', soft);
    await filterImage(tools, sharp, 'gblur=sigma=4', softer);
    const scores = [await readSharpness(tools, sharp), await readSharpness(tools, soft), await readSharpness(tools, softer)];
    console.log(`sharpness: original ${scores[0]?.toFixed(1)}, gblur 1.5 ${scores[1]?.toFixed(1)}, gblur 4 ${scores[2]?.toFixed(1)}`);
    expect(scores[1]).toBeLessThan(0.8 * (scores[0] ?? 0));
    expect(scores[2]).toBeLessThan(0.8 * (scores[1] ?? 0));
  });

  it('scores the same picture alike at 1080p and at 720p (a fixed working size)', async () => {
    const small = join(dir, 'small.png');
    await filterImage(tools, sharp, 'scale=1280:720:flags=area', small);
    const [big, little] = [await readSharpness(tools, sharp), await readSharpness(tools, small)];
    console.log(`sharpness of one picture: 1080p ${big.toFixed(1)}, 720p ${little.toFixed(1)}`);
    expect(little / big).toBeGreaterThan(0.85);
    expect(little / big).toBeLessThan(1.15);
  });
});

describe('sharpestOfLast', () => {
  it('finds the one sharp frame among blurred last frames', async () => {
    // 40 frames; 32–39 blurred except 36
    const video = await clip('blurred-end.mp4', 40, "gblur=sigma=2.5:enable='gte(n,32)*not(eq(n,36))'");
    const found = await sharpestOfLast(tools, video, 8);
    expect(found.scores).toHaveLength(8);
    expect(found).toMatchObject({ fromEnd: 3, index: 36 });
    expect(found.time).toBeCloseTo(36 / 30, 3);
    expect(found.score).toBe(Math.max(...found.scores));
  });

  it('keeps the last frame when it is as sharp as any', async () => {
    const video = await clip('sharp-end.mp4', 40, 'null');
    const found = await sharpestOfLast(tools, video, 6);
    expect(found.fromEnd).toBe(0);
    expect(found.index).toBe(39);
  });

  it('looks only at the last n frames', async () => {
    // the sharp frame is 5 from the end: out of reach of the last 4, which are all equally blurred
    const video = await clip('sharp-early.mp4', 40, "gblur=sigma=2.5:enable='gte(n,30)*not(eq(n,34))'");
    expect((await sharpestOfLast(tools, video, 4)).index).toBeGreaterThan(35);
    expect((await sharpestOfLast(tools, video, 6)).index).toBe(34);
  });
});
