// Frame codes (src/media/frame-code.ts) on real preview clips: rendered by the preview backend at every Wan size
// (reference §2.2), every frame decoded after H.264 reads (clip tag, frame number) at its two patches; scaled into
// films of other shapes (cover, contain, stretch, as normalization fits them) the codes still read wherever
// `mappedPatches` says a patch lands whole; the patches stay small. Plus a pure round trip of the code itself.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderRequest } from '../src/backends/backend.js';
import { createPreviewBackend } from '../src/backends/preview/preview-backend.js';
import type { ClipJob } from '../src/compiler/plan/types.js';
import {
  CODE_COLUMNS, codeBit, codePatches, codeTag, decodeContrasts, expectedContrasts, fitMapping, FRAME_BITS, FULL_CONTRAST, mappedPatches, readContrasts, TAG_BITS,
  type FrameCode, type MappedPatch,
} from '../src/media/frame-code.js';
import { VIDEO_ENCODE_ARGS } from '../src/assembly/encode-settings.js';
import { runFfmpeg } from '../src/media/ffmpeg.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { fitFilter, type Fit } from '../src/assembly/normalize-args.js';

type Size = { readonly width: number; readonly height: number };
const size = (s: string): Size => {
  const [width = 0, height = 0] = s.split('*').map(Number);
  return { width, height };
};
const label = (s: Size): string => `${s.width}×${s.height}`;

/** Every size of dashscope-wan.md §2.2: 480P, 720P, 1080P × 16:9, 9:16, 1:1, 4:3, 3:4 where they exist. */
const WAN_SIZES = ['832*480', '480*832', '624*624', '1280*720', '720*1280', '960*960', '1088*832', '832*1088', '1920*1080', '1080*1920', '1440*1440', '1632*1248', '1248*1632'].map(size);
/** Films to scale into: one of each shape at 720P, and a small 16:9 film. */
const FILMS = ['1280*720', '720*1280', '960*960', '1088*832', '640*360'].map(size);
const FITS: readonly Fit[] = ['cover', 'contain', 'stretch'];
/** Frames of each preview clip (1 s at 30 fps), and of it scaled into films (the first 10, to stay fast). */
const FRAMES = 30;
const SCALED_FRAMES = 10;

const sameShape = (a: Size, b: Size): boolean => Math.abs(a.width / a.height - b.width / b.height) < 0.02 * (a.width / a.height);
const identity = { scaleX: 1, scaleY: 1, offsetX: 0, offsetY: 0 };

let tools: FfmpegTools;
let dir: string;
const backend = createPreviewBackend();

function clipJob(s: Size): ClipJob {
  return {
    id: 'codes.clip', scene: 'codes', shots: [], at: { line: 1, column: 1 }, model: 'wan2.7-t2v',
    request: { method: 'POST', path: '/api/v1/services/aigc/video-generation/video-synthesis', body: { model: 'wan2.7-t2v', input: {}, parameters: {} } },
    prompt: 'A lighthouse on a rock at night, waves bursting against the cliffs.', seed: { value: 7, source: 'explicit' }, inputs: [], dependsOn: [],
    expected: { duration: FRAMES / 30, width: s.width, height: s.height, fps: 30, audio: false }, cost: { usd: 0, perSecond: 0, resolution: '720P' },
  };
}

/** Renders a 1 s preview clip of size `s`; its key (and so its tag) names the size. */
async function renderClip(s: Size): Promise<{ file: string; tag: number }> {
  const key = `frame-code-${s.width}x${s.height}`;
  const file = join(dir, `${key}.mp4`);
  const request: RenderRequest = {
    job: clipJob(s), key, outFile: file, ffmpeg: tools, signal: new AbortController().signal, inputs: new Map(),
    journal: { submitted: () => undefined, record: async () => {} },
  };
  await backend.render(request);
  return { file, tag: codeTag(key) };
}

/** Raw 8-bit luma planes of size `s`, one after another, split into frames. */
function splitFrames(all: Buffer, s: Size): Uint8Array[] {
  const bytes = s.width * s.height;
  expect(all.length % bytes).toBe(0);
  return Array.from({ length: all.length / bytes }, (_, i) => all.subarray(i * bytes, (i + 1) * bytes));
}

/** Every frame's luma plane. */
async function lumaFrames(file: string, s: Size): Promise<Uint8Array[]> {
  const chunks: Buffer[] = [];
  await runFfmpeg(tools, ['-v', 'error', '-i', file, '-map', '0:v:0', '-vf', 'extractplanes=y', '-f', 'rawvideo', '-'], { onStdoutData: (c) => void chunks.push(Buffer.from(c)) });
  return splitFrames(Buffer.concat(chunks), s);
}

/** The codes each patch reads on each frame (undefined where a patch does not read cleanly). */
function readCodes(frames: readonly Uint8Array[], width: number, patches: readonly MappedPatch[]): (FrameCode | undefined)[][] {
  return frames.map((luma) => patches.map((p) => decodeContrasts(readContrasts(luma, width, p))));
}

/** Frames (by index) where no patch reads (tag, index). */
function misreadFrames(codes: readonly (FrameCode | undefined)[][], tag: number): number[] {
  return codes.flatMap((patches, n) => (patches.some((c) => c?.tag === tag && c.frame === n) ? [] : [n]));
}

beforeAll(async () => {
  tools = await resolveFfmpeg();
  dir = await mkdtemp(join(tmpdir(), 'sb-frame-code-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('frame code: pure round trip', () => {
  const codes: FrameCode[] = [{ tag: 0, frame: 0 }, { tag: 0xffff, frame: 4095 }, { tag: 0xa5c3, frame: 1234 }, { tag: 1, frame: 2048 }];

  it('codeBit spells the tag (least significant bit first), then the frame number', () => {
    for (const code of codes) {
      const bits = Array.from({ length: CODE_COLUMNS }, (_, c) => codeBit(code, c));
      expect(bits.slice(0, TAG_BITS).reduce<number>((v, b, i) => v | (b << i), 0)).toBe(code.tag);
      expect(bits.slice(TAG_BITS).reduce<number>((v, b, i) => v | (b << i), 0)).toBe(code.frame);
    }
    // frame numbers wrap at 2^12
    expect(Array.from({ length: CODE_COLUMNS }, (_, c) => codeBit({ tag: 9, frame: 4096 + 17 }, c))).toEqual(Array.from({ length: CODE_COLUMNS }, (_, c) => codeBit({ tag: 9, frame: 17 }, c)));
    expect(1 << FRAME_BITS).toBe(4096);
  });

  it('decodeContrasts reads back what expectedContrasts draws, through noise and dimming, and refuses a blend', () => {
    for (const code of codes) {
      const clean = expectedContrasts(code);
      expect(decodeContrasts(clean)).toEqual(code);
      // codec noise and a picture dimmed to half still read
      expect(decodeContrasts(clean.map((d, c) => 0.5 * d + (c % 2 ? 15 : -15)))).toEqual(code);
      // a 50/50 blend with another code flattens the differing columns: not a clean code
      const other = expectedContrasts({ tag: code.tag ^ 0xff, frame: code.frame });
      expect(decodeContrasts(clean.map((d, c) => (d + (other[c] ?? 0)) / 2))).toBeUndefined();
    }
    expect(decodeContrasts(expectedContrasts({ tag: 5, frame: 6 }).map((d) => 0.39 * d))).toBeUndefined();
    expect(decodeContrasts([])).toBeUndefined();
    expect(Math.max(...expectedContrasts({ tag: 1, frame: 1 }))).toBe(FULL_CONTRAST);
  });

  it('codeTag is a stable 16-bit tag that tells similar keys apart', () => {
    expect(codeTag('abc')).toBe(codeTag('abc'));
    const tags = Array.from({ length: 500 }, (_, i) => codeTag(`clip-key-${i}`));
    expect(tags.every((t) => Number.isInteger(t) && t >= 0 && t < 1 << TAG_BITS)).toBe(true);
    // 500 keys in 65,536 tags: a handful of collisions at most (birthday bound ≈ 1.9)
    expect(500 - new Set(tags).size).toBeLessThanOrEqual(6);
  });
});

describe('frame code: unobtrusive', () => {
  it.each(WAN_SIZES.map((s) => [label(s), s] as const))('%s: both patches together cover under 2 % of the frame', (_, s) => {
    const area = codePatches(s.width, s.height).reduce((sum, p) => sum + CODE_COLUMNS * p.cell * 2 * p.cell, 0);
    expect(area / (s.width * s.height)).toBeLessThan(0.02);
  });
});

describe('frame code: which fits leave no readable patch', () => {
  it('only portrait clips squeezed more than 2-fold into a small landscape film lose both patches; a cover fit never does', () => {
    const lost = WAN_SIZES.flatMap((s) => FILMS.filter((f) => !sameShape(s, f)).flatMap((f) => FITS.filter((fit) => mappedPatches(s, f, fitMapping(s, f, fit)).length === 0).map((fit) => ({ s, f, fit }))));
    // a 9:16 clip into a 640×360 film: contain shrinks it 2.3-fold (3.6 at 720P, 5.3 at 1080P), and so does stretch vertically
    expect(lost.map(({ s, f, fit }) => `${label(s)} ${fit} ${label(f)}`)).toEqual([
      '480×832 contain 640×360', '480×832 stretch 640×360', '720×1280 contain 640×360', '720×1280 stretch 640×360', '1080×1920 contain 640×360', '1080×1920 stretch 640×360',
    ]);
    for (const { s, f, fit } of lost) {
      expect(fit).not.toBe('cover');
      const m = fitMapping(s, f, fit);
      expect(Math.min(m.scaleX, m.scaleY)).toBeLessThan(1 / 2);
      // the cells would be under 3 film pixels on that axis
      expect(Math.min(...codePatches(s.width, s.height).map((p) => p.cell * Math.min(m.scaleX, m.scaleY)))).toBeLessThan(3);
    }
  });
});

describe.each(WAN_SIZES.map((s) => [label(s), s] as const))('frame code on preview clips at %s', (_, s) => {
  let clip: { file: string; tag: number };

  beforeAll(async () => {
    clip = await renderClip(s);
  }, 60_000);

  it('every frame reads (clip tag, frame number) at both patches after H.264', async () => {
    const frames = await lumaFrames(clip.file, s);
    expect(frames).toHaveLength(FRAMES);
    const patches = mappedPatches(s, s, identity);
    expect(patches).toHaveLength(2);
    const codes = readCodes(frames, s.width, patches);
    codes.forEach((perPatch, n) => expect(perPatch, `frame ${n}`).toEqual([{ tag: clip.tag, frame: n }, { tag: clip.tag, frame: n }]));
  }, 60_000);

  it('every frame still reads after scaling into films of other shapes (cover, contain, stretch) and H.264 again', async () => {
    const cases = FILMS.filter((f) => !sameShape(s, f)).flatMap((film) => FITS.map((fit) => ({ film, fit, patches: mappedPatches(s, film, fitMapping(s, film, fit)) })))
      .filter((c) => c.patches.length > 0)
      .map((c, i) => ({ ...c, mp4: join(dir, `${label(s)}-${i}.mp4`), luma: join(dir, `${label(s)}-${i}.y`) }));
    expect(cases.length).toBeGreaterThanOrEqual(9);
    // two ffmpeg runs for all of them: scale and encode with the film's encoder settings, then decode to luma planes
    const graph = [`[0:v]trim=end_frame=${SCALED_FRAMES},split=${cases.length}${cases.map((_c, i) => `[s${i}]`).join('')}`, ...cases.map((c, i) => `[s${i}]${fitFilter(c.film.width, c.film.height, c.fit)},setsar=1[o${i}]`)].join(';');
    await runFfmpeg(tools, ['-v', 'error', '-y', '-i', clip.file, '-filter_complex', graph, ...cases.flatMap((c, i) => ['-map', `[o${i}]`, ...VIDEO_ENCODE_ARGS, c.mp4])]);
    await runFfmpeg(tools, ['-v', 'error', '-y', ...cases.flatMap((c) => ['-i', c.mp4]), ...cases.flatMap((c, i) => ['-map', `${i}:v:0`, '-vf', 'extractplanes=y', '-f', 'rawvideo', c.luma])]);
    for (const c of cases) {
      const frames = splitFrames(await readFile(c.luma), c.film);
      expect(frames, `${c.fit} into ${label(c.film)}`).toHaveLength(SCALED_FRAMES);
      expect(misreadFrames(readCodes(frames, c.film.width, c.patches), clip.tag), `${c.fit} into ${label(c.film)}`).toEqual([]);
    }
  }, 120_000);
});
