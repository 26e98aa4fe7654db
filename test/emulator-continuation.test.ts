// Clip continuation (`first_clip`, wan2.7-i2v) through the emulator, with requests shaped as the SDK sends them: the
// result is the sent clip (its frames, their codes the upstream clip's) followed by `duration` new seconds (the task's
// own codes, numbered on), 10 s clips included; only the new seconds are billed, the clip's seconds reported as
// `input_video_duration` and counted in the stats apart; every rule of reference §2.4 (combinations, MP4/MOV, 2–10 s,
// sides 240–4096, aspect 1:8–8:1, 100 MB) fails the task with InvalidParameter, and a video as a data URI is refused.
import { createHash } from 'node:crypto';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from '../src/assets/encode-png.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../src/backends/emulator/emulator-server.js';
import { previewRender } from '../src/backends/emulator/preview-render.js';
import { createPreviewBackend } from '../src/backends/preview/preview-backend.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { runFfmpeg } from '../src/media/ffmpeg.js';
import { continuedJob, cutTail, expectedCodes, readFrameCodes, streamSeconds } from './helpers/continuation.js';
import { call, create, settle, upload, type Json } from './helpers/emulator-client.js';

const I2V = '/services/aigc/video-generation/video-synthesis';
const RESOLVE = { 'X-DashScope-OssResourceResolve': 'enable' };
const UPSTREAM = { key: 'emu-upstream', frames: 360 };

let tools: FfmpegTools;
let dir: string;
const clips: Record<string, Buffer> = {};
const running: Emulator[] = [];

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  const em = await startEmulator({ latency: 0.05, pendingDelay: 0.02, queryRps: 1000, submitRps: 100, ffmpeg: tools, ...options });
  running.push(em);
  return em;
}

/** A short test video of `w`×`h`, `seconds` long, in `format` (mp4 unless told), as bytes. */
async function video(name: string, w: number, h: number, seconds: number, format = 'mp4'): Promise<Buffer> {
  const file = join(dir, `${name}.${format === 'matroska' ? 'mkv' : format}`);
  await runFfmpeg(tools, ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=s=${w}x${h}:r=30:d=${seconds}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-f', format, '-y', file]);
  return readFile(file);
}

/** The SDK's wan2.7-i2v body with these media items. */
function body(media: { type: string; url: string }[], duration: number, prompt = 'The take goes on.'): Json {
  return { model: 'wan2.7-i2v', input: { prompt, media }, parameters: { resolution: '720P', duration, prompt_extend: false, seed: 11 } };
}

/** Runs one task to its end; returns its final response. */
async function run(em: Emulator, b: Json): Promise<Json> {
  const id = await create(em, I2V, b, RESOLVE);
  return (await settle(em, id)).json;
}

async function download(url: string, name: string): Promise<string> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const file = join(dir, `${name}.mp4`);
  await writeFile(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

/** The key the emulator's preview render draws a task under (its body's hash): the tag of the new frames' codes. */
const renderKey = (b: Json): string => createHash('sha256').update(JSON.stringify(b)).digest('hex').slice(0, 32);

beforeAll(async () => {
  tools = await resolveFfmpeg();
  dir = await mkdtemp(join(tmpdir(), 'emu-carry-'));
  // the upstream: a 12 s 720p preview clip with sound and frame codes; the runner's cuts of its last 3 s and 10 s
  const upstream = join(dir, 'upstream.mp4');
  const job = { ...continuedJob('launch', 'none', 2, 10, { width: 1280, height: 720 }), inputs: [], carry: undefined, expected: { duration: 12, width: 1280, height: 720, fps: 30 as const, audio: true } };
  await createPreviewBackend().render({ job, key: UPSTREAM.key, inputs: new Map(), outFile: upstream, ffmpeg: tools, signal: new AbortController().signal, journal: { submitted: () => undefined, record: async () => {} } });
  for (const [name, frames] of [['tail3', 90], ['tail10', 300]] as const) {
    await cutTail(tools, upstream, join(dir, `${name}.mp4`), frames);
    clips[name] = await readFile(join(dir, `${name}.mp4`));
  }
  clips.short = await video('short', 640, 360, 1);
  clips.long = await video('long', 640, 360, 11);
  clips.narrow = await video('narrow', 320, 200, 2);
  clips.wide = await video('wide', 2000, 240, 2);
  clips.mkv = await video('mkv', 640, 360, 2, 'matroska');
  clips.ok2 = await video('ok2', 640, 360, 2);
}, 120_000);

afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('emulator: first_clip (clip continuation)', () => {
  it('3 s clip + 2 new seconds: the result is the clip then the new frames; 2 s billed, the clip reported apart', async () => {
    const em = await start({ render: previewRender(tools) });
    const b = body([{ type: 'first_clip', url: await upload(em, 'wan2.7-i2v', 'tail3.mp4', clips.tail3 ?? Buffer.alloc(0)) }], 2);
    const done = await run(em, b);
    expect(done.output.task_status, JSON.stringify(done.output)).toBe('SUCCEEDED');
    expect(done.usage).toMatchObject({ duration: 2, input_video_duration: 3, output_video_duration: 2, SR: 720 });
    expect(em.stats()).toMatchObject({ billed_seconds: 2, first_clip_seconds: 3, succeeded: 1 });
    const file = await download(done.output.video_url as string, 'carry3');
    const seconds = await streamSeconds(tools, file);
    expect(seconds.frames).toBe(150);
    expect(Math.abs((seconds.audio ?? 0) - 5)).toBeLessThan(1024 / 48_000 + 1e-6);
    const sent = em.creates().at(-1)?.body as Json;
    expect(await readFrameCodes(tools, file)).toEqual(expectedCodes(UPSTREAM, 90, { key: renderKey(sent), frames: 150 }));
  });

  it('a 10 s clip (more than a GOP) + last frame + 2 new seconds: every frame in place, ending on the last frame', async () => {
    const em = await start({ render: previewRender(tools) });
    const png = Buffer.from(encodePng(1280, 720, (x) => (x < 640 ? [240, 200, 20] : [20, 60, 200])));
    const b = body([
      { type: 'first_clip', url: await upload(em, 'wan2.7-i2v', 'tail10.mp4', clips.tail10 ?? Buffer.alloc(0)) },
      { type: 'last_frame', url: await upload(em, 'wan2.7-i2v', 'end.png', png) },
    ], 2);
    const done = await run(em, b);
    expect(done.output.task_status, JSON.stringify(done.output)).toBe('SUCCEEDED');
    expect(done.usage).toMatchObject({ duration: 2, input_video_duration: 10, output_video_duration: 2 });
    expect(em.stats()).toMatchObject({ billed_seconds: 2, first_clip_seconds: 10 });
    const file = await download(done.output.video_url as string, 'carry10');
    const codes = await readFrameCodes(tools, file);
    expect(codes).toEqual(expectedCodes(UPSTREAM, 300, { key: renderKey(em.creates().at(-1)?.body as Json), frames: 360 }));
    // the last frame: yellow on the left, blue on the right
    const { stderr } = await runFfmpeg(tools, ['-i', file, '-vf', 'select=eq(n\\,359),crop=200:200:220:260,signalstats,metadata=print', '-frames:v', '1', '-f', 'null', '-']);
    expect(Number(/lavfi\.signalstats\.YAVG=([\d.]+)/.exec(stderr)?.[1])).toBeGreaterThan(150);
  });

  it('the default render makes a result as long as the clip plus the new seconds', async () => {
    const em = await start();
    const done = await run(em, body([{ type: 'first_clip', url: await upload(em, 'wan2.7-i2v', 'ok2.mp4', clips.ok2 ?? Buffer.alloc(0)) }], 3));
    expect(done.output.task_status).toBe('SUCCEEDED');
    expect((await streamSeconds(tools, await download(done.output.video_url as string, 'default'))).frames).toBe(150);
    expect(em.stats()).toMatchObject({ billed_seconds: 3, first_clip_seconds: 2 });
  });

  it.each([
    ['first_frame', 'first_frame+first_clip is not a valid combination'],
    ['driving_audio', 'first_clip+driving_audio is not a valid combination'],
  ])('first_clip with %s: the task FAILS with InvalidParameter, nothing billed', async (other, message) => {
    const em = await start({ render: previewRender(tools) });
    const clip = await upload(em, 'wan2.7-i2v', 'ok2.mp4', clips.ok2 ?? Buffer.alloc(0));
    const extra = other === 'first_frame'
      ? await upload(em, 'wan2.7-i2v', 'first.png', Buffer.from(encodePng(640, 360, () => [100, 100, 100])))
      : await upload(em, 'wan2.7-i2v', 'voice.mp3', Buffer.from('ID3 not really audio'));
    const done = await run(em, body([{ type: 'first_clip', url: clip }, { type: other, url: extra }], 3));
    expect(done.output).toMatchObject({ task_status: 'FAILED', code: 'InvalidParameter' });
    expect(done.output.message).toContain(message);
    expect(em.stats()).toMatchObject({ billed_seconds: 0, first_clip_seconds: 0, failed: 1 });
  });

  it.each([
    ['short', 'input.media[0] (first_clip) lasts 1 s: it must last from 2 to 10 s'],
    ['long', 'input.media[0] (first_clip) lasts 11 s: it must last from 2 to 10 s'],
    ['narrow', 'input.media[0] (first_clip) is 320×200 pixels: each side must be from 240 to 4096'],
    ['wide', 'input.media[0] (first_clip) is 2000×240 pixels: its aspect ratio must be from 1:8 to 8:1'],
    ['mkv', 'input.media[0] (first_clip) must be an MP4 or MOV video'],
  ])('a %s clip: the task FAILS with InvalidParameter saying why', async (name, message) => {
    const em = await start();
    const done = await run(em, body([{ type: 'first_clip', url: await upload(em, 'wan2.7-i2v', `${name}.bin`, clips[name] ?? Buffer.alloc(0)) }], 3));
    expect(done.output).toMatchObject({ task_status: 'FAILED', code: 'InvalidParameter', message });
    expect(em.stats().billed_seconds).toBe(0);
  });

  it('a clip over 100 MB: the task FAILS with InvalidParameter', async () => {
    const em = await start({ maxUploadMb: 128 });
    // a valid MP4 followed by a 100 MB `free` box: still a readable 2 s video, just too large
    const big = join(dir, 'big.mp4');
    await writeFile(big, clips.ok2 ?? Buffer.alloc(0));
    const pad = Buffer.alloc(100 * 1024 * 1024);
    pad.writeUInt32BE(pad.length, 0);
    pad.write('free', 4, 'latin1');
    await appendFile(big, pad);
    const done = await run(em, body([{ type: 'first_clip', url: await upload(em, 'wan2.7-i2v', 'big.mp4', await readFile(big)) }], 3));
    expect(done.output).toMatchObject({ task_status: 'FAILED', code: 'InvalidParameter' });
    expect(done.output.message).toMatch(/^input\.media\[0\] \(first_clip\) is 100\.\d MB: at most 100 MB$/);
  });

  it('a video sent inline as a data URI is refused at once (only images may be inlined)', async () => {
    const em = await start();
    const r = await call(em, I2V, { body: body([{ type: 'first_clip', url: `data:video/mp4;base64,${(clips.ok2 ?? Buffer.alloc(0)).toString('base64')}` }], 3) });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: 'InvalidParameter' });
    expect(r.json.message).toContain('only base64 image data URIs are accepted');
    expect(em.stats().submitted_tasks).toBe(0);
  });
});

