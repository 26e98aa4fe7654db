// The verifier must catch the defect class: a verified film is damaged with ffmpeg (frames dropped,
// doubled, swapped, taken from the wrong clip, a transition shifted, sound cut short) and `verifyFilm` must
// say what is wrong and at which film frames. Also rebuilds the defect that escaped: a 12 s clip before a
// continuity seam, split by the segment muxer's default time-based splitting, the film keeping only the
// clip's first piece.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Join, StitchJob } from '../src/compiler/plan/types.js';
import { runFfmpeg } from '../src/media/ffmpeg.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import type { FilmManifest } from '../src/assembly/film-manifest.js';
import { stitchFilm } from '../src/assembly/stitch-film.js';
import { verifyFilm, type FilmVerification } from '../src/assembly/verify-film.js';
import { chainSpecs, codedClip, type CodedClipSpec } from './helpers/coded-clip.js';

let tools: FfmpegTools;
let dir: string;

interface Built {
  readonly file: string;
  readonly manifest: FilmManifest;
}

function stitchJob(clips: readonly CodedClipSpec[], joins: readonly (readonly [Join['type'], number])[]): StitchJob {
  return {
    output: 'film.mp4', order: clips.map((c) => c.clip), starts: [], duration: 0, chapters: [], cues: [], fit: 'cover',
    joins: joins.map(([type, duration], i) => ({ from: clips[i]?.clip ?? '', to: clips[i + 1]?.clip ?? '', type, duration })),
    subtitles: { srt: false, vtt: false, burn: false }, chapterMarks: false,
  };
}

async function build(name: string, specs: readonly CodedClipSpec[], joins: readonly (readonly [Join['type'], number])[]): Promise<Built> {
  const clips = await Promise.all(specs.map((s) => codedClip(tools, s)));
  const file = join(dir, `${name}.mp4`);
  const { manifest } = await stitchFilm(tools, stitchJob(specs, joins), clips, file, { cacheDir: join(dir, 'normalized') });
  return { file, manifest };
}

const X264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '16', '-pix_fmt', 'yuv420p', '-threads', '2', '-video_track_timescale', '15360'];

/** Contiguous runs of an ordered frame list: [start, end) of the source film. */
function runsOf(order: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const n of order) {
    const last = runs[runs.length - 1];
    if (last && last[1] === n) last[1] = n + 1;
    else runs.push([n, n + 1]);
  }
  return runs;
}

/** A copy of `film` whose picture shows the source film's frames in `order` (re-encoded at 30 fps); its sound is copied. */
async function remix(film: Built, name: string, order: readonly number[]): Promise<string> {
  const runs = runsOf(order);
  const graph = [
    `[0:v]split=${runs.length}${runs.map((_, k) => `[i${k}]`).join('')}`,
    ...runs.map(([a, b], k) => `[i${k}]trim=start_frame=${a}:end_frame=${b},setpts=PTS-STARTPTS[r${k}]`),
    `${runs.map((_, k) => `[r${k}]`).join('')}concat=n=${runs.length}:v=1:a=0,setpts=N/30/TB[v]`,
  ].join(';');
  const out = join(dir, `${name}.mp4`);
  await runFfmpeg(tools, ['-i', film.file, '-filter_complex', graph, '-map', '[v]', '-map', '0:a', '-c:a', 'copy', ...X264, out]);
  return out;
}

/** Frame indices [0, n). */
const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);

/** The frame problems only (kind and film frames), in order. */
function frameProblems(v: FilmVerification): { kind: string; first?: number; last?: number }[] {
  return v.problems.filter((p) => p.first !== undefined).map((p) => ({ kind: p.kind, first: p.first, last: p.last }));
}

// base: d1 (150 frames) dissolves (15 frames) into d2 (12 s, 360 frames, two GOPs), cut to d3 (120 frames)
//   film 0–134 d1 · 135–149 d1→d2 blend · 150–494 d2 frames 15–359 · 495–614 d3
let base: Built;
// the escaped defect's setting: e1 (12 s) continues into e2 through a seam
//   film 0–359 e1 · 360–508 e2 frames 1–149
let chain: Built;
// sources at 24 and 25 fps, resampled to the film's 30 (every 5th / 6th film frame repeats a source frame)
//   film 0–149 p1 (25 fps, 125 frames) · 150–269 p2 (24 fps, 96 frames)
let paced: Built;

beforeAll(async () => {
  tools = await resolveFfmpeg();
  dir = await mkdtemp(join(tmpdir(), 'sb-film-damage-'));
  const wide = { width: 320, height: 180, fps: 30 } as const;
  [base, chain, paced] = await Promise.all([
    build('base', [
      { ...wide, clip: 'd1', frames: 150, picture: { source: 'testsrc2', hue: 150 }, tone: 440 },
      { ...wide, clip: 'd2', frames: 360, picture: { source: 'smptebars' }, tone: 550 },
      { ...wide, clip: 'd3', frames: 120, picture: { source: 'rgbtestsrc' }, tone: 660 },
    ], [['dissolve', 0.5], ['cut', 0]]),
    build('chain', chainSpecs('e', wide, [360, 150], [440, 550]), [['seam', 0]]),
    build('paced', [
      { ...wide, fps: 25, clip: 'p1', frames: 125, picture: { source: 'yuvtestsrc' }, tone: 330 },
      { ...wide, fps: 24, clip: 'p2', frames: 96, picture: { source: 'testsrc2', hue: 90 } },
    ], [['cut', 0]]),
  ]);
}, 300_000);

describe('verifyFilm catches damaged films', () => {
  it('the undamaged films verify, with the layout the assertions below assume', async () => {
    expect(base.manifest.clips.map((c) => [c.start, c.frames, c.head, c.tail])).toEqual([[0, 150, 0, 15], [135, 360, 15, 0], [495, 120, 0, 0]]);
    expect(chain.manifest.clips.map((c) => [c.start, c.frames, c.drop])).toEqual([[0, 360, 0], [360, 149, 1]]);
    expect(paced.manifest.clips.map((c) => [c.start, c.frames, c.fps])).toEqual([[0, 150, 25], [150, 120, 24]]);
    for (const film of [base, chain, paced]) {
      const v = await verifyFilm(tools, film.file, film.manifest);
      expect(v.problems).toEqual([]);
      expect(v.frames.verified).toBe(film.manifest.frames);
    }
  });

  it('a run of frames dropped from the middle of a clip: skipped from there on, then the next clip early, then missing', async () => {
    const film = await remix(base, 'dropped', [...range(0, 300), ...range(310, 615)]);
    const v = await verifyFilm(tools, film, base.manifest);
    expect(v.ok).toBe(false);
    expect(v.frames.decoded).toBe(605);
    expect(frameProblems(v)).toEqual([
      { kind: 'skipped', first: 300, last: 484 },
      { kind: 'wrong-clip', first: 485, last: 494 },
      { kind: 'skipped', first: 495, last: 604 },
      { kind: 'missing', first: 605, last: 605 },
    ]);
  });

  it('a frame shown twice in place of the next: frozen at that frame only', async () => {
    const film = await remix(base, 'doubled', [...range(0, 200), 199, ...range(201, 615)]);
    const v = await verifyFilm(tools, film, base.manifest);
    expect(v.ok).toBe(false);
    expect(v.problems.map((p) => ({ kind: p.kind, first: p.first, last: p.last }))).toEqual([{ kind: 'frozen', first: 200, last: 200 }]);
  });

  it('two frames swapped: one ahead, then one behind', async () => {
    const film = await remix(base, 'swapped', [...range(0, 250), 251, 250, ...range(252, 615)]);
    const v = await verifyFilm(tools, film, base.manifest);
    expect(v.problems.map((p) => ({ kind: p.kind, first: p.first, last: p.last }))).toEqual([
      { kind: 'skipped', first: 250, last: 250 },
      { kind: 'repeated', first: 251, last: 251 },
    ]);
  });

  it("a clip's frames replaced by another clip's: wrong clip exactly there", async () => {
    const film = await remix(base, 'replaced', [...range(0, 520), ...range(20, 50), ...range(550, 615)]);
    const v = await verifyFilm(tools, film, base.manifest);
    expect(v.problems.map((p) => ({ kind: p.kind, first: p.first, last: p.last }))).toEqual([{ kind: 'wrong-clip', first: 520, last: 549 }]);
  });

  it('a transition one frame late: the window does not match the model, and the first frame after it is behind', async () => {
    // the window (135–149) starts a frame late: d1's frame 134 again at 135, the window at 136–150
    const film = await remix(base, 'shifted', [...range(0, 135), 134, ...range(135, 150), ...range(151, 615)]);
    const v = await verifyFilm(tools, film, base.manifest);
    expect(v.ok).toBe(false);
    expect(frameProblems(v)).toEqual([
      { kind: 'blend', first: 135, last: 149 },
      { kind: 'repeated', first: 150, last: 150 },
    ]);
  });

  it('a frame doubled in a 25 fps clip (where the source frame changes): frozen there', async () => {
    // film frames 60 and 61 show p1's source frames 50 and 51; 61 now shows 50 again
    const film = await remix(paced, 'paced-doubled', [...range(0, 61), 60, ...range(62, 270)]);
    const v = await verifyFilm(tools, film, paced.manifest);
    expect(v.ok).toBe(false);
    expect(frameProblems(v)).toEqual([{ kind: 'frozen', first: 61, last: 61 }]);
  });

  it('one frame dropped from a 24 fps clip: skipped from there on, not only a short film', async () => {
    const film = await remix(paced, 'paced-dropped', [...range(0, 200), ...range(201, 270)]);
    const v = await verifyFilm(tools, film, paced.manifest);
    const problems = frameProblems(v);
    expect(problems[0]).toEqual({ kind: 'skipped', first: 200, last: 200 });
    expect(problems.at(-1)).toEqual({ kind: 'missing', first: 269, last: 269 });
  });

  it('half a second of sound cut from the middle: the sound track is short', async () => {
    const film = join(dir, 'audio-cut.mp4');
    await runFfmpeg(tools, ['-i', base.file, '-filter_complex', '[0:a]atrim=end=5,asetpts=PTS-STARTPTS[a0];[0:a]atrim=start=5.5,asetpts=PTS-STARTPTS[a1];[a0][a1]concat=n=2:v=0:a=1[a]',
      '-map', '0:v', '-map', '[a]', '-c:v', 'copy', '-c:a', 'aac', '-ar', '48000', '-ac', '2', film]);
    const v = await verifyFilm(tools, film, base.manifest);
    expect(v.ok).toBe(false);
    expect(v.problems.map((p) => p.kind)).toEqual(['audio']);
    expect(v.audio?.seconds).toBeLessThan((v.audio?.videoSeconds ?? 0) - 0.45);
    expect(v.frames.verified).toBe(base.manifest.frames);
  });

  it('the escaped defect: a 12 s clip split by the segment muxer at its second GOP, only the first piece kept before the seam', async () => {
    // e1's frames re-encoded the way a source arrives (x264 default GOP: an IDR at frame 250), split by the
    // segment muxer WITHOUT a frame list: its 2 s segment_time splits at that keyframe
    const e1 = join(dir, 'e1.mp4');
    await runFfmpeg(tools, ['-i', chain.file, '-vf', 'trim=end_frame=360,setpts=PTS-STARTPTS', '-an', ...X264, '-x264-params', 'scenecut=0', e1]);
    await runFfmpeg(tools, ['-i', e1, '-map', '0:v', '-c', 'copy', '-f', 'segment', '-reset_timestamps', '1', '-segment_format', 'mp4', join(dir, 'e1-%d.mp4')]);
    const rest = join(dir, 'e2-body.mp4');
    await runFfmpeg(tools, ['-i', chain.file, '-vf', 'trim=start_frame=360,setpts=PTS-STARTPTS', '-an', ...X264, rest]);
    // the list names the clip's first piece for the clip's whole length, as the buggy assembly did
    const list = join(dir, 'defect.ffconcat');
    await writeFile(list, `ffconcat version 1.0\nfile '${join(dir, 'e1-0.mp4')}'\nduration 12.000000\nfile '${rest}'\nduration ${(149 / 30).toFixed(6)}\n`);
    const film = join(dir, 'defect.mp4');
    await runFfmpeg(tools, ['-f', 'concat', '-safe', '0', '-i', list, '-i', chain.file, '-map', '0:v', '-map', '1:a', '-c', 'copy', film]);
    const v = await verifyFilm(tools, film, chain.manifest);
    expect(v.ok).toBe(false);
    expect(v.problems.filter((p) => p.kind === 'timestamps')).toHaveLength(1);
    // players (and the decoder, at a constant rate) hold e1's frame 249 over the gap: the picture freezes
    const [frozen] = frameProblems(v);
    expect(frozen).toMatchObject({ kind: 'frozen', first: 250 });
    expect(frozen?.last).toBeGreaterThanOrEqual(358);
  });
});
