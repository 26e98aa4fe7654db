// Colour statistics and the frame reader under them, on pictures made with ffmpeg: exact numbers on flat
// colours, the right frames of a video (evenly sampled, named times, the last ones), the same numbers for the
// same bytes, and what a 1080p frame costs.
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colourStatsOf, readColourStats } from '../src/media/colour-stats.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { runFfmpeg } from '../src/media/ffmpeg.js';
import { evenTimes, probePicture, readFrames, readLastFrames, workingSize } from '../src/media/read-frames.js';
import { readSharpness } from '../src/media/sharpness.js';
import { decodePictures } from './helpers/rgb-frames.js';

let dir: string;
let tools: FfmpegTools;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyboard-colour-stats-'));
  tools = await resolveFfmpeg();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function make(name: string, args: string[]): Promise<string> {
  const out = join(dir, name);
  await runFfmpeg(tools, ['-v', 'error', ...args, out]);
  return out;
}

describe('colour statistics', () => {
  it('are exact on a flat colour: means, no spread, one histogram bin, BT.709 luma', async () => {
    const png = await make('flat.png', ['-f', 'lavfi', '-i', 'color=black:s=64x36', '-vf', 'format=rgb24,geq=r=0x33:g=0x66:b=0x99', '-frames:v', '1']);
    const stats = await readColourStats(tools, png);
    expect([stats.r.mean, stats.g.mean, stats.b.mean]).toEqual([0x33, 0x66, 0x99]);
    expect([stats.r.std, stats.g.std, stats.b.std]).toEqual([0, 0, 0]);
    expect(stats.pixels).toBe(64 * 36);
    expect(stats.r.histogram[0x33]).toBe(64 * 36);
    expect(stats.luma).toBeCloseTo(0.2126 * 0x33 + 0.7152 * 0x66 + 0.0722 * 0x99, 9);
  });

  it('give half black, half white a mean of 127.5 and a deviation of 127.5', async () => {
    const png = await make('split.png', ['-f', 'lavfi', '-i', 'color=black:s=32x36', '-f', 'lavfi', '-i', 'color=white:s=32x36', '-filter_complex', 'hstack,format=rgb24', '-frames:v', '1']);
    const stats = await readColourStats(tools, png);
    for (const c of [stats.r, stats.g, stats.b]) {
      expect(c.mean).toBe(127.5);
      expect(c.std).toBe(127.5);
      expect(c.histogram.filter((n) => n > 0)).toHaveLength(2);
    }
  });

  it('sample a video evenly, or the frames named: a red second then a blue one', async () => {
    const mp4 = await make('red-blue.mp4', [
      '-f', 'lavfi', '-i', 'color=red:s=64x36:r=30:d=1', '-f', 'lavfi', '-i', 'color=blue:s=64x36:r=30:d=1',
      '-filter_complex', 'concat=n=2:v=1:a=0,format=yuv420p', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '10', '-threads', '2',
    ]);
    const both = await readColourStats(tools, mp4, { frames: 2 });
    expect(both.frames).toBe(2);
    expect(both.r.mean).toBeGreaterThan(120);
    expect(both.r.mean).toBeLessThan(135);
    expect(both.b.mean).toBeGreaterThan(120);
    expect(both.b.mean).toBeLessThan(135);
    const first = await readColourStats(tools, mp4, { at: ['first'] });
    const last = await readColourStats(tools, mp4, { at: ['last'] });
    expect(first.r.mean).toBeGreaterThan(245);
    expect(first.b.mean).toBeLessThan(10);
    expect(last.b.mean).toBeGreaterThan(245);
    expect(last.r.mean).toBeLessThan(10);
  });

  it('give the same numbers for the same bytes, read twice or from a copy', async () => {
    const mp4 = await make('same.mp4', ['-f', 'lavfi', '-i', 'testsrc2=s=640x360:r=30:d=2', '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-threads', '2']);
    const copy = join(dir, 'same-copy.mp4');
    await copyFile(mp4, copy);
    const a = await readColourStats(tools, mp4);
    expect(await readColourStats(tools, mp4)).toEqual(a);
    expect(await readColourStats(tools, copy)).toEqual(a);
    expect(a.frames).toBe(5);
    expect(await readSharpness(tools, copy)).toBe(await readSharpness(tools, mp4));
  });

  it('reject frames that are not rgb24', () => {
    expect(() => colourStatsOf([{ width: 2, height: 2, format: 'gray', data: new Uint8Array(4) }])).toThrow(/rgb24/);
  });

  it('cost little per 1080p frame (measured, printed)', async () => {
    const mp4 = await make('hd.mp4', ['-f', 'lavfi', '-i', 'testsrc2=s=1920x1080:r=30:d=2', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-threads', '2']);
    const time = async (f: () => Promise<unknown>): Promise<number> => {
      const start = performance.now();
      await f();
      return performance.now() - start;
    };
    const one = await time(() => readColourStats(tools, mp4, { at: ['first'] }));
    const small = await time(() => readColourStats(tools, mp4, { frames: 5 }));
    const full = await time(() => readColourStats(tools, mp4, { frames: 5, size: 'source' }));
    const sharp = await time(() => readSharpness(tools, mp4, { at: evenTimes(2, 5) }));
    console.log(`1080p: colour stats of the first frame ${one.toFixed(0)} ms; 5 frames in one ffmpeg run: colour stats at 256 px ${small.toFixed(0)} ms, at full size ${full.toFixed(0)} ms; sharpness ${sharp.toFixed(0)} ms`);
    expect(small).toBeLessThan(20_000);
  });
});

describe('frame reader', () => {
  let clip: string;
  /** Every frame of the clip as luma, decoded straight through. */
  let luma: Uint8Array[];

  beforeAll(async () => {
    // 45 distinct frames (testsrc2 moves), with B-frames: what seeking has to get right
    clip = await make('frames.mp4', ['-f', 'lavfi', '-i', 'testsrc2=s=320x180:r=30:d=1.5', '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-threads', '2']);
    luma = (await decodePictures(tools, clip, { width: 320, height: 180 }, 'gray')).map((p) => p.data);
    expect(luma).toHaveLength(45);
  });

  it('reads the first, a timed and the last frame exactly, in the order asked', async () => {
    const source = await probePicture(tools, clip);
    const frames = await readFrames(tools, source, ['last', 1, 'first'], { format: 'gray', size: 'source' });
    // which frame of the clip each one is (-1: none)
    expect(frames.map((f) => luma.findIndex((l) => Buffer.from(l).equals(Buffer.from(f.data))))).toEqual([44, 30, 0]);
    expect(frames.map((f) => f.time)).toEqual([44 / 30, 1, 0]);
  });

  it('reads the last n frames in order with their times', async () => {
    const source = await probePicture(tools, clip);
    const frames = await readLastFrames(tools, source, 5, { format: 'gray', size: 'source' });
    expect(frames.map((f) => luma.findIndex((l) => Buffer.from(l).equals(Buffer.from(f.data))))).toEqual([40, 41, 42, 43, 44]);
    expect(frames.map((f) => Math.round((f.time ?? -1) * 30))).toEqual([40, 41, 42, 43, 44]);
  });

  it('scales to a width or a short side, keeping the aspect with even sides', () => {
    expect(workingSize({ width: 1920, height: 1080 }, { width: 256 })).toEqual({ width: 256, height: 144 });
    expect(workingSize({ width: 1280, height: 720 }, { shortSide: 360 })).toEqual({ width: 640, height: 360 });
    expect(workingSize({ width: 720, height: 1280 }, { shortSide: 360 })).toEqual({ width: 360, height: 640 });
    expect(workingSize({ width: 832, height: 480 }, { shortSide: 360 })).toEqual({ width: 624, height: 360 });
    expect(evenTimes(10, 4)).toEqual([1.25, 3.75, 6.25, 8.75]);
  });
});
