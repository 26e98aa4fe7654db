// Binary resolution and the ffmpeg/ffprobe runner, against the real binaries (ffmpeg is required:
// a missing one fails these tests with FfmpegNotFoundError's install hint rather than skipping).
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfmpegNotFoundError, resolveFfmpeg } from '../src/media/ffmpeg-binaries.js';
import type { FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { extractLastFrame, FfmpegError, probeMedia, runFfmpeg, videoStreamDuration } from '../src/media/ffmpeg.js';

const FPS = 30;
let dir: string;
let tools: FfmpegTools;
/** 2 s of 320x240 testsrc2 with a 2 s sine, encoded like Wan clips (libx264 with B-frames, yuv420p, AAC). */
let clip: string;
/** Same video, but the audio runs to 3.5 s: the container outlasts the video (the -sseof trap). */
let longAudioClip: string;

function encodeArgs(audioSeconds: number, out: string): string[] {
  return [
    '-f', 'lavfi', '-i', `testsrc2=size=320x240:rate=${FPS}:duration=2`,
    '-f', 'lavfi', '-i', `sine=frequency=440:duration=${audioSeconds}`,
    '-map', '0:v', '-map', '1:a', '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p',
    '-threads', '2', '-c:a', 'aac', '-b:a', '64k', out,
  ];
}

/** md5 of every decoded frame as rgb24, in order (`-f framemd5`). */
async function frameMd5s(file: string): Promise<string[]> {
  // the same conversion as extractLastFrame's, so a frame and its PNG hash alike
  const { stdout } = await runFfmpeg(tools, ['-i', file, '-map', '0:v:0', '-sws_flags', 'accurate_rnd+full_chroma_int', '-pix_fmt', 'rgb24', '-f', 'framemd5', '-']);
  return stdout.split('\n').filter((line) => line && !line.startsWith('#')).map((line) => line.split(',').at(-1)?.trim() ?? '');
}

/** Mean of each RGB channel of a picture (decoded exactly: accurate rounding, full chroma). */
async function channelMeans(file: string): Promise<number[]> {
  const out = execFileSync(tools.ffmpeg.path, ['-v', 'error', '-i', file, '-sws_flags', 'accurate_rnd+full_chroma_int', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 26 });
  const sums = [0, 0, 0];
  for (let i = 0; i < out.length; i++) sums[i % 3] = (sums[i % 3] ?? 0) + (out[i] ?? 0);
  return sums.map((s) => s / (out.length / 3));
}

async function fakeFfmpeg(name: string, banner: string): Promise<string> {
  const fakeDir = await mkdtemp(join(dir, `${name}-`));
  const path = join(fakeDir, 'ffmpeg');
  await writeFile(path, `#!/bin/sh\necho "${banner}"\n`);
  await chmod(path, 0o755);
  return path;
}

/** True when the optional ffmpeg-static package resolves to a real file, which would come before PATH. */
function ffmpegStaticInstalled(): boolean {
  try {
    const path: unknown = createRequire(import.meta.url)('ffmpeg-static');
    return typeof path === 'string' && existsSync(path);
  } catch {
    return false;
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyboard-ffmpeg-'));
  tools = await resolveFfmpeg();
  clip = join(dir, 'clip.mp4');
  longAudioClip = join(dir, 'long-audio.mp4');
  await Promise.all([runFfmpeg(tools, encodeArgs(2, clip)), runFfmpeg(tools, encodeArgs(3.5, longAudioClip))]);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('resolveFfmpeg', () => {
  const pathOnly = (): NodeJS.ProcessEnv => ({ PATH: process.env.PATH });

  it('picks ffmpeg from PATH when no env var is set and ffmpeg-static is absent', async () => {
    const resolved = await resolveFfmpeg({ env: pathOnly() });
    expect(resolved.ffmpeg.source).toBe(ffmpegStaticInstalled() ? 'npm:ffmpeg-static' : 'PATH');
    expect(resolved.ffmpeg.version).toMatch(/^n?\d+\.\d+/);
    expect(resolved.ffprobe.version).not.toBe('');
    expect(resolved.capabilities).toMatchObject({ xfade: true, acrossfade: true, drawtext: true, zoompan: true, libx264: true, aac: true });
  });

  it('uses FFMPEG_PATH, and an explicit option over any env var', async () => {
    const viaEnv = await resolveFfmpeg({ env: { ...pathOnly(), FFMPEG_PATH: tools.ffmpeg.path } });
    expect(viaEnv.ffmpeg).toMatchObject({ path: tools.ffmpeg.path, source: 'env:FFMPEG_PATH' });
    const viaOption = await resolveFfmpeg({ ffmpeg: tools.ffmpeg.path, env: { ...pathOnly(), STORYBOARD_FFMPEG: '/nonexistent/ffmpeg' } });
    expect(viaOption.ffmpeg.source).toBe('option');
  });

  it('reports an env var that points at a missing file, naming the variable and the fix', async () => {
    const missing = join(dir, 'no-such-ffmpeg');
    const result = resolveFfmpeg({ env: { ...pathOnly(), STORYBOARD_FFMPEG: missing } });
    await expect(result).rejects.toBeInstanceOf(FfmpegNotFoundError);
    await expect(result).rejects.toThrow(/STORYBOARD_FFMPEG=.*no-such-ffmpeg[\s\S]*does not exist[\s\S]*apt-get install ffmpeg/);
  });

  it('rejects an env-var ffmpeg older than 4.3 instead of skipping it', async () => {
    const fake = await fakeFfmpeg('old', 'ffmpeg version 4.1 Copyright (c) 2000-2018 the FFmpeg developers');
    const result = resolveFfmpeg({ env: { ...pathOnly(), STORYBOARD_FFMPEG: fake } });
    await expect(result).rejects.toBeInstanceOf(FfmpegNotFoundError);
    await expect(result).rejects.toThrow(/ffmpeg 4\.1: older than 4\.3[\s\S]*missing filters xfade/);
  });

  it('skips an old ffmpeg found first on PATH and keeps looking', async () => {
    const fake = await fakeFfmpeg('shadow', 'ffmpeg version 4.1');
    const env = { PATH: [join(fake, '..'), process.env.PATH].join(delimiter) };
    const resolved = await resolveFfmpeg({ env });
    expect(resolved.ffmpeg.path).not.toBe(fake);
    expect(resolved.capabilities.xfade).toBe(true);
  });
});

describe('runFfmpeg', () => {
  it('reports progress from -progress pipe:1', async () => {
    const seen: number[] = [];
    await runFfmpeg(tools, ['-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=30:duration=1', '-f', 'null', '-'], {
      onProgress: (p) => seen.push(p.outTimeSeconds),
    });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.at(-1)).toBeCloseTo(1, 1);
  });

  it('rejects with FfmpegError carrying args, exit code and stderr', async () => {
    const missing = join(dir, 'missing.mp4');
    const error: unknown = await runFfmpeg(tools, ['-i', missing, '-f', 'null', '-']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FfmpegError);
    const failure = error as FfmpegError;
    expect(failure).toMatchObject({ reason: 'exit', binary: tools.ffmpeg.path });
    expect(failure.exitCode).not.toBe(0);
    expect(failure.args).toContain(missing);
    expect(failure.stderrTail).toContain('No such file or directory');
  });

  it('stops ffmpeg and rejects when aborted', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 200);
    const run = runFfmpeg(tools, ['-re', '-f', 'lavfi', '-i', 'testsrc2=duration=60', '-f', 'null', '-'], { signal: controller.signal });
    await expect(run).rejects.toMatchObject({ name: 'FfmpegError', reason: 'abort' });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('probeMedia', () => {
  it('reports the streams and durations of an encoded clip', async () => {
    const info = await probeMedia(tools, clip);
    const video = info.streams.find((s) => s.codecType === 'video');
    const audio = info.streams.find((s) => s.codecType === 'audio');
    expect(info.streams).toHaveLength(2);
    expect(video).toMatchObject({ codecName: 'h264', width: 320, height: 240, pixFmt: 'yuv420p', frameRate: FPS, nbFrames: 60, sampleAspectRatio: 1 });
    expect(audio).toMatchObject({ codecName: 'aac', sampleRate: 44100, channels: 1 });
    expect(Math.abs((videoStreamDuration(info) ?? 0) - 2)).toBeLessThanOrEqual(1 / FPS);
    expect(Math.abs((info.duration ?? 0) - 2)).toBeLessThanOrEqual(1 / FPS);
  });
});

describe('extractLastFrame', () => {
  async function expectExactLastFrame(video: string, name: string): Promise<void> {
    const png = join(dir, name);
    await extractLastFrame(tools, video, png);
    const frames = await frameMd5s(video);
    const [pngMd5] = await frameMd5s(png);
    expect(frames).toHaveLength(60);
    // testsrc2 changes every frame, so matching the last (and not the one before) pins the exact frame.
    expect(frames.at(-2)).not.toBe(frames.at(-1));
    expect(pngMd5).toBe(frames.at(-1));
  }

  it('writes the exact last frame as a PNG, leaving no temp file behind', async () => {
    await expectExactLastFrame(clip, 'last.png');
    expect((await readdir(dir)).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('keeps the colour along a chain: six clip → last frame → clip hops move no channel mean by a level', async () => {
    let frame = join(dir, 'hop0.png');
    await runFfmpeg(tools, ['-f', 'lavfi', '-i', 'mandelbrot=s=320x240', '-frames:v', '1', frame]);
    const start = await channelMeans(frame);
    for (let hop = 1; hop <= 6; hop++) {
      const video = join(dir, `hop${hop}.mp4`);
      await runFfmpeg(tools, ['-loop', '1', '-i', frame, '-t', '0.5', '-r', String(FPS), '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-crf', '18', video]);
      frame = join(dir, `hop${hop}.png`);
      await extractLastFrame(tools, video, frame);
    }
    const end = await channelMeans(frame);
    // swscale's default (fast) conversion loses 6.3 levels of red and 7.3 of green over the same six hops
    for (let c = 0; c < 3; c++) expect(Math.abs((end[c] ?? 0) - (start[c] ?? 0))).toBeLessThan(1);
  });

  it('seeks by the video stream, so audio longer than the video does not lose the frame', async () => {
    const info = await probeMedia(tools, longAudioClip);
    expect(info.duration ?? 0).toBeGreaterThan((videoStreamDuration(info) ?? 0) + 1);
    await expectExactLastFrame(longAudioClip, 'last-long-audio.png');
  });
});
