// A matrix of films assembled from frame-coded clips and verified frame by frame: cuts (copy path), seam
// chains of 3 and 5 clips, every transition, clips from 2 to 15 s (several longer than one 250-frame GOP, odd
// frame counts), mixed sizes with cover and contain, 24/25/30 fps sources, silent and sounded clips mixed,
// music, burned subtitles. The defect that escaped (a clip's frames past its first GOP lost before a seam)
// only shows on long clips, so long clips are the point of this file (STYLE.md "Proving media").
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Join, StitchJob } from '../src/compiler/plan/types.js';
import { bundledFontsDir } from '../src/backends/preview/preview-backend.js';
import { fitMapping, mappedPatches } from '../src/media/frame-code.js';
import { mapLimited } from '../src/assembly/batching.js';
import { burnSubtitles } from '../src/assembly/burn-subtitles.js';
import { runFfmpeg } from '../src/media/ffmpeg.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { sha256File } from '../src/io/hash.js';
import type { FilmManifest } from '../src/assembly/film-manifest.js';
import { stitchFilm, type StitchResult } from '../src/assembly/stitch-film.js';
import { toSrt } from '../src/assembly/subtitles.js';
import { verifyFilm, type FilmVerification } from '../src/assembly/verify-film.js';
import { chainSpecs, codedClip, type CodedClipSpec, type CodedPicture } from './helpers/coded-clip.js';

type JoinType = Join['type'];

/** One film of the matrix. */
interface FilmCase {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly fit: 'cover' | 'contain';
  readonly clips: readonly CodedClipSpec[];
  /** Between consecutive clips: type and overlap in seconds. */
  readonly joins: readonly (readonly [JoinType, number])[];
  readonly music?: boolean;
  readonly subtitles?: boolean;
  /** The assembly path the film must take. */
  readonly method?: 'copy' | 'smart';
}

const W = 320;
const H = 180;

function one(clip: string, size: readonly [number, number], fps: 24 | 25 | 30, frames: number, picture: CodedPicture, tone?: number): CodedClipSpec {
  return { clip, width: size[0], height: size[1], fps, frames, picture, ...(tone === undefined ? {} : { tone }) };
}

const wide = [W, H] as const;
const small = [256, 144] as const;
const portrait = [180, 320] as const;
const square = [240, 240] as const;

const FILMS: readonly FilmCase[] = [
  {
    // same-format clips joined by cuts: stream copy, a 9 s clip spans two GOPs
    name: 'cuts-copy-30fps', width: W, height: H, fit: 'cover', method: 'copy',
    clips: [one('cc1', wide, 30, 60, { source: 'testsrc2' }, 440), one('cc2', wide, 30, 270, { source: 'smptebars' }, 550), one('cc3', wide, 30, 151, { source: 'rgbtestsrc' }, 660)],
    joins: [['cut', 0], ['cut', 0]],
  },
  {
    // the escaped defect: a 12 s clip (360 frames, two GOPs) before a continuity seam
    name: 'seam-chain-3', width: W, height: H, fit: 'cover',
    clips: chainSpecs('sa', { width: W, height: H, fps: 30 }, [360, 377, 151], [440, 495, 550]),
    joins: [['seam', 0], ['seam', 0]],
  },
  {
    name: 'seam-chain-5-music', width: 256, height: 144, fit: 'cover', music: true,
    clips: chainSpecs('sb', { width: 256, height: 144, fps: 30 }, [60, 450, 449, 90, 151], [330, undefined, 392, undefined, 587], 90),
    joins: [['seam', 0], ['seam', 0], ['seam', 0], ['seam', 0]],
  },
  {
    name: 'every-transition-30fps', width: W, height: H, fit: 'cover',
    clips: [
      one('t1', wide, 30, 90, { source: 'testsrc2' }, 300), one('t2', wide, 30, 300, { source: 'smptebars' }), one('t3', wide, 30, 75, { source: 'rgbtestsrc' }, 350),
      one('t4', wide, 30, 121, { source: 'testsrc2', hue: 120 }, 400), one('t5', wide, 30, 61, { source: 'yuvtestsrc' }), one('t6', wide, 30, 95, { source: 'pal100bars' }, 450),
      one('t7', wide, 30, 150, { source: 'testsrc2', hue: 240 }, 500),
    ],
    joins: [['dissolve', 0.5], ['fade', 1], ['wipeleft', 0.5], ['wiperight', 0.4], ['wipeup', 0.5], ['wipedown', 0.6]],
  },
  {
    name: 'transitions-24fps-music', width: W, height: H, fit: 'cover', music: true,
    clips: [one('u1', wide, 24, 48, { source: 'testsrc2', hue: 60 }), one('u2', wide, 24, 301, { source: 'smptebars' }, 523), one('u3', wide, 24, 149, { source: 'rgbtestsrc' }), one('u4', wide, 24, 73, { source: 'yuvtestsrc' }, 698)],
    joins: [['dissolve', 0.5], ['fade', 0.5], ['wipeleft', 0.5]],
  },
  {
    name: 'transitions-25fps', width: W, height: H, fit: 'cover',
    clips: [
      one('v1', wide, 25, 50, { source: 'pal100bars' }, 311), one('v2', wide, 25, 377, { source: 'testsrc2', hue: 200 }), one('v3', wide, 25, 125, { source: 'smptebars' }, 415),
      one('v4', wide, 25, 101, { source: 'rgbtestsrc' }, 622), one('v5', wide, 25, 63, { source: 'yuvtestsrc' }),
    ],
    joins: [['wiperight', 0.5], ['wipeup', 0.5], ['wipedown', 0.5], ['dissolve', 1]],
  },
  {
    name: 'cuts-25fps-silent-and-sounded', width: W, height: H, fit: 'cover',
    clips: [one('w1', wide, 25, 375, { source: 'testsrc2', hue: 30 }), one('w2', wide, 25, 50, { source: 'smptebars' }, 480), one('w3', wide, 25, 125, { source: 'yuvtestsrc' }), one('w4', wide, 25, 99, { source: 'rgbtestsrc' }, 720)],
    joins: [['cut', 0], ['cut', 0], ['cut', 0]],
  },
  {
    // mixed sizes and aspect ratios into a 16:9 film, cropped (cover): one of each clip's two patches survives
    name: 'mixed-sizes-cover', width: W, height: H, fit: 'cover',
    clips: [one('m1', small, 30, 90, { source: 'testsrc2', hue: 300 }, 370), one('m2', portrait, 30, 151, { source: 'smptebars' }), one('m3', square, 25, 100, { source: 'rgbtestsrc' }, 610), one('m4', wide, 24, 72, { source: 'yuvtestsrc' }, 505)],
    joins: [['cut', 0], ['dissolve', 0.5], ['wipeleft', 0.5]],
  },
  {
    // letterboxed and pillarboxed into a square film (contain)
    name: 'mixed-sizes-contain', width: 240, height: 240, fit: 'contain',
    clips: [one('n1', wide, 30, 90, { source: 'testsrc2', hue: 45 }, 390), one('n2', portrait, 30, 120, { source: 'pal100bars' }, 460), one('n3', square, 30, 61, { source: 'smptebars' }), one('n4', small, 30, 75, { source: 'rgbtestsrc' }, 530)],
    joins: [['dissolve', 0.5], ['cut', 0], ['fade', 0.5]],
  },
  {
    // seams, a dissolve and a cut, music and burned subtitles
    name: 'chain-dissolve-subtitles-music', width: W, height: H, fit: 'cover', music: true, subtitles: true,
    clips: [
      ...chainSpecs('x', { width: W, height: H, fps: 30 }, [300, 91, 121], [262, 294, undefined], 180),
      one('xb', wide, 30, 150, { source: 'smptebars' }, 349),
      ...chainSpecs('y', { width: W, height: H, fps: 30 }, [131, 270], [undefined, 392], 270),
    ],
    joins: [['seam', 0], ['seam', 0], ['dissolve', 0.5], ['cut', 0], ['seam', 0]],
  },
  {
    name: 'seam-chain-24fps-subtitles', width: W, height: H, fit: 'cover', subtitles: true,
    clips: chainSpecs('z', { width: W, height: H, fps: 24 }, [48, 301, 73], [undefined, 440, 660], 330),
    joins: [['seam', 0], ['seam', 0]],
  },
];

let tools: FfmpegTools;
let dir: string;
let musicFile: string;
const outcomes = new Map<string, Promise<{ stitched: StitchResult; verification: FilmVerification; output: string; burned?: { before: string; after: string } }>>();
const totals = { films: 0, frames: 0, verified: 0, unchecked: 0 };
const started = Date.now();

function stitchJob(film: FilmCase): StitchJob {
  const joins: Join[] = film.joins.map(([type, duration], i) => ({ from: film.clips[i]?.clip ?? '', to: film.clips[i + 1]?.clip ?? '', type, duration }));
  return {
    output: `${film.name}.mp4`, order: film.clips.map((c) => c.clip), joins, starts: [], duration: 0, chapters: [], cues: [], fit: film.fit,
    size: { width: film.width, height: film.height }, subtitles: { srt: false, vtt: false, burn: film.subtitles === true }, chapterMarks: false,
  };
}

/** Film frames computed here, independently of the timeline code: 30 fps frames per clip, minus seam drops and overlaps. */
function plannedFrames(film: FilmCase): number {
  const frames = film.clips.map((c) => Math.round((c.frames / c.fps) * 30));
  const drops = film.joins.filter(([type]) => type === 'seam').length;
  const overlaps = film.joins.reduce((sum, [type, seconds]) => sum + (type === 'cut' || type === 'seam' ? 0 : Math.round(seconds * 30)), 0);
  return frames.reduce((a, b) => a + b, 0) - drops - overlaps;
}

/** Frames the frame codes cannot check by design: clips whose code lands too small, and transitions between clips of different sizes. */
function uncheckable(manifest: FilmManifest): number {
  const unreadable = manifest.clips.map((c) => mappedPatches(c, manifest, fitMapping(c, manifest, manifest.fit)).length === 0);
  let n = 0;
  manifest.clips.forEach((c, i) => {
    if (unreadable[i]) n += c.frames - c.head - c.tail;
    const next = manifest.clips[i + 1];
    if (next && c.tail > 0 && (unreadable[i] || unreadable[i + 1] || c.width !== next.width || c.height !== next.height)) n += c.tail;
  });
  return n;
}

async function makeFilm(film: FilmCase) {
  const clips = await Promise.all(film.clips.map((c) => codedClip(tools, c)));
  const output = join(dir, `${film.name}.mp4`);
  const music = film.music ? { file: musicFile, volume: 0.4, fadeIn: 1, fadeOut: 1, loop: true, duck: true } : undefined;
  const stitched = await stitchFilm(tools, stitchJob(film), clips, output, { cacheDir: join(dir, 'normalized'), ...(music ? { music } : {}) });
  let burned: { before: string; after: string } | undefined;
  if (film.subtitles) {
    const srt = join(dir, `${film.name}.srt`);
    const seconds = stitched.manifest.frames / 30;
    await writeFile(srt, toSrt([
      { start: 0.5, end: seconds / 2, text: 'Frame codes stay readable under subtitles', kind: 'dialogue', clip: film.clips[0]?.clip ?? '', shot: 's1' },
      { start: seconds / 2 + 0.2, end: seconds - 0.3, text: 'Second line of dialogue,\nover two lines', kind: 'caption', clip: film.clips[1]?.clip ?? '', shot: 's2' },
    ]));
    await burnSubtitles(tools, output, srt, bundledFontsDir());
    burned = { before: stitched.sha256, after: await sha256File(output) };
  }
  const verification = await verifyFilm(tools, output, stitched.manifest);
  return { stitched, verification, output, ...(burned ? { burned } : {}) };
}

/** RMS (dBFS) of the film's sound in each film frame's 1/30 s (mono, 48 kHz). */
async function frameLoudness(file: string): Promise<number[]> {
  const chunks: Buffer[] = [];
  await runFfmpeg(tools, ['-v', 'error', '-i', file, '-map', '0:a:0', '-ac', '1', '-ar', '48000', '-f', 's16le', '-'], { onStdoutData: (c) => void chunks.push(Buffer.from(c)) });
  const pcm = Buffer.concat(chunks);
  const samples = Math.floor(pcm.length / 2);
  const out: number[] = [];
  for (let f = 0; (f + 1) * 1600 <= samples; f++) {
    let sum = 0;
    for (let i = f * 1600; i < (f + 1) * 1600; i++) sum += (pcm.readInt16LE(2 * i) / 32768) ** 2;
    out.push(10 * Math.log10(sum / 1600 + 1e-12));
  }
  return out;
}

beforeAll(async () => {
  tools = await resolveFfmpeg();
  dir = await mkdtemp(join(tmpdir(), 'sb-film-matrix-'));
  musicFile = join(dir, 'music.m4a');
  // 7 s of two detuned tones: shorter than most films, so it loops
  await runFfmpeg(tools, ['-f', 'lavfi', '-i', 'sine=f=220:r=48000:d=7', '-f', 'lavfi', '-i', 'sine=f=331:r=48000:d=7', '-filter_complex', '[0:a][1:a]amix=inputs=2[a]', '-map', '[a]', '-c:a', 'aac', '-ac', '2', musicFile]);
  // two films at a time (each assembly runs up to two encodes side by side); a failed film fails only its own test
  const settled = new Map<string, ReturnType<typeof makeFilm>>();
  await mapLimited(FILMS, 2, async (film) => {
    const outcome = makeFilm(film);
    settled.set(film.name, outcome);
    await outcome.catch(() => undefined);
  });
  for (const [name, outcome] of settled) outcomes.set(name, outcome);
}, 600_000);

afterAll(() => {
  console.log(`film matrix: ${totals.films} films, ${totals.frames} film frames decoded, ${totals.verified} verified by frame code, ${totals.unchecked} unchecked by design, ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

describe('film matrix: every film verified frame by frame', () => {
  it.each(FILMS.map((f) => [f.name, f] as const))('%s', async (_name, film) => {
    const outcome = outcomes.get(film.name);
    if (!outcome) throw new Error(`${film.name} was not built`);
    const { stitched, verification: v, burned, output } = await outcome;
    const { manifest } = stitched;
    const tags = film.clips.map((c) => manifest.clips.find((m) => m.clip === c.clip)?.tag);
    expect(new Set(tags).size, 'every clip of a film has its own frame-code tag').toBe(film.clips.length);
    if (film.method) expect(stitched.method).toBe(film.method);
    expect(manifest.frames).toBe(plannedFrames(film));
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.frames.expected).toBe(manifest.frames);
    expect(v.frames.decoded).toBe(manifest.frames);
    expect(v.frames.verified + v.frames.unchecked).toBe(v.frames.expected);
    expect(v.frames.unchecked).toBe(uncheckable(manifest));
    expect(v.clips.every((c) => c.coded)).toBe(true);
    if (film.clips.every((c) => c.width === film.clips[0]?.width && c.height === film.clips[0]?.height)) expect(v.frames.verified).toBe(v.frames.expected);
    const seams = film.joins.filter(([type]) => type === 'seam').length;
    expect(v.seams.filter((s) => s.type === 'seam')).toHaveLength(seams);
    const sounded = film.music === true || film.clips.some((c) => c.tone !== undefined);
    expect(v.audio !== undefined).toBe(sounded);
    if (v.audio) expect(Math.abs(v.audio.seconds - v.audio.videoSeconds)).toBeLessThanOrEqual(1 / 30 + 0.002);
    if (sounded) {
      // the sound is continuous and lies under its picture: every frame inside a sounded clip (3 frames clear of
      // its edges and transitions) carries its tone; without music, a silent clip stays silent
      const loud = await frameLoudness(output);
      const wrong = manifest.clips.flatMap((c) => {
        const toned = film.clips.find((f) => f.clip === c.clip)?.tone !== undefined;
        if (!toned && film.music) return [];
        const frames: number[] = [];
        for (let t = c.start + c.head + 3; t < c.start + c.frames - c.tail - 3; t++) {
          const db = loud[t] ?? -120;
          if (toned ? db < -40 : db > -60) frames.push(t);
        }
        return frames.length ? [`${c.clip}: ${frames.length} frames from ${frames[0]} (${toned ? 'silent under a sounded clip' : 'sound under a silent clip'})`] : [];
      });
      expect(wrong).toEqual([]);
    }
    if (burned) expect(burned.after, 'the subtitles were burned into the picture').not.toBe(burned.before);
    totals.films++;
    totals.frames += v.frames.decoded;
    totals.verified += v.frames.verified;
    totals.unchecked += v.frames.unchecked;
  });
});
