// The preview backend's stills: a PNG card of exactly the still's size, byte-identical for the same request,
// with its prompt visible and inside the picture at every size (a 2,000-character prompt too), and its input
// images shown as thumbnails (a URL as a placeholder).
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseImageHeader } from '../src/assets/image-header.js';
import type { ResolvedInput, StillRenderRequest } from '../src/backends/backend.js';
import { createPreviewBackend } from '../src/backends/preview/preview-backend.js';
import { stillLayout } from '../src/backends/preview/preview-still.js';
import { textWidthEm } from '../src/backends/preview/preview-text.js';
import { LINE_HEIGHT_EM } from '../src/backends/preview/preview-layout.js';
import type { ClipInput, StillJob } from '../src/compiler/plan/types.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { runFfmpeg } from '../src/media/ffmpeg.js';
import { brightPixels, decodePictures, meanColor, middle, type RawPicture } from './helpers/rgb-frames.js';

let dir: string;
let tools: FfmpegTools;
let redPng: string;
const backend = createPreviewBackend();

const SHORT_PROMPT = 'Portrait of Mara, a weathered fisherwoman with salt-grey braids and a yellow oilskin coat, on a wet pier at dawn.';
/** 2,000 characters: long words, a very long one, CJK and accents, as prompts may be. */
const LONG_PROMPT = [
  'Cinematic wide establishing shot of a storm-battered harbour at blue hour, fishing boats straining at their moorings,',
  'spray over the breakwater, a lighthouse beam sweeping through driving rain; ', 'supercalifragilistic'.repeat(4), ' ',
  '港口的灯塔在暴风雨中闪烁，渔船在浪中摇晃。 Élodie et Zoë regardent la mer déchaînée depuis le quai. ',
].join('').repeat(8).slice(0, 2000);

function stillJob(over: Partial<StillJob> & { width?: number; height?: number } = {}): StillJob {
  const { width = 1024, height = 1024, ...rest } = over;
  return {
    id: 'mara-portrait', at: { line: 3, column: 5 }, model: 'wan2.7-image',
    request: { method: 'POST', path: '/api/v1/services/aigc/image-generation/generation', mode: 'async', body: { model: 'wan2.7-image', input: {}, parameters: {} } },
    prompt: SHORT_PROMPT, seed: { value: 7, source: 'explicit' }, inputs: [], dependsOn: [],
    expected: { width, height }, cost: { usd: 0.03, perImage: 0.03 }, usedBy: ['harbour'],
    ...rest,
  };
}

function still(job: StillJob, name: string, inputs: Record<string, ResolvedInput> = {}, key = 'still-key'): StillRenderRequest {
  return {
    job, key, outFile: join(dir, `${name}.png`), ffmpeg: tools, signal: new AbortController().signal,
    inputs: new Map(Object.entries(inputs)), journal: { submitted: () => undefined, record: async () => {} },
  };
}

async function makeStill(job: StillJob, name: string, inputs: Record<string, ResolvedInput> = {}, key?: string): Promise<{ file: string; picture: RawPicture }> {
  const request = still(job, name, inputs, key);
  const make = backend.makeStill ?? expect.unreachable('the preview backend makes stills');
  await make(request);
  const bytes = await readFile(request.outFile);
  const header = parseImageHeader(bytes);
  expect(header).toMatchObject({ format: 'png', width: job.expected.width, height: job.expected.height });
  const [picture] = await decodePictures(tools, request.outFile, job.expected);
  return { file: request.outFile, picture: picture ?? expect.unreachable('no picture decoded') };
}

/** The bounding box of the white (text) pixels of a card without thumbnails. */
function brightBounds(picture: RawPicture): { left: number; top: number; right: number; bottom: number; count: number } {
  let left = picture.width, top = picture.height, right = -1, bottom = -1, count = 0;
  for (let y = 0; y < picture.height; y++) {
    for (let x = 0; x < picture.width; x++) {
      const i = (y * picture.width + x) * 3;
      if ((picture.data[i] ?? 0) >= 200 && (picture.data[i + 1] ?? 0) >= 200 && (picture.data[i + 2] ?? 0) >= 200) {
        count++;
        left = Math.min(left, x); right = Math.max(right, x); top = Math.min(top, y); bottom = Math.max(bottom, y);
      }
    }
  }
  return { left, top, right, bottom, count };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyboard-stills-'));
  tools = await resolveFfmpeg();
  redPng = join(dir, 'red.png');
  await runFfmpeg(tools, ['-f', 'lavfi', '-i', 'color=c=0xff0000:s=300x300', '-frames:v', '1', '-pix_fmt', 'rgb24', redPng]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Square sizes from 512 to 4096, and wan2.6's 16:9 and 9:16. */
const SIZES = [[512, 512], [1024, 1024], [1696, 960], [960, 1696], [2048, 2048], [4096, 4096]] as const;

describe('preview stills: the card', () => {
  it.each(SIZES.map(([w, h]) => [`${w}×${h}`, w, h] as const))('%s: exact size, a 2,000-character prompt drawn inside the margins', async (name, width, height) => {
    const job = stillJob({ width, height, prompt: LONG_PROMPT });
    const { picture } = await makeStill(job, `long-${name}`);
    const layout = stillLayout(job, 0);
    const bounds = brightBounds(picture);
    // Text is drawn (thousands of white glyph pixels) and none of it reaches the outer half of the margin.
    expect(bounds.count).toBeGreaterThan(width * height * 0.01);
    const edge = layout.margin / 2;
    expect(bounds.left).toBeGreaterThanOrEqual(edge);
    expect(bounds.top).toBeGreaterThanOrEqual(edge);
    expect(bounds.right).toBeLessThan(width - edge);
    expect(bounds.bottom).toBeLessThan(height - edge);
    // The prompt's own block is where the text is: its lower half holds white pixels too.
    const { prompt } = layout;
    const promptBox = { x: prompt.x, y: prompt.y, width: width - 2 * layout.margin, height: Math.round(prompt.lines.length * prompt.size * LINE_HEIGHT_EM) };
    expect(brightPixels(picture, { ...promptBox, y: promptBox.y + Math.round(promptBox.height / 2), height: Math.round(promptBox.height / 2) })).toBeGreaterThan(100);
  });

  it('fits every line inside the card at every size, for short, long and unbroken prompts (layout)', () => {
    const prompts = [SHORT_PROMPT, LONG_PROMPT, 'x'.repeat(2000), '中'.repeat(1500), ''];
    for (const [width, height] of [...SIZES, [512, 4096], [4096, 512]] as const) {
      for (const prompt of prompts) {
        for (const inputs of [0, 3, 9]) {
          const layout = stillLayout(stillJob({ width, height, prompt, id: `a-very-long-still-identifier-${'z'.repeat(80)}` }), inputs);
          for (const text of [layout.title, layout.meta, layout.prompt]) {
            const right = Math.max(...text.lines.map((line) => text.x + textWidthEm(line) * text.size));
            const bottom = text.y + text.lines.length * (text.size * LINE_HEIGHT_EM + text.lineSpacing);
            expect(right, `${width}×${height} ${text.lines[0]}`).toBeLessThanOrEqual(width - layout.margin);
            expect(bottom, `${width}×${height} ${text.lines[0]}`).toBeLessThanOrEqual(height - layout.margin + text.lineSpacing);
          }
          for (const thumb of layout.thumbs?.thumbs ?? []) {
            expect(thumb.x + thumb.width).toBeLessThanOrEqual(width - layout.margin);
            expect(thumb.y + thumb.height).toBeLessThanOrEqual(layout.prompt.y);
          }
        }
        // from 960 px up a 2,000-character prompt is drawn whole (no ellipsis), in smaller type when it must
        if (Math.min(width, height) >= 960) expect(stillLayout(stillJob({ width, height, prompt }), 0).prompt.lines.join(' ')).not.toContain('…');
      }
    }
  });

  it('is byte-identical for the same request, and differs with the prompt', async () => {
    const job = stillJob({ width: 1024, height: 1024 });
    const a = await makeStill(job, 'same-a');
    const b = await makeStill(job, 'same-b');
    expect((await readFile(b.file)).equals(await readFile(a.file))).toBe(true);
    const other = await makeStill({ ...job, prompt: `${SHORT_PROMPT} Gulls overhead.` }, 'other');
    expect((await readFile(other.file)).equals(await readFile(a.file))).toBe(false);
    expect(await readdir(dir)).not.toContainEqual(expect.stringMatching(/^\.preview-text-/));
  });

  it('shows its input images as thumbnails: a local image in its colours, a URL as a grey placeholder', async () => {
    const inputs: ClipInput[] = [
      { name: 'image1', kind: 'image', from: { file: 'refs/red.png' }, at: { line: 4, column: 7 } },
      { name: 'image2', kind: 'image', from: { url: 'https://example.invalid/b.png' }, at: { line: 5, column: 7 } },
    ];
    const job = stillJob({ width: 1696, height: 960, inputs });
    const { picture } = await makeStill(job, 'thumbs', { image1: { file: redPng, sha256: 'x' }, image2: { url: 'https://example.invalid/b.png' } });
    const [red, url] = stillLayout(job, 2).thumbs?.thumbs ?? [];
    const [r = 0, g = 0, b = 0] = meanColor(picture, middle(red ?? expect.unreachable('no thumb'), 0.6));
    expect(r).toBeGreaterThan(230);
    expect(Math.max(g, b)).toBeLessThan(25);
    const grey = meanColor(picture, middle(url ?? expect.unreachable('no thumb'), 0.6));
    expect(Math.max(...grey) - Math.min(...grey)).toBeLessThan(4);
    expect(grey[0]).toBeGreaterThan(45);
    expect(grey[0]).toBeLessThan(75);
  });

  it('leaves nothing behind when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const request = { ...still(stillJob(), 'aborted'), signal: controller.signal };
    await expect(backend.makeStill?.(request)).rejects.toThrow(/abort/i);
    expect(await readdir(dir)).not.toContain('aborted.png');
  });
});
