import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Join, StitchJob } from '../src/compiler/plan/types.js';
import { extractLastFrame, probeMedia, runFfmpeg } from '../src/media/ffmpeg.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { stitchFilm, type FilmClip } from '../src/assembly/stitch-film.js';

let tools: FfmpegTools;
let dir: string;

/** A clip of visually distinct content (so cuts are detectable), optionally silent, optionally starting on an image. */
async function clip(name: string, seconds: number, source: string, audio: boolean, startImage?: string): Promise<FilmClip> {
  const file = join(dir, `${name}.mp4`);
  const video = startImage
    ? ['-loop', '1', '-framerate', '30', '-t', '0.0333', '-i', startImage, '-f', 'lavfi', '-t', String(seconds), '-i', `${source}=s=320x180:r=30`]
    : ['-f', 'lavfi', '-t', String(seconds), '-i', `${source}=s=320x180:r=30`];
  const graph = startImage ? ['-filter_complex', `[0:v]scale=320:180,format=yuv420p,setsar=1[a];[1:v]format=yuv420p,setsar=1,trim=start_frame=1[b];[a][b]concat=n=2:v=1[v]`, '-map', '[v]'] : [];
  const audioIn = audio ? ['-f', 'lavfi', '-i', `sine=f=${300 + name.length * 50}:d=${seconds}:r=48000`] : [];
  const audioMap = audio ? (startImage ? ['-map', '2:a'] : ['-map', '0:v', '-map', '1:a']) : [];
  await runFfmpeg(tools, [...video, ...audioIn, ...graph, ...(startImage ? audioMap : audioMap), '-frames:v', String(seconds * 30),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-threads', '1', ...(audio ? ['-c:a', 'aac', '-ac', '2'] : []), file]);
  const info = await probeMedia(tools, file);
  return { clip: name, file, sha256: name, duration: seconds, width: 320, height: 180, audio: info.streams.some((s) => s.codecType === 'audio') };
}

function job(clips: readonly FilmClip[], joins: readonly Join[]): StitchJob {
  return { output: 'film.mp4', order: clips.map((c) => c.clip), joins, starts: [], duration: 0, chapters: [], cues: [], fit: 'contain', subtitles: { srt: false, vtt: false, burn: false }, chapterMarks: false };
}

async function frameHashes(file: string): Promise<string[]> {
  const { stdout } = await runFfmpeg(tools, ['-v', 'error', '-i', file, '-map', '0:v:0', '-f', 'framemd5', '-']);
  return stdout.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(',').pop()?.trim() ?? '');
}

async function check(file: string, seconds: number): Promise<void> {
  const info = await probeMedia(tools, file);
  const v = info.streams.find((s) => s.codecType === 'video');
  const a = info.streams.find((s) => s.codecType === 'audio');
  expect(Math.abs((v?.duration ?? 0) - seconds)).toBeLessThanOrEqual(1 / 30 + 1e-6);
  if (a) expect(Math.abs((a.duration ?? 0) - (v?.duration ?? 0))).toBeLessThanOrEqual(1 / 30 + 1e-6);
  const { stderr } = await runFfmpeg(tools, ['-v', 'error', '-i', file, '-f', 'null', '-']);
  expect(stderr.trim()).toBe('');
}

beforeAll(async () => {
  tools = await resolveFfmpeg();
  dir = await mkdtemp(join(tmpdir(), 'sb-stitch-'));
});

describe('stitching', () => {
  it('cuts: clips in order, total duration exact, silent clips get silence, decodes cleanly', async () => {
    const clips = [await clip('a', 2, 'testsrc2', true), await clip('b', 3, 'mandelbrot', false), await clip('c', 2, 'smptebars', true)];
    const out = join(dir, 'cuts.mp4');
    const r = await stitchFilm(tools, job(clips, [{ from: 'a', to: 'b', type: 'cut', duration: 0 }, { from: 'b', to: 'c', type: 'cut', duration: 0 }]), clips, out);
    expect(r.duration).toBeCloseTo(7, 1);
    await check(out, 7);
    const { stderr } = await runFfmpeg(tools, ['-i', out, '-vf', 'scdet=threshold=10,metadata=print:key=lavfi.scd.time', '-f', 'null', '-']);
    const cuts = [...stderr.matchAll(/lavfi\.scd\.time=([\d.]+)/g)].map((m) => Number(m[1]));
    expect(cuts.map((t) => Math.round(t * 30) / 30)).toEqual(expect.arrayContaining([2, 5]));
  });

  it('a continuity seam drops the duplicated first frame: no frozen frame at the join', async () => {
    const a = await clip('seamA', 2, 'testsrc2', true);
    const last = join(dir, 'seamA-last.png');
    await extractLastFrame(tools, a.file, last);
    const b = await clip('seamB', 2, 'mandelbrot', true, last);
    const hashesB = await frameHashes(b.file);
    const hashesA = await frameHashes(a.file);
    const out = join(dir, 'seam.mp4');
    await stitchFilm(tools, job([a, b], [{ from: 'seamA', to: 'seamB', type: 'seam', duration: 0 }]), [a, b], out);
    await check(out, 4 - 1 / 30);
    const film = await frameHashes(out);
    expect(film).toHaveLength(119);
    // the film's frames around the seam are not repeated
    expect(film[59]).not.toBe(film[60]);
    expect(hashesA.length + hashesB.length - 1).toBe(film.length);
  });

  it('a dissolve overlaps the clips by its duration, with audio crossfaded', async () => {
    const clips = [await clip('d1', 3, 'testsrc2', true), await clip('d2', 3, 'smptebars', false)];
    const out = join(dir, 'dissolve.mp4');
    await stitchFilm(tools, job(clips, [{ from: 'd1', to: 'd2', type: 'dissolve', duration: 1 }]), clips, out);
    await check(out, 5);
  });

  it('a fade through black is black in the middle of the transition', async () => {
    const clips = [await clip('f1', 2, 'testsrc2', false), await clip('f2', 2, 'smptebars', false)];
    const out = join(dir, 'fade.mp4');
    await stitchFilm(tools, job(clips, [{ from: 'f1', to: 'f2', type: 'fade', duration: 1 }]), clips, out);
    await check(out, 3);
    const { stderr } = await runFfmpeg(tools, ['-i', out, '-vf', 'blackdetect=d=0:pix_th=0.1', '-f', 'null', '-']);
    const starts = [...stderr.matchAll(/black_start:([\d.]+)/g)].map((m) => Number(m[1]));
    expect(starts.length).toBeGreaterThan(0);
    expect(starts.every((t) => t > 1 && t < 2)).toBe(true);
  });

  it('the same clips and settings give byte-identical films', async () => {
    const clips = [await clip('x1', 1, 'testsrc2', true), await clip('x2', 1, 'mandelbrot', true)];
    const j = job(clips, [{ from: 'x1', to: 'x2', type: 'dissolve', duration: 0.5 }]);
    const one = await stitchFilm(tools, j, clips, join(dir, 'one.mp4'));
    const two = await stitchFilm(tools, j, clips, join(dir, 'two.mp4'));
    expect(two.sha256).toBe(one.sha256);
  });
});
