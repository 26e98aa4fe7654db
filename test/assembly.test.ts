import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Join, StitchJob } from '../src/compiler/plan/types.js';
import { extractLastFrame, probeMedia, runFfmpeg, spawnTool } from '../src/media/ffmpeg.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { copyBlocker, type ClipMediaFacts } from '../src/assembly/media-facts.js';
import { concatList } from '../src/assembly/mux-args.js';
import { pieceRanges, planTimeline } from '../src/assembly/timeline.js';
import { stitchFilm, type FilmClip, type StitchFilmOptions } from '../src/assembly/stitch-film.js';

const FRAME = 1 / 30;
let tools: FfmpegTools;
let dir: string;

interface ClipOptions { readonly audio?: boolean; readonly startImage?: string; readonly tagged?: boolean }

/** A 320x180 clip of a lavfi source, encoded like Wan (libx264 High with B-frames, AAC 48 kHz stereo). */
async function clip(name: string, seconds: number, source: string, o: ClipOptions = {}): Promise<FilmClip> {
  const file = join(dir, `${name}.mp4`);
  const src = ['-f', 'lavfi', '-t', String(seconds), '-i', `${source}${source.includes('=') ? ':' : '='}s=320x180:r=30`];
  const video = o.startImage ? ['-loop', '1', '-framerate', '30', '-t', '0.0333', '-i', o.startImage, ...src] : src;
  const graph = o.startImage ? ['-filter_complex', '[0:v]format=yuv420p,setsar=1[a];[1:v]format=yuv420p,setsar=1,trim=start_frame=1[b];[a][b]concat=n=2:v=1[v]', '-map', '[v]'] : ['-map', '0:v'];
  const audioIn = o.audio === false ? [] : ['-f', 'lavfi', '-i', `sine=f=440:d=${seconds}:r=48000`];
  const audioMap = o.audio === false ? [] : ['-map', `${o.startImage ? 2 : 1}:a`, '-c:a', 'aac', '-ac', '2'];
  const tags = o.tagged ? ['-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709'] : [];
  await runFfmpeg(tools, [...video, ...audioIn, ...graph, ...audioMap, '-t', String(seconds), '-c:v', 'libx264', '-preset', 'veryfast',
    '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-threads', '1', ...tags, file]);
  return { clip: name, file, sha256: `${name}-${seconds}-${source}`, duration: seconds, width: 320, height: 180, audio: o.audio !== false };
}

function job(clips: readonly FilmClip[], joins: readonly Join[], chapters: StitchJob['chapters'] = []): StitchJob {
  return { output: 'film.mp4', order: clips.map((c) => c.clip), joins, starts: [], duration: 0, chapters, cues: [], fit: 'contain', subtitles: { srt: false, vtt: false, burn: false }, chapterMarks: chapters.length > 0 };
}
const cut = (from: string, to: string): Join => ({ from, to, type: 'cut', duration: 0 });

async function ffprobe(args: readonly string[]): Promise<string> {
  return (await spawnTool(tools.ffprobe.path, ['-v', 'error', ...args])).stdout;
}

/** Per-frame (decoded) or per-packet (`copy`) md5s of the video. */
async function hashes(file: string, copy = false): Promise<string[]> {
  const { stdout } = await runFfmpeg(tools, ['-v', 'error', '-i', file, '-map', '0:v:0', ...(copy ? ['-c', 'copy'] : []), '-f', 'framemd5', '-']);
  return stdout.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(',').pop()?.trim() ?? '');
}

/** Durations within a frame, A/V equal within a frame, constant frame spacing, clean decode; returns the frame count. */
async function expectSound(file: string, frames: number): Promise<void> {
  const info = await probeMedia(tools, file);
  const v = info.streams.find((s) => s.codecType === 'video');
  const a = info.streams.find((s) => s.codecType === 'audio');
  expect(Math.abs((v?.duration ?? 0) - frames * FRAME)).toBeLessThanOrEqual(FRAME + 1e-6);
  if (a) expect(Math.abs((a.duration ?? 0) - (v?.duration ?? 0))).toBeLessThanOrEqual(FRAME + 1e-6);
  const pts = (await ffprobe(['-select_streams', 'v:0', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', file])).trim().split('\n').map(Number).sort((x, y) => x - y);
  expect(pts).toHaveLength(frames);
  expect(pts.slice(1).every((t, i) => Math.abs(t - (pts[i] ?? 0) - FRAME) < 1e-3)).toBe(true);
  const { stderr } = await runFfmpeg(tools, ['-v', 'error', '-i', file, '-f', 'null', '-']);
  expect(stderr.trim()).toBe('');
}

async function decodedSamples(file: string): Promise<number> {
  const { stderr } = await runFfmpeg(tools, ['-i', file, '-vn', '-af', 'astats=measure_perchannel=none:measure_overall=Number_of_samples', '-f', 'null', '-']);
  return Number(/Number of samples: (\d+)/.exec(stderr)?.[1] ?? NaN);
}

async function chapterStarts(file: string): Promise<number[]> {
  const json = JSON.parse(await ffprobe(['-show_chapters', '-of', 'json', file])) as { chapters: { start_time: string }[] };
  return json.chapters.map((c) => Number(c.start_time));
}

/** RMS level (dB) of the audio between `from` and `to` seconds after `filter`. */
async function rms(file: string, from: number, to: number, filter: string): Promise<number> {
  const { stderr } = await runFfmpeg(tools, ['-i', file, '-vn', '-af', `atrim=${from}:${to},${filter},astats=measure_perchannel=none`, '-f', 'null', '-']);
  return Number(/RMS level dB: (-?[\d.]+|-inf)/.exec(stderr)?.[1]?.replace('-inf', '-200') ?? NaN);
}

beforeAll(async () => {
  tools = await resolveFfmpeg();
  dir = await mkdtemp(join(tmpdir(), 'sb-assembly-'));
});

describe('planning', () => {
  it('lays out heads, bodies, tails and seams in whole frames', () => {
    const t = planTimeline([90, 90, 60], [{ from: 'a', to: 'b', type: 'dissolve', duration: 0.5 }, { from: 'b', to: 'c', type: 'seam', duration: 0 }]);
    expect(t.frames).toBe(90 + 90 + 59 - 15);
    expect(t.seams).toEqual([{ index: 0, frames: 15, transition: 'fade' }]);
    expect(t.clips[2]).toMatchObject({ frames: 59, drop: 1, head: 0, tail: 0 });
    expect(pieceRanges(t.clips[1] ?? t.clips[0]!)).toEqual([{ role: 'head', start: 0, end: 15 }, { role: 'body', start: 15, end: 90 }]);
    expect(() => planTimeline([20, 20], [{ from: 'a', to: 'b', type: 'fade', duration: 1 }])).toThrow(/too few/);
  });

  it('quotes any path in concat lists and explains why clips cannot be copied', () => {
    expect(concatList([{ file: "/x/it's.mp4", frames: 15 }])).toBe("ffconcat version 1.0\nfile '/x/it'\\''s.mp4'\nduration 0.500000\n");
    const f: ClipMediaFacts = { videoCodec: 'h264', width: 320, height: 180, fps: 30, pixFmt: 'yuv420p', sar: 1, videoDuration: 2, audioCodec: 'aac', sampleRate: 48000, channels: 2, audioDuration: 2 };
    const target = { width: 320, height: 180, music: false };
    expect(copyBlocker([f, f], target)).toBeUndefined();
    expect(copyBlocker([f, { ...f, audioCodec: undefined }], target)).toMatch(/some clips have audio/);
    expect(copyBlocker([f, { ...f, fps: 24 }], target)).toMatch(/24 fps/);
    expect(copyBlocker([f, { ...f, videoParams: 'other' }], target)).toMatch(/different H.264/);
    expect(copyBlocker([f], { ...target, music: true })).toMatch(/music/);
  });
});

describe('assembly', () => {
  it('cuts between matching clips are a stream copy: same packets, exact timing, chapters', async () => {
    const clips = [await clip('k1', 2, 'testsrc2'), await clip('k2', 2, 'mandelbrot'), await clip('k3', 2, 'smptebars')];
    const chapters = [{ scene: 'one', title: 'One', start: 0, end: 2 }, { scene: 'two', title: 'Two', start: 2, end: 6 }];
    const out = join(dir, 'copy.mp4');
    const r = await stitchFilm(tools, job(clips, [cut('k1', 'k2'), cut('k2', 'k3')], chapters), clips, out, { title: 'Copy' });
    expect(r.method).toBe('copy');
    await expectSound(out, 180);
    const packets = (await Promise.all(clips.map((c) => hashes(c.file, true)))).flat();
    expect(await hashes(out, true)).toEqual(packets);
    const { stderr } = await runFfmpeg(tools, ['-i', out, '-vf', 'scdet=threshold=10,metadata=print:key=lavfi.scd.time', '-f', 'null', '-']);
    const cuts = [...stderr.matchAll(/lavfi\.scd\.time=([\d.]+)/g)].map((m) => Math.round(Number(m[1]) * 30));
    expect(cuts).toEqual(expect.arrayContaining([60, 120]));
    expect(await chapterStarts(out)).toEqual([0, 2]);
    // copied AAC keeps each clip's priming and padding; exactAudio renders it to the video's length instead
    const exact = await stitchFilm(tools, job(clips, [cut('k1', 'k2'), cut('k2', 'k3')]), clips, join(dir, 'copy-exact.mp4'), { exactAudio: true });
    expect(exact.method).toBe('copy');
    expect(await hashes(join(dir, 'copy-exact.mp4'), true)).toEqual(packets);
    await expectSound(join(dir, 'copy-exact.mp4'), 180);
    const [copied, rendered] = [await decodedSamples(out), await decodedSamples(join(dir, 'copy-exact.mp4'))];
    expect(rendered - 6 * 48000).toBeGreaterThanOrEqual(0);
    expect(rendered - 6 * 48000).toBeLessThan(1024);
    expect(copied - rendered).toBeGreaterThan(2000);
  });

  it('silent matching clips are copied too; a mix of silent and sounding clips is not', async () => {
    const silent = [await clip('q1', 1, 'testsrc2', { audio: false }), await clip('q2', 1, 'smptebars', { audio: false })];
    const r = await stitchFilm(tools, job(silent, [cut('q1', 'q2')]), silent, join(dir, 'silent.mp4'));
    expect(r.method).toBe('copy');
    await expectSound(join(dir, 'silent.mp4'), 60);
    const mixed = [silent[0]!, await clip('q3', 1, 'mandelbrot')];
    const m = await stitchFilm(tools, job(mixed, [cut('q1', 'q3')]), mixed, join(dir, 'mixed.mp4'));
    expect(m).toMatchObject({ method: 'smart', reason: expect.stringMatching(/some clips have audio/) });
    await expectSound(join(dir, 'mixed.mp4'), 60);
  });

  it('transitions take the smart path: exact length, black in a fade, no repeated frame at a seam, chapters', async () => {
    const c = await clip('t3', 3, 'mandelbrot');
    const last = join(dir, 't3-last.png');
    await extractLastFrame(tools, c.file, last);
    const clips = [await clip('t1', 3, 'testsrc2', { tagged: true }), await clip('t2', 3, 'smptebars', { audio: false }), c,
      await clip('t4', 2, 'testsrc2', { startImage: last }), await clip('t5', 2, 'color=c=red', { audio: false })];
    const joins: Join[] = [{ from: 't1', to: 't2', type: 'dissolve', duration: 0.5 }, { from: 't2', to: 't3', type: 'wipeleft', duration: 0.5 },
      { from: 't3', to: 't4', type: 'seam', duration: 0 }, { from: 't4', to: 't5', type: 'fade', duration: 1 }];
    const chapters = [{ scene: 'a', title: 'A', start: 0, end: 75 / 30 }, { scene: 'b', title: 'B', start: 75 / 30, end: 269 / 30 }, { scene: 'c', title: 'C', start: 269 / 30, end: 329 / 30 }];
    const out = join(dir, 'smart.mp4');
    const cacheDir = join(dir, 'cache-smart');
    const r = await stitchFilm(tools, job(clips, joins, chapters), clips, out, { cacheDir });
    expect(r).toMatchObject({ method: 'smart', normalized: { reused: 0, encoded: 5 } });
    await expectSound(out, 329);
    const film = await hashes(out);
    // t3 ends at film frame 239, t4 (its first frame dropped) starts at 240
    expect(film[239]).not.toBe(film[240]);
    const { stderr } = await runFfmpeg(tools, ['-i', out, '-vf', 'blackdetect=d=0:pix_th=0.1', '-an', '-f', 'null', '-']);
    const black = [...stderr.matchAll(/black_start:([\d.]+)/g)].map((m) => Number(m[1]));
    expect(black.length).toBeGreaterThan(0);
    expect(black.every((t) => t > 269 / 30 && t < 299 / 30)).toBe(true);
    (await chapterStarts(out)).forEach((t, i) => expect(Math.abs(t - (chapters[i]?.start ?? -1))).toBeLessThanOrEqual(FRAME));
    // differently tagged sources still give one SPS/PPS: the pieces could be copied together
    const params = await Promise.all((await readdir(cacheDir)).filter((f) => f.endsWith('.mp4')).map((f) =>
      ffprobe(['-select_streams', 'v:0', '-show_entries', 'stream=extradata_hash', '-show_data_hash', 'sha256', '-of', 'csv=p=0', join(cacheDir, f)])));
    expect(new Set(params).size).toBe(1);
  });

  it('reuses normalized clips from the cache and gives byte-identical films, cached or not', async () => {
    const clips = [await clip('r1', 2, 'testsrc2'), await clip('r2', 2, 'mandelbrot', { audio: false })];
    const j = job(clips, [{ from: 'r1', to: 'r2', type: 'wipeup', duration: 0.5 }]);
    const cacheDir = join(dir, 'cache-reuse');
    const one = await stitchFilm(tools, j, clips, join(dir, 'r-one.mp4'), { cacheDir });
    const files = await readdir(cacheDir);
    const mtimes = await Promise.all(files.map(async (f) => (await stat(join(cacheDir, f))).mtimeMs));
    const two = await stitchFilm(tools, j, clips, join(dir, 'r-two.mp4'), { cacheDir });
    expect(one.normalized).toEqual({ reused: 0, encoded: 2 });
    expect(two.normalized).toEqual({ reused: 2, encoded: 0 });
    expect(await readdir(cacheDir)).toEqual(files);
    expect(await Promise.all(files.map(async (f) => (await stat(join(cacheDir, f))).mtimeMs))).toEqual(mtimes);
    const fresh = await stitchFilm(tools, j, clips, join(dir, 'r-three.mp4'), { cacheDir: join(dir, 'cache-fresh') });
    expect(two.sha256).toBe(one.sha256);
    expect(fresh.sha256).toBe(one.sha256);
    await expectSound(join(dir, 'r-one.mp4'), 105);
  });

  it('ducks looped music under the clips\u2019 own audio', async () => {
    const clips = [await clip('m1', 2, 'testsrc2'), await clip('m2', 2, 'smptebars', { audio: false })];
    const music = join(dir, 'music.wav');
    await runFfmpeg(tools, ['-f', 'lavfi', '-i', 'sine=f=2000:d=1.5:r=48000', '-ac', '2', music]);
    const film = async (duck: boolean): Promise<string> => {
      const out = join(dir, `music-${duck}.mp4`);
      const options: StitchFilmOptions = { music: { file: music, volume: 0.5, fadeIn: 0, fadeOut: 0, loop: true, duck } };
      expect((await stitchFilm(tools, job(clips, [cut('m1', 'm2')]), clips, out, options)).method).toBe('smart');
      await expectSound(out, 120);
      return out;
    };
    const [plain, ducked] = [await film(false), await film(true)];
    const musicOnly = 'highpass=f=1500,highpass=f=1500';
    // while the clip's 440 Hz tone plays the music is held down; over the silent clip it is back
    expect(await rms(ducked, 0.5, 1.9, musicOnly)).toBeLessThan((await rms(plain, 0.5, 1.9, musicOnly)) - 3);
    expect(Math.abs((await rms(ducked, 3.0, 3.9, musicOnly)) - (await rms(plain, 3.0, 3.9, musicOnly)))).toBeLessThan(1);
    // looped: the 1.5 s file still sounds at the end of the 4 s film
    expect(await rms(plain, 3.5, 3.95, musicOnly)).toBeGreaterThan(-40);
  });
});
