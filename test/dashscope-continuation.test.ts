// Clip continuation on the DashScope backend against the emulator, from the compiler's own plan (fixture
// clip-continuation: `sea` sends a first_clip, `bay` a first_clip and a last frame URL) and a re-anchored variant (a
// local last frame): the exact bodies sent match the golden file (uploads as oss://, never inline), the downloaded
// result is the whole clip (carried + new seconds), only the new seconds are billed; a first_clip outside the model's
// limits fails before anything is uploaded or paid, naming the clip; a task showing the carried seconds in its
// output or not is taken as the clip's own.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendError, type RenderRequest, type ResolvedInput } from '../src/backends/backend.js';
import { createDashscopeBackend } from '../src/backends/dashscope/dashscope-backend.js';
import { taskMismatch } from '../src/backends/dashscope/task-facts.js';
import { type UploadMode } from '../src/backends/dashscope/upload-input.js';
import { startEmulator, type Emulator } from '../src/backends/emulator/emulator-server.js';
import type { ClipJob, Plan } from '../src/compiler/plan/types.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { runFfmpeg } from '../src/media/ffmpeg.js';
import { sha256File } from '../src/io/hash.js';
import { cutTail, streamSeconds } from './helpers/continuation.js';
import { memJournal } from './helpers/mem-journal.js';

const KEY = 'sk-emu-CARRY';
const plan = JSON.parse(await readFile('test/fixtures/compile/clip-continuation/plan.json', 'utf8')) as Plan;
const jobOf = (id: string): ClipJob => plan.jobs.find((j) => j.id === id) ?? expect.unreachable(`the clip-continuation fixture has no clip ${id}`);

let tools: FfmpegTools;
let dir: string;
let em: Emulator;
const files: Record<string, string> = {};
let outCount = 0;

/** `sea` re-anchored: the same request with a local last frame (`$input.last_frame`), as a `reanchor` hop sends it. */
function reanchored(): ClipJob {
  const sea = jobOf('sea');
  const body = { ...sea.request.body, input: { ...sea.request.body.input, media: [{ type: 'first_clip', url: '$input.first_clip' }, { type: 'last_frame', url: '$input.last_frame' }] } };
  return { ...sea, id: 'sea-anchored', request: { ...sea.request, body }, inputs: [...sea.inputs, { name: 'last_frame', kind: 'image', from: { file: 'anchor.png' }, at: sea.at }] };
}

async function input(name: string): Promise<ResolvedInput> {
  const file = files[name] ?? expect.unreachable(`no file ${name}`);
  return { file, sha256: await sha256File(file) };
}

async function render(job: ClipJob, inputs: Record<string, ResolvedInput>, uploadMode: UploadMode = 'auto') {
  const backend = createDashscopeBackend({ apiKey: KEY, baseUrl: em.baseUrl, pollSchedule: [0.05], uploadMode, retries: 0 });
  const req: RenderRequest = {
    job, key: `key-${job.id}-${++outCount}`, inputs: new Map(Object.entries(inputs)), outFile: join(dir, `${job.id}-${outCount}.mp4`),
    ffmpeg: tools, journal: memJournal(), signal: new AbortController().signal,
  };
  return { req, outcome: await backend.render(req) };
}

/** The body as sent, with the emulator's random upload folder replaced by a placeholder (the file name stays). */
const normalised = (body: unknown): unknown => JSON.parse(JSON.stringify(body).replace(/oss:\/\/[^"]*\/([^/"]+)"/g, 'oss://{upload_dir}/$1"'));

beforeAll(async () => {
  tools = await resolveFfmpeg();
  dir = await mkdtemp(join(tmpdir(), 'dashscope-carry-'));
  em = await startEmulator({ latency: 0.05, pendingDelay: 0.02, queryRps: 1000, submitRps: 100, ffmpeg: tools });
  // the upstream clip (as launch at 720p: 6 s with sound), and the runner's cuts of its last 3 s (sea) and 2 s (bay)
  const launch = join(dir, 'launch.mp4');
  await runFfmpeg(tools, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=1280x720:r=30:d=6', '-f', 'lavfi', '-i', 'sine=f=440:d=6:r=48000',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-ac', '2', '-shortest', launch]);
  for (const [name, frames] of [['launch.tail3.mp4', 90], ['launch.tail2.mp4', 60]] as const) {
    files[name] = join(dir, name);
    await cutTail(tools, launch, files[name] ?? '', frames);
  }
  files['anchor.png'] = join(dir, 'anchor.png');
  await runFfmpeg(tools, ['-v', 'error', '-f', 'lavfi', '-i', 'smptebars=s=1280x720', '-frames:v', '1', files['anchor.png']]);
  for (const [name, size, seconds] of [['short.mp4', '1280x720', 1], ['narrow.mp4', '320x200', 3]] as const) {
    files[name] = join(dir, name);
    await runFfmpeg(tools, ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=s=${size}:r=30:d=${seconds}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', files[name] ?? '']);
  }
}, 60_000);

afterAll(async () => {
  await em.close();
  await rm(dir, { recursive: true, force: true });
});

describe('dashscope: continued clips (first_clip)', () => {
  it('the exact bodies sent for sea, bay and a re-anchored sea match the golden file; results are the whole clips; new seconds billed', async () => {
    const cases: { job: ClipJob; inputs: Record<string, ResolvedInput>; frames: number; billed: number }[] = [
      { job: jobOf('sea'), inputs: { first_clip: await input('launch.tail3.mp4') }, frames: 330, billed: 8 },
      { job: jobOf('bay'), inputs: { first_clip: await input('launch.tail2.mp4') }, frames: 210, billed: 5 },
      { job: reanchored(), inputs: { first_clip: await input('launch.tail3.mp4'), last_frame: await input('anchor.png') }, frames: 330, billed: 8 },
    ];
    const sent: Record<string, unknown> = {};
    for (const c of cases) {
      const before = em.stats();
      const { req, outcome } = await render(c.job, c.inputs);
      const create = em.creates().at(-1);
      expect(create?.status).toBe(200);
      sent[c.job.id] = normalised(create?.body);
      expect(outcome.billedSeconds).toBe(c.billed);
      expect(em.stats().billed_seconds - before.billed_seconds).toBe(c.billed);
      expect(em.stats().first_clip_seconds - before.first_clip_seconds).toBe(c.job.carry?.seconds);
      // the download is the whole clip: the carried seconds, then the new ones
      expect((await streamSeconds(tools, req.outFile)).frames).toBe(c.frames);
      expect(c.frames).toBe(c.job.expected.duration * 30);
    }
    // uploads went as oss:// (with the resolve header), never inline
    expect(JSON.stringify(sent)).not.toContain('data:');
    const creates = em.requests().filter((r) => r.method === 'POST' && r.url.endsWith('/video-synthesis'));
    expect(creates.map((r) => r.headers['x-dashscope-ossresourceresolve'])).toEqual(['enable', 'enable', 'enable']);
    await expect(`${JSON.stringify(sent, null, 2)}\n`).toMatchFileSnapshot('fixtures/requests/clip-continuation.json');
  });

  it.each([
    ['short.mp4', /^clip `sea`: its first_clip \(the last 3 s of `launch`\) lasts 1 s: wan2\.7-i2v takes 2 to 10 s$/],
    ['narrow.mp4', /^clip `sea`: its first_clip \(the last 3 s of `launch`\) is 320×200: wan2\.7-i2v takes sides from 240 to 4096 pixels$/],
  ])('a first_clip outside the limits (%s) fails before any upload or create, naming the clip', async (name, message) => {
    const before = { requests: em.requests().length, tasks: em.stats().submitted_tasks };
    const error = await render(jobOf('sea'), { first_clip: await input(name) }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).message).toMatch(message);
    expect((error as BackendError).code).toBe('FirstClipLimits');
    expect(em.requests().length).toBe(before.requests);
    expect(em.stats().submitted_tasks).toBe(before.tasks);
  });

  it('upload mode base64 cannot inline a first_clip: it fails without a create', async () => {
    const before = em.stats().submitted_tasks;
    const error = await render(jobOf('sea'), { first_clip: await input('launch.tail3.mp4') }, 'base64').then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).message).toMatch(/video cannot be sent inline as base64/);
    expect(em.stats().submitted_tasks).toBe(before);
  });

  it('a reconciled task fits a continued clip whether its output seconds count the carried seconds or not', () => {
    const facts = { model: 'wan2.7-i2v', duration: 8, carried: 3 };
    expect(taskMismatch(facts, { usage: { output_video_duration: 8 } })).toBeUndefined();
    expect(taskMismatch(facts, { usage: { output_video_duration: 11 } })).toBeUndefined();
    expect(taskMismatch(facts, { usage: { output_video_duration: 5 } })).toBe('it made 5 s of video, not 8 s');
    expect(taskMismatch({ model: 'wan2.7-i2v', duration: 8 }, { usage: { output_video_duration: 11 } })).toBe('it made 11 s of video, not 8 s');
  });
});
