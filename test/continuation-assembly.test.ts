// Clip continuation in the media layer and the assembly, on hand-made clips that carry frame codes: the tail cut
// sent as `first_clip` holds exactly the last N×30 frames (and their sound), and a film of continued clips drops
// each clip's carried frames, so every film frame is the right frame of the right clip, the footage never repeats
// at a seam, and the film is exactly as long as the new footage.
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Join, StitchJob } from '../src/compiler/plan/types.js';
import { planTimeline } from '../src/assembly/timeline.js';
import { stitchFilm, type FilmClip } from '../src/assembly/stitch-film.js';
import { verifyFilm } from '../src/assembly/verify-film.js';
import { cutTail } from '../src/media/cut-tail.js';
import { probeMedia, runFfmpeg, videoStreamDuration } from '../src/media/ffmpeg.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { clipTag, codedClip, type CodedClipSpec } from './helpers/coded-clip.js';
import { codeStrings, videoCodes } from './helpers/video-codes.js';

let tools: FfmpegTools;
let dir: string;

const SIZE = { width: 480, height: 272, fps: 30 } as const;

/** A coded clip of `frames` frames cut from one moving source starting at source frame `from` (a chain shares it). */
function spec(clip: string, frames: number, from: number, tone?: number): CodedClipSpec {
  return { clip, ...SIZE, frames, picture: { source: 'testsrc2', from }, ...(tone === undefined ? {} : { tone }) };
}

function stitchJob(clips: readonly FilmClip[], joins: readonly Join[]): StitchJob {
  return { output: 'film.mp4', order: clips.map((c) => c.clip), joins, starts: [], duration: 0, chapters: [], cues: [], fit: 'cover', subtitles: { srt: false, vtt: false, burn: false }, chapterMarks: false };
}

const seam = (from: string, to: string): Join => ({ from, to, type: 'seam', duration: 0 });

beforeAll(async () => {
  tools = await resolveFfmpeg();
  dir = await mkdtemp(join(tmpdir(), 'sb-continuation-'));
});

describe('the timeline of continued clips', () => {
  it('drops a clip\'s carried frames whatever the join before it, one frame after a frame seam, none after a cut', () => {
    const joins: Join[] = [seam('a', 'b'), { from: 'b', to: 'c', type: 'cut', duration: 0 }, seam('c', 'd'), { from: 'd', to: 'e', type: 'dissolve', duration: 0.5 }];
    const t = planTimeline([300, 450, 240, 300, 300], joins, [0, 90, 60, 0, 90]);
    expect(t.clips.map((c) => c.drop)).toEqual([0, 90, 60, 1, 90]);
    expect(t.clips.map((c) => c.frames)).toEqual([300, 360, 180, 299, 210]);
    // the dissolve overlaps d's last 15 frames with e's first 15 new ones
    expect(t.clips.map((c) => [c.head, c.tail])).toEqual([[0, 0], [0, 0], [0, 0], [0, 15], [15, 0]]);
    expect(t.frames).toBe(300 + 360 + 180 + 299 + 210 - 15);
    // without carried frames, as before: only the frame seam drops
    expect(planTimeline([300, 450], [seam('a', 'b')]).clips.map((c) => c.drop)).toEqual([0, 1]);
  });

  it('refuses a clip that carries all its frames, or a negative count', () => {
    expect(() => planTimeline([300, 90], [seam('a', 'b')], [0, 90])).toThrow(/clip 2 has 0 frames/);
    expect(() => planTimeline([300, 90], [seam('a', 'b')], [0, -3])).toThrow(/carries -3 frames/);
  });
});

describe('cutting the carried seconds (first_clip)', () => {
  it('keeps exactly the last N×30 frames of a 15 s clip, at its size and 30 fps, with the same span of its sound', async () => {
    const clip = await codedClip(tools, spec('long', 450, 0, 440));
    const tag = clipTag('long');
    for (const seconds of [3, 10]) {
      const out = join(dir, `tail${seconds}.mp4`);
      const cut = await cutTail(tools, clip.file, out, seconds);
      expect(cut).toEqual({ frames: seconds * 30, startFrame: 450 - seconds * 30, audio: true });
      const info = await probeMedia(tools, out);
      const v = info.streams.find((s) => s.codecType === 'video');
      const a = info.streams.find((s) => s.codecType === 'audio');
      expect([v?.width, v?.height, v?.frameRate, v?.nbFrames, v?.pixFmt]).toEqual([480, 272, 30, seconds * 30, 'yuv420p']);
      expect(Math.abs((a?.duration ?? 0) - seconds)).toBeLessThanOrEqual(1 / 30);
      // every frame is the source's own, in order: the last frames of the clip and nothing else
      const codes = await videoCodes(tools, out);
      expect(codeStrings(codes)).toEqual(Array.from({ length: seconds * 30 }, (_, k) => `${tag}:${450 - seconds * 30 + k}`));
    }
  });

  it('cuts a silent clip without sound, and refuses more seconds than the clip has', async () => {
    const clip = await codedClip(tools, spec('short', 150, 0));
    const out = join(dir, 'silent-tail.mp4');
    expect(await cutTail(tools, clip.file, out, 2)).toEqual({ frames: 60, startFrame: 90, audio: false });
    const info = await probeMedia(tools, out);
    expect(info.streams.map((s) => s.codecType)).toEqual(['video']);
    expect(codeStrings(await videoCodes(tools, out)).at(0)).toBe(`${clipTag('short')}:90`);
    await expect(cutTail(tools, clip.file, join(dir, 'too-long.mp4'), 6)).rejects.toThrow(/180 frames\) of .* it has 150 frames/);
  });
  it('stays under the receiver\'s size limit on grainy footage (the bitrate capped), still frame-exact', async () => {
    const grainy = join(dir, 'grainy.mp4');
    await runFfmpeg(tools, ['-f', 'lavfi', '-i', 'testsrc2=s=480x272:r=30,noise=alls=40:allf=t', '-t', '5', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '10', '-pix_fmt', 'yuv420p', grainy]);
    const free = join(dir, 'grainy-free.mp4');
    const capped = join(dir, 'grainy-capped.mp4');
    await cutTail(tools, grainy, free, 3);
    const limit = 600_000;
    expect((await stat(free)).size).toBeGreaterThan(limit);
    await cutTail(tools, grainy, capped, 3, { maxBytes: limit });
    expect((await stat(capped)).size).toBeLessThanOrEqual(limit);
    expect((await probeMedia(tools, capped)).streams.find((s) => s.codecType === 'video')?.nbFrames).toBe(90);
  });
});

describe('a film of clips continued by clip', () => {
  /**
   * a (10 s) → b (3 s carried + 12 s new = the 15 s clip) → c (2 s carried + 6 s new), all cut from one moving source
   * as a model continuing a clip would make them: b's first 90 frames are a's last 90, c's first 60 are b's last 60.
   */
  async function chain(): Promise<FilmClip[]> {
    const a = await codedClip(tools, spec('ca', 300, 0, 330));
    const b = await codedClip(tools, spec('cb', 450, 300 - 90, 440));
    const c = await codedClip(tools, spec('cc', 240, 300 - 90 + 450 - 60, 550));
    return [a, { ...b, carried: 90 }, { ...c, carried: 60 }];
  }

  it('shows only the new footage of each clip: every frame right, no repeat at a seam, exactly the planned length, sound as long', async () => {
    const clips = await chain();
    const out = join(dir, 'continued.mp4');
    const joins = [seam('ca', 'cb'), seam('cb', 'cc')];
    const r = await stitchFilm(tools, stitchJob(clips, joins), clips, out);
    // 10 s + 12 s + 6 s of new footage
    expect(r.manifest.frames).toBe(300 + 360 + 180);
    expect(r.duration).toBe(28);
    expect(r.manifest.clips.map((c) => [c.clip, c.drop, c.frames, c.start])).toEqual([['ca', 0, 300, 0], ['cb', 90, 360, 300], ['cc', 60, 180, 660]]);
    const v = await verifyFilm(tools, out, r.manifest);
    expect(v.problems).toEqual([]);
    expect(v.frames).toEqual({ expected: 840, decoded: 840, verified: 840, unchecked: 0 });
    expect(Math.abs((v.audio?.seconds ?? 0) - 28)).toBeLessThanOrEqual(1 / 30);
    // across each seam the film goes on with the next frame of the shared source: a's last, then b's first new frame
    const codes = codeStrings(await videoCodes(tools, out));
    const [ta, tb, tc] = ['ca', 'cb', 'cc'].map(clipTag);
    expect(codes.slice(298, 302)).toEqual([`${ta}:298`, `${ta}:299`, `${tb}:90`, `${tb}:91`]);
    expect(codes.slice(658, 662)).toEqual([`${tb}:448`, `${tb}:449`, `${tc}:60`, `${tc}:61`]);
    // no carried frame anywhere in the film
    expect(codes.filter((c) => c.startsWith(`${tb}:`) && Number(c.split(':')[1]) < 90)).toEqual([]);
    expect(codes.filter((c) => c.startsWith(`${tc}:`) && Number(c.split(':')[1]) < 60)).toEqual([]);
    // the picture is continuous across the seams (the same moving source), far above a cut's similarity
    expect(v.seams.map((s) => s.ssim).every((x) => x > 0.8)).toBe(true);
    const info = await probeMedia(tools, out);
    expect(videoStreamDuration(info)).toBeCloseTo(28, 3);
  });

  it('drops the carried frames after a cut too (continuing a clip that is not the previous one), and never by stream copy', async () => {
    const [a, b] = await chain();
    if (!a || !b) throw new Error('chain');
    // b continues a but follows a different clip in the film: the join is a cut, b's carried frames still go
    const other = await codedClip(tools, { clip: 'co', ...SIZE, frames: 60, picture: { source: 'smptebars' } });
    const clips = [a, other, b];
    const joins: Join[] = [{ from: 'ca', to: 'co', type: 'cut', duration: 0 }, { from: 'co', to: 'cb', type: 'cut', duration: 0 }];
    const out = join(dir, 'continued-cut.mp4');
    const r = await stitchFilm(tools, stitchJob(clips, joins), clips, out);
    expect(r.method).toBe('smart');
    expect(r.reason).toMatch(/cb continues another/);
    expect(r.manifest.frames).toBe(300 + 60 + 360);
    const v = await verifyFilm(tools, out, r.manifest);
    expect(v.problems).toEqual([]);
    expect(v.frames.verified).toBe(720);
  });

  it('a film that keeps the carried frames fails the check, naming them as repeated footage', async () => {
    const clips = await chain();
    const joins = [seam('ca', 'cb'), seam('cb', 'cc')];
    // an assembler that forgot the carry (a frame seam's single dropped frame instead)
    const wrong = clips.map(({ carried: _carried, ...c }) => c);
    const out = join(dir, 'repeated.mp4');
    await stitchFilm(tools, stitchJob(wrong, joins), wrong, out);
    const right = planTimeline([300, 450, 240], joins, [0, 90, 60]);
    const manifest = (await stitchFilm(tools, stitchJob(clips, joins), clips, join(dir, 'right.mp4'))).manifest;
    expect(manifest.frames).toBe(right.frames);
    const v = await verifyFilm(tools, out, manifest);
    expect(v.ok).toBe(false);
    const first = v.problems.find((p) => p.first === 300);
    expect(first?.kind).toBe('repeated');
    expect(first?.message).toMatch(/cb frame 1, one of the 90 frames it carries from the clip it continues, where cb frame 90 belongs/);
    expect(v.problems.some((p) => p.kind === 'extra')).toBe(true);
  });
});
