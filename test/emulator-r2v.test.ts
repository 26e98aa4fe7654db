// Reference-to-video through the emulator, with the request shapes of the official Python SDK (VideoSynthesis.call
// with `media` for wan2.7-r2v, `reference_urls` for wan2.6-r2v): the result clip shows each reference as a
// thumbnail (checked by the colour of solid-colour references, with the preview render and the default
// render), keeps the preview's frame codes, bills the
// output plus the input video seconds capped at 5 s, and a request breaking the model's reference rules fails
// with InvalidParameter after queueing.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from '../src/assets/encode-png.js';
import { previewRender } from '../src/backends/emulator/preview-render.js';
import { previewLayout } from '../src/backends/preview/preview-layout.js';
import { referenceStripLayout } from '../src/backends/preview/preview-references.js';
import { startEmulator, type EmulatedJob, type Emulator, type EmulatorOptions } from '../src/backends/emulator/emulator-server.js';
import { thumbnailLayout } from '../src/backends/emulator/thumbnail-layout.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { probeMedia, runFfmpeg } from '../src/media/ffmpeg.js';
import { codePatches, codeTag, decodeContrasts, readContrasts } from '../src/media/frame-code.js';
import { create, expectColour, framePixels, meanColour, settle, upload, type Json } from './helpers/emulator-client.js';

const T2V = '/services/aigc/video-generation/video-synthesis';
const RESOLVE = { 'X-DashScope-OssResourceResolve': 'enable' };
const RED = [230, 20, 20] as const;
const GREEN = [20, 200, 40] as const;
const BLUE = [20, 40, 230] as const;

let tools: FfmpegTools;
let dir: string;
let video7: Buffer;
let video3: Buffer;
let voice: Buffer;
const running: Emulator[] = [];
const rendered: EmulatedJob[] = [];

beforeAll(async () => {
  tools = await resolveFfmpeg();
  dir = await mkdtemp(join(tmpdir(), 'emu-r2v-'));
  const make = async (name: string, args: string[]): Promise<Buffer> => {
    await runFfmpeg(tools, ['-v', 'error', ...args, join(dir, name)]);
    return readFile(join(dir, name));
  };
  const blue = (d: number): string[] => ['-f', 'lavfi', '-i', `color=c=0x1428e6:s=320x240:r=30:d=${d}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-f', 'mp4'];
  video7 = await make('blue7.mp4', blue(7));
  video3 = await make('blue3.mp4', blue(3));
  voice = await make('voice.wav', ['-f', 'lavfi', '-i', 'sine=f=330:d=2.5', '-f', 'wav']);
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
  rendered.length = 0;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  const em = await startEmulator({ latency: 0.1, pendingDelay: 0.05, queryRps: 1000, submitRps: 100, ffmpeg: tools, ...options });
  running.push(em);
  return em;
}

/** A render that only records the job (for the tests about what the emulator understood). */
const recordRender = async (job: EmulatedJob, out: string): Promise<void> => {
  rendered.push(job);
  await writeFile(out, 'video');
};

const solidPng = (rgb: readonly number[], side = 256): Buffer => Buffer.from(encodePng(side, side, () => rgb));
const dataUri = (png: Buffer): string => `data:image/png;base64,${png.toString('base64')}`;

/** `VideoSynthesis.call(model, prompt, media=…/reference_urls=…, **parameters)`: input gets `extend_prompt: true`. */
const synthesis = (model: string, prompt: string, refs: Json, parameters: Json): Json => ({ model, parameters, input: { prompt, extend_prompt: true, ...refs } });

async function download(url: string, name: string): Promise<string> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const file = join(dir, name);
  await writeFile(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

/** The 8×8 box at the centre of thumbnail `k` of `count` on a W×H frame of the default render. */
function thumbCentre(width: number, height: number, count: number, k: number): { x: number; y: number; w: number; h: number } {
  const layout = thumbnailLayout(width, height, count);
  const slot = layout.slots[k] ?? { x: 0, y: 0 };
  return { x: slot.x + Math.round(layout.size / 2) - 4, y: slot.y + Math.round(layout.size / 2) - 4, w: 8, h: 8 };
}

/** The 8×8 box at the centre of thumbnail `k` of `count` in the preview's reference strip. */
function stripCentre(width: number, height: number, count: number, k: number): { x: number; y: number; w: number; h: number } {
  const thumb = referenceStripLayout(previewLayout(width, height), count).grid.thumbs[k] ?? { x: 0, y: 0, width: 0, height: 0 };
  return { x: thumb.x + Math.round(thumb.width / 2) - 4, y: thumb.y + Math.round(thumb.height / 2) - 4, w: 8, h: 8 };
}

describe('wan2.7-r2v (input.media)', () => {
  it('shows each reference in the preview\'s reference strip, keeps its frame codes, and bills output + input video capped at 5 s', async () => {
    const em = await start({ render: previewRender(tools) });
    const ossVideo = await upload(em, 'wan2.7-r2v', 'dancer.mp4', video7);
    const ossVoice = await upload(em, 'wan2.7-r2v', 'voice.wav', voice);
    const body = synthesis('wan2.7-r2v', 'Image 1 waves at Video 1 across the square', {
      media: [
        { type: 'reference_image', url: dataUri(solidPng(RED)), reference_voice: ossVoice },
        { type: 'reference_video', url: ossVideo, reference_description: 'a dancer in blue' },
      ],
    }, { resolution: '720P', ratio: '16:9', duration: 3, watermark: false, seed: 5 });
    const { json } = await settle(em, await create(em, T2V, body, RESOLVE), 60_000);
    expect(json.output.task_status, JSON.stringify(json.output)).toBe('SUCCEEDED');
    expect(json.usage).toEqual({ duration: 8, input_video_duration: 5, output_video_duration: 3, video_count: 1, SR: 720, ratio: '16:9' });
    expect(em.stats()).toMatchObject({ submitted_tasks: 1, succeeded: 1, billed_seconds: 8 });

    const file = await download(json.output.video_url as string, 'r2v27.mp4');
    const info = await probeMedia(tools, file);
    expect(info.streams.find((s) => s.codecType === 'video')).toMatchObject({ width: 1280, height: 720 });
    expect(info.duration).toBeCloseTo(3, 0);
    expectColour(await meanColour(tools, file, stripCentre(1280, 720, 2, 0), 45), RED);
    expectColour(await meanColour(tools, file, stripCentre(1280, 720, 2, 1), 45), BLUE);
    // the frame code still says which clip and which frame
    const [bottom] = codePatches(1280, 720);
    const luma = await framePixels(tools, file, { x: 0, y: 0, w: 1280, h: 720 }, 45, 'gray');
    const patch = { x: bottom?.x ?? 0, y: bottom?.y ?? 0, cellX: bottom?.cell ?? 0, cellY: bottom?.cell ?? 0 };
    const key = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 32);
    expect(decodeContrasts(readContrasts(luma, 1280, patch))).toEqual({ tag: codeTag(key), frame: 45 });
  }, 90_000);

  it('labels references per type in the order sent, takes an optional first_frame, and bills an unreadable video length as the cap', async () => {
    const em = await start({ render: recordRender });
    const first = solidPng(GREEN);
    const body = synthesis('wan2.7-r2v', 'Image 1 and Image 2 meet Video 1', {
      media: [
        { type: 'first_frame', url: dataUri(first) },
        { type: 'reference_image', url: dataUri(solidPng(RED)) },
        { type: 'reference_video', url: 'https://cdn.example.test/cast/dancer.mov', reference_voice: 'https://cdn.example.test/v.wav' },
        { type: 'reference_image', url: dataUri(solidPng(BLUE)) },
      ],
    }, { resolution: '720P', duration: 10 });
    const { json } = await settle(em, await create(em, T2V, body));
    expect(json.output.task_status, JSON.stringify(json.output)).toBe('SUCCEEDED');
    expect(json.usage).toMatchObject({ duration: 15, input_video_duration: 5, output_video_duration: 10 });
    const job = rendered[0];
    expect(job?.references?.map((r) => [r.label, r.kind, r.voice, r.bytes?.length])).toEqual([
      ['Image 1', 'image', false, solidPng(RED).length], ['Video 1', 'video', true, undefined], ['Image 2', 'image', false, solidPng(BLUE).length],
    ]);
    expect(job?.media?.first_frame?.equals(first)).toBe(true);
  });

  it('fails a request breaking the reference rules with InvalidParameter after queueing, unbilled', async () => {
    const em = await start({ render: recordRender });
    const img = { type: 'reference_image', url: dataUri(solidPng(RED)) };
    const vid = { type: 'reference_video', url: 'https://cdn.example.test/a.mp4' };
    const p = { resolution: '720P', duration: 5 };
    const cut = await upload(em, 'wan2.7-r2v', 'cut.mp4', video3.subarray(0, 200));
    const cases: [Json, RegExp][] = [
      [synthesis('wan2.7-r2v', 'p', { media: [{ type: 'first_frame', url: img.url }] }, p), /^At least one reference is required/],
      [synthesis('wan2.7-r2v', 'p', {}, p), /^Field required: input\.media$/],
      [synthesis('wan2.7-r2v', 'p', { media: [img, img, img, img, img, img] }, p), /^Too many reference images: wan2\.7-r2v takes at most 5, got 6$/],
      [synthesis('wan2.7-r2v', 'p', { media: [img, img, img, vid, vid, vid] }, p), /^Too many references: wan2\.7-r2v takes at most 5 images and videos in all, got 6$/],
      [synthesis('wan2.7-r2v', 'p', { media: [img, vid] }, { ...p, duration: 12 }), /^The duration must be at most 10 s when a reference video is sent, got 12$/],
      [synthesis('wan2.7-r2v', 'p', { media: [img, { type: 'first_frame', url: img.url }, { type: 'first_frame', url: img.url }] }, p), /^input\.media takes at most one first_frame, got 2$/],
      [synthesis('wan2.7-r2v', 'p', { media: [img, { type: 'last_frame', url: img.url }] }, p), /^input\.media\[1\]\.type must be one of reference_image, reference_video, first_frame/],
      [synthesis('wan2.7-r2v', 'p', { media: [{ type: 'reference_image', url: dataUri(solidPng(RED, 100)) }] }, p), /^input\.media\[0\] \(reference_image\) is 100×100 pixels: each side must be from 240 to 8000$/],
      [synthesis('wan2.7-r2v', 'p', { media: [{ type: 'reference_video', url: cut }] }, p), /^input\.media\[0\] \(reference_video\) is not a readable video$/],
      [synthesis('wan2.7-r2v', '', { media: [img] }, p), /^Field required: input\.prompt$/],
      [synthesis('wan2.6-r2v', 'p', { reference_urls: [] }, { size: '1280*720' }), /^Field required: input\.reference_urls$/],
      [synthesis('wan2.6-r2v', 'p', { reference_urls: [1, 2, 3, 4].map((i) => `https://cdn.example.test/${i}.mp4`) }, { size: '1280*720' }), /^Too many reference videos: wan2\.6-r2v takes at most 3, got 4$/],
      [synthesis('wan2.6-r2v-flash', 'p', { media: [img] }, { size: '1280*720' }), /^wan2\.6-r2v-flash does not take input\.media$/],
    ];
    for (const [body, message] of cases) {
      const { json } = await settle(em, await create(em, T2V, body, RESOLVE));
      expect(json.output, JSON.stringify(body).slice(0, 200)).toMatchObject({ task_status: 'FAILED', code: 'InvalidParameter', message: expect.stringMatching(message) });
    }
    expect(rendered).toHaveLength(0);
    expect(em.stats()).toMatchObject({ submitted_tasks: cases.length, failed: cases.length, billed_seconds: 0 });
  }, 60_000);
});

describe('wan2.6-r2v (input.reference_urls)', () => {
  it('names references character1, character2 in order, shows them, and bills the reference video seconds', async () => {
    const em = await start();
    const ossVideo = await upload(em, 'wan2.6-r2v', 'clip', video3);
    const body = synthesis('wan2.6-r2v', 'character1 hands character2 a map', {
      reference_urls: [dataUri(solidPng(GREEN)), ossVideo],
    }, { size: '1280*720', duration: 2, shot_type: 'multi', watermark: true });
    const { json } = await settle(em, await create(em, T2V, body, RESOLVE), 60_000);
    expect(json.output.task_status, JSON.stringify(json.output)).toBe('SUCCEEDED');
    expect(json.usage).toEqual({ duration: 5, size: '1280*720', input_video_duration: 3, output_video_duration: 2, video_count: 1, SR: 720 });
    expect(em.stats().billed_seconds).toBe(5);
    const file = await download(json.output.video_url as string, 'r2v26.mp4');
    expectColour(await meanColour(tools, file, thumbCentre(1280, 720, 2, 0), 30), GREEN);
    expectColour(await meanColour(tools, file, thumbCentre(1280, 720, 2, 1), 30), BLUE);
    // the first and last frames stay as drawn (chained clips join on them)
    for (const frame of [0, 59]) {
      const plain = await meanColour(tools, file, thumbCentre(1280, 720, 2, 0), frame);
      expect(Math.abs(plain[0] - GREEN[0]) + Math.abs(plain[1] - GREEN[1])).toBeGreaterThan(60);
    }
  }, 60_000);

  it('tells images from videos by their bytes, else by their file name', async () => {
    const em = await start({ render: recordRender });
    const ossVideo = await upload(em, 'wan2.6-r2v-flash', 'no-extension', video3);
    const body = synthesis('wan2.6-r2v-flash', 'character1, character2 and character3', {
      reference_urls: [ossVideo, 'https://cdn.example.test/hero.MOV', dataUri(solidPng(RED))],
    }, { size: '1280*720', duration: 4, audio: false });
    const { json } = await settle(em, await create(em, T2V, body, RESOLVE));
    expect(json.output.task_status, JSON.stringify(json.output)).toBe('SUCCEEDED');
    expect(rendered[0]?.references?.map((r) => `${r.label}:${r.kind}`)).toEqual(['character1:video', 'character2:video', 'character3:image']);
    expect(rendered[0]?.audio).toBe(false);
    // 3 s read from the upload + the unreadable one counted as the cap: capped at 5 s in all
    expect(json.usage).toMatchObject({ input_video_duration: 5, output_video_duration: 4, duration: 9 });
  });
});
