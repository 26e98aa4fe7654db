// Reference-to-video (r2v) preview clips show who is in the shot: each reference's thumbnail (an image, or a
// reference video's first frame) in the strip the layout promises, on every frame (after the fade-in over a
// first-frame image), with the frame codes still reading and the strip clear of the text, timecode and codes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderRequest, ResolvedInput } from '../src/backends/backend.js';
import { buildPreviewCommand } from '../src/backends/preview/preview-args.js';
import { createPreviewBackend } from '../src/backends/preview/preview-backend.js';
import { LINE_HEIGHT_EM, previewLayout } from '../src/backends/preview/preview-layout.js';
import { referenceCaption, referenceStripLayout } from '../src/backends/preview/preview-references.js';
import { textWidthEm } from '../src/backends/preview/preview-text.js';
import type { ClipInput, ClipJob, ClipReference } from '../src/compiler/plan/types.js';
import { CODE_COLUMNS, codePatches, codeTag, decodeContrasts, readContrasts } from '../src/media/frame-code.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { probeMedia, runFfmpeg } from '../src/media/ffmpeg.js';
import { ssim } from './helpers/media.js';
import { type Box, brightPixels, decodePictures, meanColor, middle, type RawPicture } from './helpers/rgb-frames.js';

let dir: string;
let tools: FfmpegTools;
const files: Record<string, string> = {};
const backend = createPreviewBackend();

const at = { line: 1, column: 1 };
const REFERENCES: readonly ClipReference[] = [
  { character: 'mara', label: 'Image 1', kind: 'image', input: 'ref1', voice: 'ref1_voice' },
  { character: 'tom', label: 'Image 2', kind: 'image', input: 'ref2' },
  { character: 'gull', label: 'Video 1', kind: 'video', input: 'ref3' },
];

function r2vJob(over: Partial<ClipJob> & { width?: number; height?: number } = {}): ClipJob {
  const { width = 1280, height = 720, ...rest } = over;
  const inputs: ClipInput[] = [
    { name: 'ref1', kind: 'image', from: { file: 'chars/mara.png' }, at },
    { name: 'ref1_voice', kind: 'audio', from: { file: 'voices/mara.wav' }, at },
    { name: 'ref2', kind: 'image', from: { file: 'chars/tom.jpg' }, at },
    { name: 'ref3', kind: 'video', from: { file: 'chars/gull.mp4' }, at },
  ];
  return {
    id: 'harbour.meet', scene: 'harbour', shots: ['meet'], at, model: 'wan2.7-r2v',
    request: { method: 'POST', path: '/api/v1/services/aigc/video-generation/video-synthesis', body: { model: 'wan2.7-r2v', input: {}, parameters: {} } },
    prompt: 'Image 1 steps off the boat and greets Image 2 while Video 1 circles overhead. '.repeat(6),
    seed: { value: 123, source: 'explicit' }, inputs, dependsOn: [],
    expected: { duration: 2, width, height, fps: 30, audio: false }, cost: { usd: 0, perSecond: 0, resolution: '720P' },
    references: REFERENCES,
    ...rest,
  };
}

function resolved(over: Record<string, ResolvedInput> = {}): Map<string, ResolvedInput> {
  return new Map(Object.entries({
    ref1: { file: files.red ?? '', sha256: 'a' }, ref1_voice: { file: files.voice ?? '', sha256: 'b' },
    ref2: { file: files.blue ?? '', sha256: 'c' }, ref3: { file: files.video ?? '', sha256: 'd' }, ...over,
  }));
}

async function render(name: string, job: ClipJob, inputs: Map<string, ResolvedInput>): Promise<{ file: string; key: string }> {
  const key = `r2v-${name}`;
  const file = join(dir, `${name}.mp4`);
  const request: RenderRequest = {
    job, key, inputs, outFile: file, ffmpeg: tools, signal: new AbortController().signal, journal: { submitted: () => undefined, record: async () => {} },
  };
  await backend.render(request);
  return { file, key };
}

/** The strip's thumbnails of a job as the layout places them. */
function thumbsOf(job: ClipJob): readonly Box[] {
  return referenceStripLayout(previewLayout(job.expected.width, job.expected.height), job.references?.length ?? 0).grid.thumbs;
}

function expectColor(picture: RawPicture, box: Box | undefined, rgb: readonly number[], what: string): void {
  // the middle third: a portrait image is letterboxed into its square thumbnail
  const mean = meanColor(picture, middle(box ?? expect.unreachable(`no thumbnail for ${what}`), 0.3));
  mean.forEach((v, c) => expect(Math.abs(v - (rgb[c] ?? 0)), `${what}: mean ${mean.map(Math.round).join(',')}`).toBeLessThan(30));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyboard-r2v-'));
  tools = await resolveFfmpeg();
  Object.assign(files, { red: join(dir, 'mara.png'), blue: join(dir, 'tom.jpg'), video: join(dir, 'gull.mp4'), voice: join(dir, 'mara.wav'), first: join(dir, 'first.png') });
  await Promise.all([
    runFfmpeg(tools, ['-f', 'lavfi', '-i', 'color=c=0xff0000:s=400x400', '-frames:v', '1', '-pix_fmt', 'rgb24', files.red ?? '']),
    // a portrait JPEG: letterboxed into its square thumbnail
    runFfmpeg(tools, ['-f', 'lavfi', '-i', 'color=c=0x0000ff:s=300x600', '-frames:v', '1', '-q:v', '2', files.blue ?? '']),
    // a reference video whose first frame is green and every later one magenta
    runFfmpeg(tools, ['-f', 'lavfi', '-i', 'color=c=0x00ff00:s=640x360:r=30:d=0.1', '-f', 'lavfi', '-i', 'color=c=0xff00ff:s=640x360:r=30:d=3',
      '-filter_complex', '[0:v]trim=end_frame=1[a];[a][1:v]concat=n=2:v=1:a=0[v]', '-map', '[v]', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', files.video ?? '']),
    runFfmpeg(tools, ['-f', 'lavfi', '-i', 'sine=duration=1', files.voice ?? '']),
    runFfmpeg(tools, ['-f', 'lavfi', '-i', 'testsrc2=size=1280x720', '-frames:v', '1', '-pix_fmt', 'rgb24', files.first ?? '']),
  ]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('r2v preview: the reference strip', () => {
  it.each([[1280, 720], [720, 1280], [1920, 1080]])('%i×%i: every frame shows each reference where the layout puts it, and its frame code', async (width, height) => {
    const job = r2vJob({ width, height });
    const { file, key } = await render(`strip-${width}x${height}`, job, resolved());
    const info = await probeMedia(tools, file);
    expect(info.streams.find((s) => s.codecType === 'video')).toMatchObject({ width, height, nbFrames: 60 });
    const pictures = await decodePictures(tools, file, { width, height });
    const [red, blue, video] = thumbsOf(job);
    for (const [n, picture] of pictures.entries()) {
      expectColor(picture, red, [255, 0, 0], `frame ${n}, Image 1`);
      expectColor(picture, blue, [0, 0, 255], `frame ${n}, Image 2`);
      // the video's first frame (green), not what it shows later (magenta)
      expectColor(picture, video, [0, 255, 0], `frame ${n}, Video 1`);
    }
    const lumas = await decodePictures(tools, file, { width, height }, 'gray');
    const patches = codePatches(width, height).map((p) => ({ x: p.x, y: p.y, cellX: p.cell, cellY: p.cell }));
    lumas.forEach((luma, n) => {
      for (const patch of patches) expect(decodeContrasts(readContrasts(luma.data, width, patch)), `frame ${n}`).toEqual({ tag: codeTag(key), frame: n });
    });
  });

  it('captions each thumbnail "label · character", and names the voice in the header instead of listing the references', () => {
    const command = buildPreviewCommand({
      job: r2vJob(), key: 'k', inputs: resolved({ ref2: { url: 'https://example.invalid/tom.png' } }),
      fonts: { sans: 'sans.ttf', mono: 'mono.ttf' }, textDir: '/t', outFile: '/o.mp4',
    });
    const text = new Map(command.files.map((f) => [f.path, f.content]));
    expect(text.get('/t/ref0-caption.txt')).toBe('Image 1 · mara');
    expect(text.get('/t/ref1-caption.txt')).toBe('Image 2 · tom\nURL, not fetched');
    expect(text.get('/t/ref2-caption.txt')).toBe('Video 1 · gull');
    const header = text.get('/t/card0-header.txt') ?? '';
    expect(header).toContain('voice of mara: voices/mara.wav');
    expect(header).not.toMatch(/ref\d/);
    // the remote reference is not fetched: only the three local files are inputs
    expect(command.args.join(' ')).not.toContain('example.invalid');
    expect(command.args.filter((a) => a === '-i')).toHaveLength(2);
  });

  it('draws the captions: white text under each thumbnail', async () => {
    const job = r2vJob();
    const { file } = await render('captions', job, resolved());
    const [picture] = await decodePictures(tools, file, job.expected);
    const grid = referenceStripLayout(previewLayout(1280, 720), 3).grid;
    grid.captions.forEach((caption, i) => {
      const box = { x: caption.x, y: caption.y, width: grid.columnWidth, height: Math.round(grid.caption.size * LINE_HEIGHT_EM) };
      expect(brightPixels(picture ?? expect.unreachable('no frame'), box), `caption ${i}`).toBeGreaterThan(40);
    });
  });

  it('over a first-frame image: frame 0 is the image alone, the strip fades in with the text', async () => {
    const job = r2vJob({ inputs: [...r2vJob().inputs, { name: 'first_frame', kind: 'image', from: { file: 'first.png' }, at }] });
    const { file, key } = await render('first-frame', job, resolved({ first_frame: { file: files.first ?? '', sha256: 'e' } }));
    expect(await ssim(tools, files.first ?? '', file)).toBeGreaterThanOrEqual(0.98);
    const pictures = await decodePictures(tools, file, job.expected);
    const [red, , video] = thumbsOf(job);
    // the overlays fade in over frames 15–30 (preview-args.ts FADE_FRAMES)
    for (const n of [32, 45, 59]) {
      const picture = pictures[n] ?? expect.unreachable(`no frame ${n}`);
      expectColor(picture, red, [255, 0, 0], `frame ${n}, Image 1`);
      expectColor(picture, video, [0, 255, 0], `frame ${n}, Video 1`);
    }
    const lumas = await decodePictures(tools, file, job.expected, 'gray');
    const [bottom] = codePatches(1280, 720).map((p) => ({ x: p.x, y: p.y, cellX: p.cell, cellY: p.cell }));
    lumas.forEach((luma, n) => expect(decodeContrasts(readContrasts(luma.data, 1280, bottom ?? expect.unreachable('no patch')))).toEqual({ tag: codeTag(key), frame: n }));
  });
});

describe('r2v preview: the strip keeps clear', () => {
  const SIZES = [[1280, 720], [720, 1280], [960, 960], [1088, 832], [832, 1088], [1920, 1080], [1080, 1920], [1440, 1440], [1632, 1248], [1248, 1632], [832, 480], [480, 832]] as const;

  it.each(SIZES.map(([w, h]) => [`${w}×${h}`, w, h] as const))('%s: of the header, prompt text, timecode and frame codes for 1 to 5 captioned references', (_, width, height) => {
    const frame = previewLayout(width, height);
    for (let count = 1; count <= 5; count++) {
      const { cards, band, grid } = referenceStripLayout(frame, count);
      const lineHeight = (size: number): number => size * LINE_HEIGHT_EM + cards.lineSpacing;
      const headerBottom = cards.headerTop + cards.headerMaxLines * lineHeight(cards.headerSize) + cards.boxPadding;
      const bodyTop = height - cards.margin - cards.boxPadding - cards.barHeight - cards.bodyMaxLines * lineHeight(cards.bodySize) - cards.boxPadding;
      const timecodeBottom = cards.margin + 2 * cards.boxPadding + cards.timecodeSize * LINE_HEIGHT_EM;
      const codes = codePatches(width, height).map((p) => ({ x: p.x, y: p.y, width: CODE_COLUMNS * p.cell, height: 2 * p.cell }));
      const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
      expect(band.y).toBeGreaterThan(Math.max(headerBottom, timecodeBottom));
      expect(band.y + band.height).toBeLessThan(bodyTop);
      for (const code of codes) expect(overlaps(band, code), `${count} references`).toBe(false);
      expect(band.x + band.width).toBeLessThanOrEqual(width - cards.margin);
      // thumbnails and their captions inside the band, big enough to see
      grid.thumbs.forEach((thumb, i) => {
        expect(thumb.x).toBeGreaterThanOrEqual(band.x);
        expect(thumb.x + thumb.width).toBeLessThanOrEqual(band.x + band.width);
        expect(thumb.y).toBeGreaterThanOrEqual(band.y);
        expect(thumb.width).toBeGreaterThanOrEqual(Math.min(width, height) / 12);
        const caption = grid.captions[i] ?? expect.unreachable('no caption');
        expect(caption.y + grid.caption.lines * (grid.caption.size * LINE_HEIGHT_EM + grid.caption.lineSpacing)).toBeLessThanOrEqual(band.y + band.height);
      });
      // every caption names its character and fits its column
      for (const reference of REFERENCES) {
        const caption = referenceCaption({ ...reference, label: 'Image 10' }, { file: 'x.png', sha256: 'x' }, grid);
        expect(caption.split('\n').at(-1)).toMatch(new RegExp(`${reference.character}$`));
        for (const line of caption.split('\n')) expect(textWidthEm(line) * grid.caption.size).toBeLessThanOrEqual(grid.columnWidth);
      }
      // the cards lose lines to the strip, never gain them
      expect(cards.headerMaxLines).toBeLessThanOrEqual(frame.headerMaxLines);
      expect(cards.bodyMaxLines).toBeLessThanOrEqual(frame.bodyMaxLines);
      expect(cards.bodyMaxLines).toBeGreaterThanOrEqual(3);
    }
  });
});
