// The emulator's image endpoints, driven with the request shapes of the official Python SDK (dashscope 1.26.2):
// ImageSynthesis.call (legacy text2image, async task), ImageGeneration.async_call (image-generation task) and
// ImageGeneration.call (sync multimodal-generation). Result URLs must download PNGs of the requested size; a
// messages model's input images must show in its result; partial failures and billing must add up.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from '../src/assets/encode-png.js';
import { defaultImageRender } from '../src/backends/emulator/image-render.js';
import { startEmulator, type Emulator, type EmulatorOptions, type ImageJob } from '../src/backends/emulator/emulator-server.js';
import { thumbnailLayout } from '../src/backends/emulator/thumbnail-layout.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { call, create, expectColour, meanColour, pngSize, settle, upload, type Json } from './helpers/emulator-client.js';

const T2I = '/services/aigc/text2image/image-synthesis';
const GEN = '/services/aigc/image-generation/generation';
const SYNC = '/services/aigc/multimodal-generation/generation';
const T2V = '/services/aigc/video-generation/video-synthesis';
const RED = [230, 20, 20] as const;
const GREEN = [20, 200, 40] as const;

let tools: FfmpegTools;
let dir: string;
const running: Emulator[] = [];
beforeAll(async () => {
  tools = await resolveFfmpeg();
  dir = await mkdtemp(join(tmpdir(), 'emu-images-'));
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  const em = await startEmulator({ latency: 0.2, pendingDelay: 0.05, queryRps: 1000, ffmpeg: tools, ...options });
  running.push(em);
  return em;
}

const solidPng = (rgb: readonly number[], side = 256): Buffer => Buffer.from(encodePng(side, side, () => rgb));
const dataUri = (png: Buffer): string => `data:image/png;base64,${png.toString('base64')}`;

/** Downloads a result URL as the SDK user would (no Authorization); expects a PNG. */
async function download(url: string, name: string): Promise<{ bytes: Buffer; file: string }> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('image/png');
  const bytes = Buffer.from(await res.arrayBuffer());
  const file = join(dir, name);
  await writeFile(file, bytes);
  return { bytes, file };
}

/** `ImageSynthesis.call(model, prompt, size=…)`: input {prompt}, every other keyword in parameters; no `n` unless given. */
const synthesisBody = (model: string, prompt: string, parameters: Json = {}): Json => ({ model, parameters, input: { prompt } });
/** `ImageGeneration.call/async_call(model, messages=[Message(role='user', content=[…])], …)`; async_call also sends `is_async: true` in parameters. */
const generationBody = (model: string, content: Json[], parameters: Json = {}): Json => ({ model, parameters, input: { messages: [{ role: 'user', content }] } });

describe('legacy text2image (ImageSynthesis.call)', () => {
  it('makes and bills 4 images when n is left out, each a PNG of the requested size, and reports task_metrics', async () => {
    const em = await start({ latency: 0.4 });
    const body = synthesisBody('wan2.2-t2i-flash', 'A lighthouse at dawn, oil painting', { size: '512*768' });
    const id = await create(em, T2I, body);
    const { json, seen } = await settle(em, id);
    expect(seen.find((o) => o.task_status === 'RUNNING')?.task_metrics).toEqual({ TOTAL: 4, SUCCEEDED: 0, FAILED: 0 });
    const o = json.output;
    expect(o.task_status).toBe('SUCCEEDED');
    expect(o.task_metrics).toEqual({ TOTAL: 4, SUCCEEDED: 4, FAILED: 0 });
    expect(json.usage).toEqual({ image_count: 4 });
    expect(o.results).toHaveLength(4);
    const pictures: Buffer[] = [];
    for (const [i, r] of (o.results as Json[]).entries()) {
      expect(r).toEqual({ orig_prompt: 'A lighthouse at dawn, oil painting', actual_prompt: expect.stringMatching(/^A lighthouse at dawn, oil painting .+/), url: expect.stringMatching(/\/files\/.+\.png\?Expires=\d+&OSSAccessKeyId=.+&Signature=/) });
      const { bytes } = await download(r.url as string, `legacy-${i}.png`);
      expect(pngSize(bytes)).toEqual({ width: 512, height: 768 });
      pictures.push(bytes);
    }
    expect(new Set(pictures.map((p) => p.toString('base64'))).size).toBe(4);
    // the same request draws the same first image
    const again = await settle(em, await create(em, T2I, body));
    expect((await download(again.json.output.results[0].url as string, 'legacy-again.png')).bytes.equals(pictures[0] as Buffer)).toBe(true);
    expect(em.stats()).toMatchObject({ submitted_tasks: 2, succeeded: 2, billed_images: 8, billed_seconds: 0 });
  }, 60_000);

  it('fails single images with an image fault: SUCCEEDED while one image is made, billing only those; FAILED when none is', async () => {
    const em = await start({ faults: 'image=0.5', seed: 3, submitRps: 100 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await create(em, T2I, synthesisBody('wan2.2-t2i-flash', `Harbour ${i}`, { size: '512*512', n: 4, prompt_extend: false })));
    let billed = 0;
    let partial = 0;
    for (const id of ids) {
      const { json } = await settle(em, id);
      const results = json.output.results as Json[];
      const ok = results.filter((r) => typeof r.url === 'string');
      expect(json.output.task_status).toBe('SUCCEEDED');
      expect(json.output.task_metrics).toEqual({ TOTAL: 4, SUCCEEDED: ok.length, FAILED: 4 - ok.length });
      expect(json.usage).toEqual({ image_count: ok.length });
      for (const r of results.filter((x) => x.url === undefined)) expect(r).toEqual({ code: 'InternalError.Timeout', message: expect.stringContaining('timeout') });
      for (const r of ok) expect(r.actual_prompt).toBeUndefined();
      if (ok.length < 4) partial++;
      billed += ok.length;
    }
    expect(partial).toBeGreaterThan(0);
    expect(em.stats().billed_images).toBe(billed);

    const none = await start({ faults: 'image=1' });
    const { json } = await settle(none, await create(none, T2I, synthesisBody('wan2.2-t2i-plus', 'Fog', { n: 3, size: '512*512' })));
    expect(json.output).toMatchObject({ task_status: 'FAILED', code: 'InternalError.Timeout', task_metrics: { TOTAL: 3, SUCCEEDED: 0, FAILED: 3 } });
    expect(json.output.results).toBeUndefined();
    expect(json.usage).toBeUndefined();
    expect(none.stats()).toMatchObject({ submitted_tasks: 1, failed: 1, billed_images: 0 });
  }, 60_000);

  it('fails bad parameters after queueing with InvalidParameter and task_metrics', async () => {
    const em = await start({ submitRps: 100 });
    const cases: [Json, RegExp][] = [
      [{ model: 'wan2.2-t2i-flash', parameters: {}, input: { prompt: null } }, /^Field required: input\.prompt$/],
      [synthesisBody('wan2.2-t2i-flash', 'p', { n: 5 }), /^n must be an integer from 1 to 4/],
      [synthesisBody('wan2.1-t2i-turbo', 'p', { size: '2000*2000', n: 1 }), /^The size is not match "2000\*2000": wan2\.1-t2i-turbo takes `W\*H` with both sides from 512 to 1440/],
      [synthesisBody('wan2.2-t2i-flash', 'p', { seed: -1, n: 2 }), /^seed must be/],
    ];
    for (const [body, message] of cases) {
      const { json } = await settle(em, await create(em, T2I, body));
      expect(json.output).toMatchObject({ task_status: 'FAILED', code: 'InvalidParameter', message: expect.stringMatching(message) });
      expect(json.output.task_metrics.SUCCEEDED).toBe(0);
    }
    expect(em.stats()).toMatchObject({ submitted_tasks: 4, failed: 4, billed_images: 0 });
  });
});

describe('image-generation, async (ImageGeneration.async_call)', () => {
  it('answers with choices and image usage, PNGs of the named size, and shows the input images in the result', async () => {
    const seen: ImageJob[] = [];
    const draw = defaultImageRender(tools);
    const em = await start({ imageRender: async (job, i, out, signal) => { seen.push(job); await draw(job, i, out, signal); } });
    const first = await settle(em, await create(em, GEN, generationBody('wan2.7-image', [{ text: 'A red fox in snow' }], { size: '1K', n: 2, is_async: true })));
    expect(first.json.output).toMatchObject({ task_status: 'SUCCEEDED', finished: true });
    const choices = first.json.output.choices as Json[];
    expect(choices).toHaveLength(2);
    for (const c of choices) expect(c).toEqual({ finish_reason: 'stop', message: { role: 'assistant', content: [{ image: expect.stringContaining('.png?Expires='), type: 'image' }] } });
    expect(first.json.usage).toEqual({ image_count: 2, size: '1024*1024', input_tokens: 0, output_tokens: 0, total_tokens: 0 });
    const stillUrl = first.json.output.choices[0].message.content[0].image as string;
    const still = await download(stillUrl, 'gen-1.png');
    expect(pngSize(still.bytes)).toEqual({ width: 1024, height: 1024 });

    // input images: inline, uploaded (oss://, with the resolve header the SDK adds) and the still just made
    const green = await upload(em, 'wan2.7-image', 'green.png', solidPng(GREEN));
    const content = [{ text: 'The fox meets a parrot' }, { image: dataUri(solidPng(RED)) }, { image: green }, { image: stillUrl }];
    const id = await create(em, GEN, generationBody('wan2.7-image', content, { size: '1024*768', n: 1, negative_prompt: 'blur', is_async: true }), { 'X-DashScope-OssResourceResolve': 'enable' });
    const { json } = await settle(em, id);
    expect(json.usage).toMatchObject({ image_count: 1, size: '1024*768' });
    const job = seen.find((j) => j.taskId === id);
    expect(job?.inputImages.map((b) => b?.length)).toEqual([solidPng(RED).length, solidPng(GREEN).length, still.bytes.length]);
    expect(job?.inputImages[2]?.equals(still.bytes)).toBe(true);
    const result = await download(json.output.choices[0].message.content[0].image as string, 'gen-inputs.png');
    expect(pngSize(result.bytes)).toEqual({ width: 1024, height: 768 });
    const layout = thumbnailLayout(1024, 768, 3);
    const centre = (k: number): { x: number; y: number; w: number; h: number } => ({ x: (layout.slots[k]?.x ?? 0) + layout.size / 2 - 4, y: (layout.slots[k]?.y ?? 0) + layout.size / 2 - 4, w: 8, h: 8 });
    expectColour(await meanColour(tools, result.file, centre(0)), RED, 6);
    expectColour(await meanColour(tools, result.file, centre(1)), GREEN, 6);
    expect(em.stats()).toMatchObject({ submitted_tasks: 2, succeeded: 2, billed_images: 3 });
  }, 60_000);

  it('fails a messages request that breaks the model rules, after queueing', async () => {
    const em = await start();
    const red = { image: dataUri(solidPng(RED)) };
    const cases: [Json, RegExp][] = [
      [{ model: 'wan2.7-image', parameters: {}, input: { messages: [] } }, /^Field required: input\.messages$/],
      [generationBody('wan2.6-t2i', [{ text: 'p' }, red], { n: 1 }), /^Too many input images: wan2\.6-t2i takes at most 0, got 1$/],
      [generationBody('wan2.7-image', [{ text: 'p' }, ...Array.from({ length: 10 }, () => red)], { n: 1 }), /^Too many input images: wan2\.7-image takes at most 9, got 10$/],
      [generationBody('wan2.7-image', [{ text: 'p' }], { n: 5 }), /^n must be an integer from 1 to 4/],
      [generationBody('wan2.7-image', [{ text: 'p' }], { size: '4K' }), /^The size is not match "4K"/],
      [generationBody('wan2.7-image', [red], {}), /^Field required: input\.messages\[0\]\.content text$/],
    ];
    for (const [body, message] of cases) {
      const { json } = await settle(em, await create(em, GEN, body));
      expect(json.output).toMatchObject({ task_status: 'FAILED', code: 'InvalidParameter', message: expect.stringMatching(message) });
    }
    expect(em.stats()).toMatchObject({ submitted_tasks: cases.length, failed: cases.length, billed_images: 0 });
  });

  it('lists, cancels and expires image tasks and their URLs like video tasks', async () => {
    let offset = 0;
    const em = await start({ latency: 0.3, pendingDelay: 0.5, now: () => Date.now() + offset });
    const id = await create(em, GEN, generationBody('wan2.6-t2i', [{ text: 'p' }], { n: 1, is_async: true }));
    const list = await call(em, '/tasks?model_name=wan2.6-t2i');
    expect(list.json).toMatchObject({ total: 1, data: [{ task_id: id, task_status: 'PENDING', model_name: 'wan2.6-t2i' }] });
    expect((await call(em, `/tasks/${id}/cancel`, { method: 'POST' })).status).toBe(200);
    expect((await settle(em, id)).json.output.task_status).toBe('CANCELED');
    const done = await settle(em, await create(em, T2I, synthesisBody('wan2.2-t2i-flash', 'p', { n: 1, size: '512*512' })));
    const url = done.json.output.results[0].url as string;
    expect((await fetch(url)).status).toBe(200);
    offset = 25 * 3600 * 1000;
    expect((await fetch(url)).status).toBe(403);
    expect((await call(em, `/tasks/${done.json.output.task_id as string}`)).json.output.task_status).toBe('UNKNOWN');
    expect(em.stats()).toMatchObject({ canceled: 1, billed_images: 1 });
  });
});

describe('multimodal-generation, sync (ImageGeneration.call)', () => {
  it('answers at once with the images, counts the call as submitted and bills its images', async () => {
    const em = await start({ latency: 0.1 });
    const body = generationBody('wan2.6-t2i', [{ text: 'A flower shop with fine windows' }], { negative_prompt: '', prompt_extend: true, watermark: false, n: 2, size: '960*1696' });
    const r = await call(em, SYNC, { body, async: false });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json).toEqual({
      request_id: expect.any(String),
      output: { finished: true, choices: [0, 1].map(() => ({ finish_reason: 'stop', message: { role: 'assistant', content: [{ image: expect.stringContaining('.png?Expires='), type: 'image' }] } })) },
      usage: { image_count: 2, size: '960*1696', input_tokens: 0, output_tokens: 0, total_tokens: 0 },
    });
    for (const [i, c] of (r.json.output.choices as Json[]).entries()) {
      expect(pngSize((await download(c.message.content[0].image as string, `sync-${i}.png`)).bytes)).toEqual({ width: 960, height: 1696 });
    }
    expect(em.stats()).toMatchObject({ submitted_tasks: 1, succeeded: 1, billed_images: 2 });
    expect((await call(em, '/tasks')).json.total).toBe(0);

    // the header of the async form is refused, a bad request is a 400; neither is billed or counted
    const withAsync = await call(em, SYNC, { body });
    expect([withAsync.status, withAsync.json.code, withAsync.json.message]).toEqual([403, 'AccessDenied', 'current user api does not support asynchronous calls']);
    const bad = await call(em, SYNC, { body: generationBody('wan2.6-t2i', [{ text: 'p' }], { size: '1024*1024' }), async: false });
    expect([bad.status, bad.json.code]).toEqual([400, 'InvalidParameter']);
    expect(bad.json.message).toMatch(/^The size is not match "1024\*1024": wan2\.6-t2i takes `W\*H` of 1,625,088 to 2,073,600 pixels in all/);
    const moderated = await call(em, SYNC, { body: generationBody('wan2.6-t2i', [{ text: 'a fight [[moderation]]' }]), async: false });
    expect([moderated.status, moderated.json.code]).toEqual([400, 'DataInspectionFailed']);
    expect(em.stats()).toMatchObject({ submitted_tasks: 1, succeeded: 1, billed_images: 2 });
  }, 60_000);

  it('makes the model default number of images when n is left out', async () => {
    const em = await start({ latency: 0 });
    const r = await call(em, SYNC, { body: generationBody('wan2.7-image', [{ text: 'p' }], { size: '1K' }), async: false });
    expect(r.status).toBe(200);
    expect(r.json.usage.image_count).toBe(1);
    expect(em.stats().billed_images).toBe(1);
  }, 30_000);
});

describe('paths and models', () => {
  it('refuses a model on another family path, an unknown model and a missing async header, none of them counted', async () => {
    const em = await start();
    const legacy = synthesisBody('wan2.2-t2i-flash', 'p', { n: 1 });
    const messages = generationBody('wan2.7-image', [{ text: 'p' }]);
    const video = { model: 'wan2.7-t2v', input: { prompt: 'p' }, parameters: {} };
    const urlError = [[GEN, legacy], [SYNC, legacy], [T2I, messages], [T2I, video], [GEN, video], [T2V, legacy], [T2V, messages]] as const;
    for (const [path, body] of urlError) {
      const r = await call(em, path, { body, async: path !== SYNC });
      expect([path, r.status, r.json.code, r.json.message]).toEqual([path, 400, 'InvalidParameter', 'url error, please check url!']);
    }
    const unknown = await call(em, T2I, { body: synthesisBody('wan9-t2i', 'p') });
    expect([unknown.status, unknown.json.message]).toEqual([400, 'Model not exist.']);
    const noAsync = await call(em, T2I, { body: legacy, async: false });
    expect([noAsync.status, noAsync.json.code, noAsync.json.message]).toEqual([403, 'AccessDenied', 'current user api does not support synchronous calls']);
    const noInput = await call(em, GEN, { body: { model: 'wan2.7-image', parameters: {} } });
    expect([noInput.status, noInput.json.code]).toEqual([400, 'BadRequest.EmptyInput']);
    // a messages model is taken on both of its paths
    expect((await call(em, GEN, { body: generationBody('wan2.6-t2i', [{ text: 'p' }], { n: 1 }) })).status).toBe(200);
    expect(em.stats().submitted_tasks).toBe(1);
  });

  it('limits image submissions to the model rate', async () => {
    const em = await start();
    const results = await Promise.all(Array.from({ length: 6 }, () => call(em, T2I, { body: synthesisBody('wan2.1-t2i-plus', 'p', { n: 1 }) })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(2);
    expect(results.filter((r) => r.status === 429)[0]?.json.code).toBe('Throttling.RateQuota');
  });
});
