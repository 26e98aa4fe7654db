// Reference-to-video clips through the DashScope backend against a fake DashScope on loopback: every reference
// placeholder (media url and reference_voice, reference_urls) reaches the wire, local images, voices and videos are
// uploaded (never inlined), the OSS resolve header is sent, and the seconds billed are what usage says.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BackendError, type RenderRequest, type ResolvedInput, type TaskJournal } from '../src/backends/backend.js';
import { createDashscopeBackend, type DashscopeBackendOptions } from '../src/backends/dashscope/dashscope-backend.js';
import type { ClipInput, ClipJob, ClipRequest } from '../src/compiler/plan/types.js';
import { probeMedia, runFfmpeg } from '../src/media/ffmpeg.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { startFakeDashscope, type FakeDashscope, type FakeResult } from './helpers/fake-dashscope.js';

const KEY = 'sk-test-REFSECRET7';
const R2V_PATH = '/api/v1/services/aigc/video-generation/video-synthesis';

let tools: FfmpegTools;
let dir: string;
let refPng: string;
let voice: string;
let moves: string;
let outCount = 0;
const fakes: FakeDashscope[] = [];

beforeAll(async () => {
  tools = await resolveFfmpeg();
  dir = await mkdtemp(join(tmpdir(), 'storyboard-r2v-'));
  refPng = join(dir, 'ref.png');
  voice = join(dir, 'voice.wav');
  moves = join(dir, 'moves.mp4');
  await runFfmpeg(tools, ['-f', 'lavfi', '-i', 'color=c=orange:s=320x240', '-frames:v', '1', refPng]);
  await runFfmpeg(tools, ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', voice]);
  await runFfmpeg(tools, ['-f', 'lavfi', '-i', 'color=c=red:s=64x36:r=30:d=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', moves]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function fake(usage: Record<string, unknown>, policyStatus?: number): Promise<FakeDashscope> {
  const result = (): FakeResult => ({ output: { orig_prompt: 'Image 1 steps off the train. Video 1 waves.', video_url: f.fileUrl('moves.mp4') }, usage });
  const f = await startFakeDashscope({ result, ...(policyStatus ? { policyStatus } : {}) });
  f.files.set('moves.mp4', { data: await readFile(moves), type: 'video/mp4' });
  fakes.push(f);
  return f;
}

const backendFor = (f: FakeDashscope, opts: Partial<DashscopeBackendOptions> = {}) =>
  createDashscopeBackend({ apiKey: KEY, baseUrl: f.url, sleep: async () => undefined, pollSchedule: [0], random: () => 0, uploadMode: 'auto', ...opts });

const journal = (): TaskJournal => {
  const tasks = new Map<string, string>();
  return { submitted: (k) => tasks.get(k), record: async (k, t) => void tasks.set(k, t), recordMaybe: async () => undefined };
};

const at = { line: 12, column: 5 };
const input = (name: string, kind: ClipInput['kind'], file: string): ClipInput => ({ name, kind, from: { file }, at });

function r2vJob(body: ClipRequest['body'], inputs: ClipInput[]): ClipJob {
  return {
    id: 'arrival', scene: 'arrival', shots: [], at, model: body.model, request: { method: 'POST', path: R2V_PATH, body },
    prompt: String(body.input.prompt), seed: { value: 123, source: 'explicit' }, inputs, dependsOn: [],
    expected: { duration: 5, width: 1280, height: 720, fps: 30, audio: true }, cost: { usd: 0.5, perSecond: 0.1, resolution: '720P' },
    references: [{ character: 'mara', label: 'Image 1', kind: 'image', input: 'ref1', voice: 'ref1_voice' }],
  };
}

function renderRequest(job: ClipJob, inputs: [string, ResolvedInput][]): RenderRequest {
  return { job, key: 'cd34ef5678901234', inputs: new Map(inputs), outFile: join(dir, `clip-${++outCount}.mp4`), ffmpeg: tools, journal: journal(), signal: new AbortController().signal };
}

const local = (file: string): ResolvedInput => ({ file, sha256: file });
const create = (f: FakeDashscope) => f.received.find((r) => r.method === 'POST' && r.url === R2V_PATH);
const uploads = (f: FakeDashscope) => f.received.filter((r) => r.url === '/oss').map((r) => {
  const field = (n: string) => new RegExp(`name="${n}"\\r\\n\\r\\n([^\\r]*)\\r\\n`).exec(r.body.toString('latin1'))?.[1];
  return `${field('key') ?? '?'} ${field('x-oss-content-type') ?? '?'}`;
});

describe('dashscope r2v clips: references on the wire', () => {
  it('wan2.7-r2v: reference image, its voice and a reference video are uploaded into media[]; OssResourceResolve sent; billed input + output seconds', async () => {
    const f = await fake({ duration: 10, input_video_duration: 5, output_video_duration: 5, video_count: 1, SR: 720, ratio: '16:9' });
    const body = {
      model: 'wan2.7-r2v',
      input: {
        prompt: 'Image 1 steps off the train. Video 1 waves.',
        media: [
          { type: 'reference_image', url: '$input.ref1', reference_voice: '$input.ref1_voice' },
          { type: 'reference_video', url: '$input.ref2' },
          { type: 'first_frame', url: '$input.first_frame' },
        ],
      },
      parameters: { resolution: '720P', ratio: '16:9', duration: 5, seed: 123 },
    };
    const job = r2vJob(body, [input('ref1', 'image', 'ref.png'), input('ref1_voice', 'audio', 'voice.wav'), input('ref2', 'video', 'moves.mp4'), input('first_frame', 'image', 'start.png')]);
    const req = renderRequest(job, [['ref1', local(refPng)], ['ref1_voice', local(voice)], ['ref2', local(moves)], ['first_frame', { url: 'https://img.test/start.png' }]]);
    const outcome = await backendFor(f).render(req);
    expect(outcome).toMatchObject({ taskId: 'task-1', billedSeconds: 10 });
    const sent = create(f);
    expect(sent?.headers).toMatchObject({ 'x-dashscope-async': 'enable', 'x-dashscope-ossresourceresolve': 'enable', authorization: `Bearer ${KEY}` });
    const oss = 'oss://dashscope-instant/fake/wan2.7-r2v';
    expect(JSON.parse(sent?.body.toString('utf8') ?? '')).toEqual({
      ...body,
      input: {
        ...body.input,
        media: [
          { type: 'reference_image', url: `${oss}/ref.png`, reference_voice: `${oss}/voice.wav` },
          { type: 'reference_video', url: `${oss}/moves.mp4` },
          { type: 'first_frame', url: 'https://img.test/start.png' },
        ],
      },
    });
    expect(uploads(f).sort()).toEqual([
      'dashscope-instant/fake/wan2.7-r2v/moves.mp4 video/mp4', 'dashscope-instant/fake/wan2.7-r2v/ref.png image/png', 'dashscope-instant/fake/wan2.7-r2v/voice.wav audio/wav',
    ]);
    expect((await probeMedia(tools, req.outFile)).streams.some((s) => s.codecType === 'video')).toBe(true);
  });

  it('wan2.6-r2v: reference_urls carry a URL and an uploaded video; seconds billed are output plus input video seconds', async () => {
    const f = await fake({ input_video_duration: 3, output_video_duration: 5, video_count: 1, SR: 720, size: '1280*720' });
    const body = { model: 'wan2.6-r2v', input: { prompt: 'character1 and character2 shake hands', reference_urls: ['$input.ref1', '$input.ref2'] }, parameters: { size: '1280*720', duration: 5, seed: 1 } };
    const job = r2vJob(body, [input('ref1', 'image', 'https://img.test/mara.png'), input('ref2', 'video', 'moves.mp4')]);
    const outcome = await backendFor(f).render(renderRequest(job, [['ref1', { url: 'https://img.test/mara.png' }], ['ref2', local(moves)]]));
    expect(outcome.billedSeconds).toBe(8);
    const sent = create(f);
    expect(sent?.headers['x-dashscope-ossresourceresolve']).toBe('enable');
    expect(JSON.parse(sent?.body.toString('utf8') ?? '')).toEqual({
      ...body, input: { ...body.input, reference_urls: ['https://img.test/mara.png', 'oss://dashscope-instant/fake/wan2.6-r2v/moves.mp4'] },
    });
  });

  it('auto upload mode never inlines a reference video or voice: when uploads are unavailable the clip fails before any create', async () => {
    for (const [name, kind, file] of [['ref2', 'video', moves], ['ref1_voice', 'audio', voice]] as const) {
      const f = await fake({ duration: 5 }, 403);
      const body = { model: 'wan2.7-r2v', input: { prompt: 'Video 1 waves.', media: [{ type: 'reference_video', url: `$input.${name}` }] }, parameters: { duration: 5 } };
      const e: unknown = await backendFor(f).render(renderRequest(r2vJob(body, [input(name, kind, 'x')]), [[name, local(file)]])).then(() => undefined, (x: unknown) => x);
      expect(e).toBeInstanceOf(BackendError);
      expect((e as BackendError).message).toMatch(/could not upload .* to DashScope's temporary storage/);
      expect(create(f)).toBeUndefined();
      expect(JSON.stringify(f.received.map((r) => r.body.toString('latin1')))).not.toContain('base64');
    }
  });
});
