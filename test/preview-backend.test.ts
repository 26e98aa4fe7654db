// The preview backend against real ffmpeg: exact structure of every clip, byte-identical re-renders,
// frame-exact first/last images (SSIM), audio presence and length, aborts, and hostile text.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderRequest, ResolvedInput } from '../src/backends/backend.js';
import { buildPreviewCommand } from '../src/backends/preview/preview-args.js';
import { createPreviewBackend, PREVIEW_BACKEND_VERSION } from '../src/backends/preview/preview-backend.js';
import { previewPalette } from '../src/backends/preview/preview-colors.js';
import { CODE_COLUMNS, codePatches } from '../src/media/frame-code.js';
import { escapeFilterValue } from '../src/backends/preview/preview-filters.js';
import { clampLines, splitPromptShots, textWidthEm, wrapText } from '../src/backends/preview/preview-text.js';
import { planStoryboard } from '../src/compiler/plan-storyboard.js';
import type { ClipInput, ClipJob } from '../src/compiler/plan/types.js';
import { validateStoryboard } from '../src/compiler/validate-storyboard.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { extractLastFrame, probeMedia, runFfmpeg, type MediaInfo } from '../src/media/ffmpeg.js';

let dir: string;
let tools: FfmpegTools;
let firstPng: string;
let lastPng: string;
const backend = createPreviewBackend();

type Inputs = Partial<Record<ClipInput['name'], ResolvedInput>>;

/** A clip job as the compiler would make it; `inputs` declares which inputs the request uses. */
function clipJob(over: Partial<ClipJob> & { duration?: number; width?: number; height?: number; audio?: boolean } = {}): ClipJob {
  const { duration = 2, width = 640, height = 360, audio = false, ...rest } = over;
  return {
    id: 'scene-a.shot-1', scene: 'scene-a', shots: ['shot-1'], at: { line: 1, column: 1 }, model: 'wan2.7-t2v',
    request: { method: 'POST', path: '/api/v1/services/aigc/video-generation/video-synthesis', body: { model: 'wan2.7-t2v', input: {}, parameters: {} } },
    prompt: 'Wide shot, slow push in. A lighthouse on a rock at night, waves bursting against the cliffs.',
    seed: { value: 42, source: 'explicit' }, inputs: [], dependsOn: [],
    expected: { duration, width, height, fps: 30, audio },
    cost: { usd: 0, perSecond: 0, resolution: '720P' },
    ...rest,
  };
}

function declared(inputs: Inputs): ClipInput[] {
  return Object.keys(inputs).map((name) => ({
    name: name as ClipInput['name'], kind: name === 'audio' ? 'audio' : 'image', from: { file: `${name}.png` }, at: { line: 1, column: 1 },
  }));
}

function request(job: ClipJob, outFile: string, inputs: Inputs = {}, extra: Partial<RenderRequest> = {}): RenderRequest {
  return {
    job, key: `key-${job.id}`, outFile, ffmpeg: tools, signal: new AbortController().signal,
    inputs: new Map(Object.entries(inputs) as [ClipInput['name'], ResolvedInput][]),
    journal: { submitted: () => undefined, record: async () => {} },
    ...extra,
  };
}

async function render(name: string, job: ClipJob, inputs: Inputs = {}, extra: Partial<RenderRequest> = {}): Promise<string> {
  const out = join(dir, `${name}.mp4`);
  await backend.render(request({ ...job, inputs: declared(inputs) }, out, inputs, extra));
  return out;
}

/** Asserts everything the issue promises about a clip's streams. */
function expectClip(info: MediaInfo, job: ClipJob): void {
  const e = job.expected;
  const video = info.streams.filter((s) => s.codecType === 'video');
  const audio = info.streams.filter((s) => s.codecType === 'audio');
  expect(video).toHaveLength(1);
  expect(video[0]).toMatchObject({ codecName: 'h264', width: e.width, height: e.height, pixFmt: 'yuv420p', frameRate: 30, sampleAspectRatio: 1 });
  expect(video[0]?.nbFrames).toBe(e.duration * 30);
  expect(video[0]?.duration).toBeCloseTo(e.duration, 6);
  expect(audio).toHaveLength(e.audio ? 1 : 0);
  if (e.audio) {
    expect(audio[0]).toMatchObject({ codecName: 'aac', sampleRate: 48_000, channels: 2 });
    expect(Math.abs((audio[0]?.duration ?? 0) - e.duration)).toBeLessThanOrEqual(1 / 30);
  }
}

/**
 * SSIM ("All:") between the first frames of two images/videos, by ffmpeg's ssim filter. Both are trimmed to
 * one frame: with `-frames:v 1` alone the filter may already have compared (and averaged in) a second pair.
 */
/** SSIM of the first frames of a and b (1280×720), with the frame code's patches masked in both: the code is drawn over every frame. */
async function ssim(a: string, b: string): Promise<number> {
  const mask = codePatches(1280, 720).map((p) => `drawbox=x=${p.x}:y=${p.y}:w=${CODE_COLUMNS * p.cell}:h=${2 * p.cell}:color=black:t=fill`).join(',');
  // compared as YUV 4:4:4 (converted exactly): SSIM over RGB channels scores the chroma upsampling of saturated
  // synthetic edges (clipped out of gamut) rather than the picture
  const yuv = 'scale=flags=accurate_rnd+full_chroma_int+full_chroma_inp,format=yuv444p';
  const graph = `[0:v]trim=end_frame=1,${mask},${yuv}[a];[1:v]trim=end_frame=1,${mask},${yuv}[b];[a][b]ssim`;
  const { stderr } = await runFfmpeg(tools, ['-i', a, '-i', b, '-filter_complex', graph, '-f', 'null', '-']);
  const match = / All:([\d.]+)/.exec(stderr);
  if (!match) throw new Error(`no SSIM in ffmpeg's output:\n${stderr}`);
  return Number(match[1]);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyboard-preview-'));
  tools = await resolveFfmpeg();
  firstPng = join(dir, 'first.png');
  lastPng = join(dir, 'last.png');
  await Promise.all([
    runFfmpeg(tools, ['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30:duration=1', '-frames:v', '1', '-pix_fmt', 'rgb24', firstPng]),
    // Another testsrc2 frame, mirrored (mandelbrot's fine colour detail alone loses 0.035 SSIM to 4:2:0 chroma).
    runFfmpeg(tools, ['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30:duration=1,trim=start_frame=20,hflip', '-frames:v', '1', '-pix_fmt', 'rgb24', lastPng]),
  ]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('preview backend: clip structure', () => {
  it('is the free, local preview backend', () => {
    expect(backend).toMatchObject({ name: 'preview', paid: false, version: PREVIEW_BACKEND_VERSION });
    expect(backend.concurrency('wan2.7-t2v')).toBeGreaterThanOrEqual(1);
  });

  it('renders a silent clip of the exact size and length, byte-identical on a second render', async () => {
    const job = clipJob({ duration: 3, width: 832, height: 480 });
    const a = await render('silent-a', job);
    const b = await render('silent-b', job);
    expectClip(await probeMedia(tools, a), job);
    expect((await readFile(b)).equals(await readFile(a))).toBe(true);
  });

  it('adds a 48 kHz stereo AAC tone exactly as long as the video when the model makes audio, byte-identically', async () => {
    const job = clipJob({ duration: 2, width: 720, height: 1280, audio: true });
    const a = await render('tone-a', job);
    const b = await render('tone-b', job);
    expectClip(await probeMedia(tools, a), job);
    expect((await readFile(b)).equals(await readFile(a))).toBe(true);
  });

  it('pads a short audio input to the clip and trims a long one', async () => {
    const short = join(dir, 'short.wav');
    const long = join(dir, 'long.m4a');
    await runFfmpeg(tools, ['-f', 'lavfi', '-i', 'sine=frequency=330:sample_rate=22050:duration=0.7', short]);
    await runFfmpeg(tools, ['-f', 'lavfi', '-i', 'sine=frequency=330:duration=5', '-ac', '1', '-c:a', 'aac', long]);
    const job = clipJob({ duration: 2, audio: true });
    for (const file of [short, long]) {
      const out = await render(`audio-${file.endsWith('.wav') ? 'short' : 'long'}`, job, { audio: { file, sha256: 'x' } });
      expectClip(await probeMedia(tools, out), job);
    }
  });

  it('reports progress up to 1', async () => {
    const fractions: number[] = [];
    await render('progress', clipJob({ duration: 2 }), {}, { onProgress: (f) => fractions.push(f) });
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= (fractions[i - 1] ?? 0)))).toBe(true);
  });
});

describe('preview backend: first and last frames', () => {
  it('starts on exactly the first-frame image and ends on exactly the last-frame image', async () => {
    const job = clipJob({ duration: 3, width: 1280, height: 720, audio: true, model: 'wan2.7-i2v' });
    const out = await render('first-last', job, { first_frame: { file: firstPng, sha256: 'x' }, last_frame: { file: lastPng, sha256: 'y' } });
    expectClip(await probeMedia(tools, out), job);
    expect(await ssim(firstPng, out)).toBeGreaterThanOrEqual(0.98);
    const extracted = join(dir, 'first-last-end.png');
    await extractLastFrame(tools, out, extracted);
    expect(await ssim(lastPng, extracted)).toBeGreaterThanOrEqual(0.98);
  });

  it('continues a chain: the next clip starts on the previous clip\'s extracted last frame', async () => {
    const first = await render('chain-1', clipJob({ duration: 2, width: 1280, height: 720 }));
    const joint = join(dir, 'chain-joint.png');
    await extractLastFrame(tools, first, joint);
    const job = clipJob({ duration: 2, width: 1280, height: 720, id: 'scene-b', scene: 'scene-b', shots: [] });
    const second = await render('chain-2', job, { first_frame: { file: joint, sha256: 'x' } });
    expectClip(await probeMedia(tools, second), job);
    expect(await ssim(joint, second)).toBeGreaterThanOrEqual(0.98);
  });

  it('blends a generated background into a last-frame image', async () => {
    const job = clipJob({ duration: 2, width: 1280, height: 720 });
    const out = await render('last-only', job, { last_frame: { file: lastPng, sha256: 'x' } });
    const extracted = join(dir, 'last-only-end.png');
    await extractLastFrame(tools, out, extracted);
    expect(await ssim(lastPng, extracted)).toBeGreaterThanOrEqual(0.98);
  });

  it('renders a card for a remote first frame without fetching it', async () => {
    const url = 'https://example.invalid/frames/first.png';
    const job = clipJob({ duration: 2 });
    const command = buildPreviewCommand({
      job: { ...job, inputs: declared({ first_frame: { url } }) }, key: 'k', inputs: new Map([['first_frame', { url }]]),
      fonts: { sans: 'sans.ttf', mono: 'mono.ttf' }, textDir: '/t', outFile: '/o.mp4',
    });
    expect(command.args.join(' ')).not.toContain('example.invalid');
    expect(command.files.map((f) => f.content).join('\n')).toContain('remote URL');
    expectClip(await probeMedia(tools, await render('url-first', job, { first_frame: { url } })), job);
  });
});

describe('preview backend: robustness', () => {
  it('draws a hostile prompt verbatim and survives a hostile output directory', async () => {
    const prompt = `It's "quoted": 100% %{pts} %{eif:n:d} \\ back\\slash; [label], {braces} 'single' \u0000nul\ttab\r\nnew line 😀🎬 中文 ${'x'.repeat(300)}`;
    const job = clipJob({ duration: 2, audio: true, prompt, scene: "sc:en'e", shots: ['a,b;c'] });
    const weird = join(dir, "we'ird, [dir]; 100%: x");
    await mkdir(weird);
    const out = join(weird, 'out.mp4');
    const command = buildPreviewCommand({ job, key: 'k', inputs: new Map(), fonts: { sans: 's.ttf', mono: 'm.ttf' }, textDir: weird, outFile: out });
    const text = command.files.map((f) => f.content).join('\n');
    for (const part of ['It\'s "quoted": 100%', '%{pts} %{eif:n:d}', '\\ back\\slash;', '[label], {braces}', '😀🎬 中文', "sc:en'e › a,b;c"]) {
      expect(text).toContain(part);
    }
    expect(['\u0000', '\t', '\r'].filter((c) => text.includes(c))).toEqual([]);
    await backend.render(request(job, out));
    expectClip(await probeMedia(tools, out), job);
    expect((await readdir(weird)).sort()).toEqual(['out.mp4']);
  });

  it('compiles a multi-shot storyboard and renders its clips', async () => {
    const text = [
      'version: 1', 'defaults: { model: wan2.7-t2v, resolution: 720P, ratio: "16:9" }',
      'scenes:', '  - id: harbour', '    prompt: A small harbour at dawn.', '    shots:',
      '      - { id: boats, duration: 2, camera: Wide shot, prompt: "fishing boats rock gently" }',
      '      - { id: gull, duration: 2, camera: Close-up, prompt: "a gull lands on a post" }',
    ].join('\n');
    const valid = validateStoryboard({ path: 'inline.yaml', text });
    if (!valid.ok) throw new Error(JSON.stringify(valid.diagnostics));
    const [job] = planStoryboard(valid.value).jobs;
    if (!job) throw new Error('no clip planned');
    expect(job.shots).toEqual(['boats', 'gull']);
    const out = await render('storyboard', job);
    expectClip(await probeMedia(tools, out), job);
  });

  it('rejects promptly when aborted and leaves no output or temp files behind', async () => {
    const controller = new AbortController();
    const job = clipJob({ duration: 15, width: 1920, height: 1080, audio: true });
    const sub = join(dir, 'abort');
    await mkdir(sub);
    const out = join(sub, 'clip.mp4');
    const started = Date.now();
    const rendering = backend.render(request(job, out, {}, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 300);
    await expect(rendering).rejects.toThrow(/abort/i);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(existsSync(out)).toBe(false);
    expect(await readdir(sub)).toEqual([]);
  });
});

describe('preview helpers', () => {
  it('wraps text to the width, keeps explicit breaks and clamps with an ellipsis', () => {
    const lines = wrapText('aaaa bbbb cccc dddd\nsecond paragraph', 6);
    expect(lines.every((line) => textWidthEm(line) <= 6)).toBe(true);
    expect(lines.at(-1)).toBe('paragraph');
    expect(wrapText('x'.repeat(50), 5).every((line) => textWidthEm(line) <= 5)).toBe(true);
    expect(clampLines(['one', 'two', 'three'], 2, 10)).toEqual(['one', 'two…']);
  });

  it('splits a multi-shot prompt into its shots, or not at all', () => {
    const prompt = 'Head. Shot 1 [0-2.5 s]: Wide. Boats. Shot 2 [2.5-5 s]: Close-up. A gull.';
    expect(splitPromptShots(prompt, 2)).toEqual({
      head: 'Head.',
      shots: [{ number: 1, from: 0, to: 2.5, text: 'Wide. Boats.' }, { number: 2, from: 2.5, to: 5, text: 'Close-up. A gull.' }],
    });
    expect(splitPromptShots(prompt, 3)).toBeUndefined();
    expect(splitPromptShots('Shot 2 [0-1 s]: a Shot 1 [1-2 s]: b', 2)).toBeUndefined();
  });

  it('escapes filter option values for both parsing levels', () => {
    expect(escapeFilterValue("a:b'c")).toBe("a\\\\:b\\\\\\'c");
    expect(escapeFilterValue('between(n,0,9)')).toBe('between(n\\,0\\,9)');
    expect(escapeFilterValue('[x];y')).toBe('\\[x\\]\\;y');
    expect(escapeFilterValue(0.1 + 0.2)).toBe('0.3');
  });

  it('derives a stable palette and tone from the key', () => {
    expect(previewPalette('abc')).toEqual(previewPalette('abc'));
    expect(previewPalette('abc')).not.toEqual(previewPalette('abd'));
    expect(previewPalette('abc').toneHz).toBeGreaterThanOrEqual(220);
  });
});
