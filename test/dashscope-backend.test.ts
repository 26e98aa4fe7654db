// The DashScope backend against undici's MockAgent (no real network): request shapes, journal ordering,
// polling, retries, resubmission, uploads, downloads, client-side limits and key hygiene.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockAgent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BackendError, type RenderOutcome, type RenderRequest, type ResolvedInput, type TaskJournal } from '../src/backends/backend.js';
import { createDashscopeBackend, type DashscopeBackendOptions } from '../src/backends/dashscope/dashscope-backend.js';
import { apiUrl, normalizeBaseUrl, type RequestInfo } from '../src/backends/dashscope/dashscope-client.js';
import { redact } from '../src/backends/dashscope/redact.js';
import type { ClipInput, ClipJob } from '../src/compiler/plan/types.js';
import { probeMedia, runFfmpeg } from '../src/media/ffmpeg.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';

const KEY = 'sk-test-SECRET123';
const API = 'https://dashscope.test';
const BASE = `${API}/api/v1`;
const OSS = 'https://oss.test';
const CDN = 'https://cdn.test';
const T2V_PATH = '/api/v1/services/aigc/video-generation/video-synthesis';

let tools: FfmpegTools;
let dir: string;
let mp4: Buffer;
let png: string;
let pngSha: string;
let outCount = 0;

beforeAll(async () => {
  tools = await resolveFfmpeg();
  dir = await mkdtemp(join(tmpdir(), 'storyboard-dashscope-'));
  const video = join(dir, 'tiny.mp4');
  await runFfmpeg(tools, ['-f', 'lavfi', '-i', 'color=c=red:s=64x36:r=30:d=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', video]);
  mp4 = await readFile(video);
  png = join(dir, 'frame.png');
  await runFfmpeg(tools, ['-f', 'lavfi', '-i', 'color=c=blue:s=64x36', '-frames:v', '1', png]);
  pngSha = createHash('sha256').update(await readFile(png)).digest('hex');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// ---- helpers

/** What a MockAgent reply callback sees of the request. */
interface Opts {
  readonly headers?: Headers | Record<string, string>;
  readonly body?: unknown;
}

function headersOf(opts: Opts): Record<string, string> {
  const h = opts.headers;
  const entries = h instanceof Headers ? [...h.entries()] : Object.entries(h ?? {});
  return Object.fromEntries(entries.map(([k, v]) => [k.toLowerCase(), String(v)]));
}

function bodyText(opts: Opts): string {
  const b = opts.body;
  return Buffer.isBuffer(b) ? b.toString('latin1') : typeof b === 'string' ? b : '';
}

function job(over: { model?: string; path?: string; input?: Record<string, unknown>; inputs?: ClipInput[]; prompt?: string } = {}): ClipJob {
  const model = over.model ?? 'wan2.7-t2v';
  return {
    id: 'intro', scene: 'intro', shots: [], at: { line: 3, column: 5 }, model,
    request: { method: 'POST', path: over.path ?? T2V_PATH, body: { model, input: over.input ?? { prompt: over.prompt ?? 'A red fox.' }, parameters: { duration: 5, seed: 42 } } },
    prompt: over.prompt ?? 'A red fox.', seed: { value: 42, source: 'derived' }, inputs: over.inputs ?? [], dependsOn: [],
    expected: { duration: 5, width: 1920, height: 1080, fps: 30, audio: true },
    cost: { usd: 0.75, perSecond: 0.15, resolution: '1080P' },
  };
}

const i2vJob = (): ClipJob => job({
  model: 'wan2.7-i2v',
  input: { prompt: 'The fox runs.', media: [{ type: 'first_frame', url: '$input.first_frame' }] },
  inputs: [{ name: 'first_frame', kind: 'image', from: { file: 'frame.png' }, at: { line: 4, column: 7 } }],
});

interface MemJournal extends TaskJournal {
  readonly records: [string, string][];
}

function memJournal(events: string[] = [], initial: Record<string, string> = {}): MemJournal {
  const tasks = new Map(Object.entries(initial));
  const records: [string, string][] = [];
  return {
    records,
    submitted: (key) => tasks.get(key),
    async record(key, taskId) {
      await new Promise((r) => setTimeout(r, 5));
      tasks.set(key, taskId);
      records.push([key, taskId]);
      events.push(`record ${taskId}`);
    },
  };
}

function harness(opts: Partial<DashscopeBackendOptions> = {}) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const clock = { t: 0 };
  const sleeps: number[] = [];
  const log: (RequestInfo & { t: number })[] = [];
  const events: string[] = [];
  const backend = createDashscopeBackend({
    apiKey: KEY, baseUrl: BASE, dispatcher: agent, now: () => clock.t, random: () => 0,
    // virtual time: a sleep resolves on the next turn of the event loop, moving the clock forward (never back)
    sleep: (ms) => {
      sleeps.push(ms);
      const at = clock.t + ms;
      return new Promise<void>((r) => setImmediate(() => {
        clock.t = Math.max(clock.t, at);
        r();
      }));
    },
    onRequest: (info) => {
      log.push({ ...info, t: clock.t });
      events.push(info.kind);
    },
    ...opts,
  });
  agents.push(agent);
  return { agent, api: agent.get(API), oss: agent.get(OSS), cdn: agent.get(CDN), backend, sleeps, log, events, clock };
}

const agents: MockAgent[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.close()));
});

function renderRequest(j: ClipJob, journal: TaskJournal, inputs: [ClipInput['name'], ResolvedInput][] = [], key = 'key1', progress?: number[]): RenderRequest {
  return {
    job: j, key, inputs: new Map(inputs), outFile: join(dir, `out-${++outCount}.mp4`), ffmpeg: tools, journal,
    signal: new AbortController().signal, ...(progress ? { onProgress: (f: number) => void progress.push(f) } : {}),
  };
}

const created = (id: string) => ({ output: { task_status: 'PENDING', task_id: id }, request_id: `req-${id}` });
const taskState = (id: string, status: string, extra: Record<string, unknown> = {}) => ({ request_id: 'rq', output: { task_id: id, task_status: status, ...extra } });
const videoPath = (id: string) => `/results/${id}.mp4`;
const succeeded = (id: string, extra: Record<string, unknown> = {}) => ({
  request_id: 'rq',
  output: { task_id: id, task_status: 'SUCCEEDED', video_url: `${CDN}${videoPath(id)}?Expires=1700000000&OSSAccessKeyId=LTAI&Signature=abc`, orig_prompt: 'A red fox.', ...extra },
  usage: { duration: 5, output_video_duration: 5, video_count: 1, SR: 1080 },
});

type H = ReturnType<typeof harness>;
const queryPath = (id: string) => `/api/v1/tasks/${id}`;
const mp4Reply = { headers: { 'content-type': 'video/mp4', 'content-length': '0' } };

function serveVideo(h: H, id: string, data: Buffer = mp4, headers: Record<string, string> = {}) {
  return h.cdn.intercept({ path: (p) => p.startsWith(videoPath(id)), method: 'GET' })
    .reply(200, data, { headers: { ...mp4Reply.headers, 'content-length': String(data.length), ...headers } });
}

/** create → id, RUNNING `running` times, SUCCEEDED, video served. */
function happyTask(h: H, id: string, running = 1, path = T2V_PATH) {
  h.api.intercept({ path, method: 'POST' }).reply(200, created(id));
  if (running > 0) h.api.intercept({ path: queryPath(id) }).reply(200, taskState(id, 'RUNNING')).times(running);
  h.api.intercept({ path: queryPath(id) }).reply(200, succeeded(id));
  serveVideo(h, id);
}

/** `GET /tasks` answers these tasks (once). */
function listTasks(h: H, data: Record<string, unknown>[]) {
  h.api.intercept({ path: (p) => p.startsWith('/api/v1/tasks?'), method: 'GET' }).reply(200, { request_id: 'rl', data, total: data.length });
}

async function rejection(p: Promise<unknown>): Promise<BackendError> {
  const e: unknown = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(BackendError);
  return e as BackendError;
}

async function hasVideo(file: string): Promise<boolean> {
  return (await probeMedia(tools, file)).streams.some((s) => s.codecType === 'video');
}

// ---- tests

describe('dashscope backend: basics', () => {
  it('is paid, named dashscope, and takes concurrency from the model registry', () => {
    const { backend } = harness();
    expect(backend.name).toBe('dashscope');
    expect(backend.paid).toBe(true);
    expect(backend.concurrency('wan2.7-t2v')).toBe(5);
    expect(backend.concurrency('wan2.1-kf2v-plus')).toBe(2);
  });

  it('joins plan paths onto the base URL', () => {
    expect(apiUrl('https://dashscope-intl.aliyuncs.com/api/v1/', T2V_PATH)).toBe('https://dashscope-intl.aliyuncs.com/api/v1/services/aigc/video-generation/video-synthesis');
    expect(apiUrl('http://127.0.0.1:9/api/v1', '/tasks/x')).toBe('http://127.0.0.1:9/api/v1/tasks/x');
    expect(normalizeBaseUrl('http://127.0.0.1:9')).toBe('http://127.0.0.1:9/api/v1');
    expect(normalizeBaseUrl('https://ws.ap-southeast-1.maas.aliyuncs.com/api/v1/')).toBe('https://ws.ap-southeast-1.maas.aliyuncs.com/api/v1');
  });

  it('sends the exact create request with placeholders resolved, and returns what the provider said', async () => {
    const h = harness();
    const j = i2vJob();
    const before = JSON.stringify(j.request.body);
    let seen: { headers: Record<string, string>; body: unknown } | undefined;
    h.api.intercept({ path: T2V_PATH, method: 'POST' }).reply((o) => {
      seen = { headers: headersOf(o), body: JSON.parse(bodyText(o)) as unknown };
      return { statusCode: 200, data: created('t1') };
    });
    h.api.intercept({ path: queryPath('t1') }).reply(200, succeeded('t1', { actual_prompt: 'A red fox, cinematic.' }));
    serveVideo(h, 't1');
    const req = renderRequest(j, memJournal(), [['first_frame', { url: 'https://img.test/a.png' }]]);
    const outcome = await h.backend.render(req);
    expect(outcome).toEqual({ taskId: 't1', actualPrompt: 'A red fox, cinematic.', billedSeconds: 5 } satisfies RenderOutcome);
    expect(seen?.headers).toMatchObject({ authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'x-dashscope-async': 'enable' });
    expect(seen?.headers['x-dashscope-ossresourceresolve']).toBeUndefined();
    expect(seen?.body).toEqual({
      model: 'wan2.7-i2v', input: { prompt: 'The fox runs.', media: [{ type: 'first_frame', url: 'https://img.test/a.png' }] }, parameters: { duration: 5, seed: 42 },
    });
    expect(JSON.stringify(j.request.body)).toBe(before); // a deep copy was resolved, not the plan
    expect(await hasVideo(req.outFile)).toBe(true);
    expect(h.log.map((l) => `${l.kind} ${l.url}`)).toEqual([
      `create ${BASE}/services/aigc/video-generation/video-synthesis`, `query ${BASE}/tasks/t1`,
      `download ${CDN}${videoPath('t1')}?Expires=1700000000&OSSAccessKeyId=LTAI&Signature=abc`,
    ]);
  });

  it('records the task in the journal before the first poll', async () => {
    const h = harness();
    happyTask(h, 't1', 2);
    const journal = memJournal(h.events);
    await h.backend.render(renderRequest(job(), journal));
    expect(h.events.slice(0, 3)).toEqual(['create', 'record t1', 'query']);
    expect(journal.records).toEqual([['key1', 't1']]);
  });

  it('collects the journaled task instead of creating a new one', async () => {
    const h = harness();
    h.api.intercept({ path: queryPath('old') }).reply(200, succeeded('old'));
    serveVideo(h, 'old');
    const journal = memJournal([], { key1: 'old' });
    const outcome = await h.backend.render(renderRequest(job(), journal));
    expect(outcome.taskId).toBe('old');
    expect(h.log.map((l) => l.kind)).toEqual(['query', 'download']);
    expect(journal.records).toEqual([]);
  });

  it('polls on the SDK schedule 1, 1, 2, 2, 2, 4, 4, 4, 5 s and reports rising progress', async () => {
    const h = harness();
    happyTask(h, 't1', 9);
    const progress: number[] = [];
    await h.backend.render(renderRequest(job(), memJournal(), [], 'key1', progress));
    expect(h.sleeps).toEqual([1000, 1000, 2000, 2000, 2000, 4000, 4000, 4000, 5000]);
    expect(progress.length).toBeGreaterThan(3);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect(progress[progress.length - 1]).toBe(1);
  });
});

describe('dashscope backend: errors and retries', () => {
  it('retries a 429 Throttling after the Retry-After wait', async () => {
    const h = harness();
    h.api.intercept({ path: T2V_PATH, method: 'POST' })
      .reply(429, { code: 'Throttling.RateQuota', message: 'Requests rate limit exceeded, please try again later.', request_id: 'r' }, { headers: { 'retry-after': '7' } });
    happyTask(h, 't1', 0);
    await h.backend.render(renderRequest(job(), memJournal()));
    expect(h.log.filter((l) => l.kind === 'create')).toHaveLength(2);
    expect(h.sleeps[0]).toBe(7000);
  });

  it('a 500 on create is looked for in the task list, then created again with backoff when the list shows no such task', async () => {
    const h = harness();
    h.api.intercept({ path: T2V_PATH, method: 'POST' }).reply(500, { code: 'InternalError', message: 'oops' });
    listTasks(h, []);
    happyTask(h, 't1', 0);
    const outcome = await h.backend.render(renderRequest(job(), memJournal()));
    expect(outcome.taskId).toBe('t1');
    expect(h.log.filter((l) => l.kind === 'create')).toHaveLength(2);
    expect(h.sleeps[0]).toBe(500); // 1 s ceiling, equal jitter with random() = 0
  });

  it('throws a 400 InvalidParameter at once, without retrying or journaling', async () => {
    const h = harness();
    h.api.intercept({ path: T2V_PATH, method: 'POST' }).reply(400, { code: 'InvalidParameter', message: 'Model not exist.', request_id: 'r9' });
    const journal = memJournal();
    const e = await rejection(h.backend.render(renderRequest(job(), journal)));
    expect(e.code).toBe('InvalidParameter');
    expect(e.keepTask).toBe(false);
    expect(e.message).toMatch(/HTTP 400 InvalidParameter: Model not exist\. \(request id r9\)/);
    expect(h.log).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
    expect(journal.records).toEqual([]);
  });

  it('a task FAILED with DataInspectionFailed is a BackendError that does not keep the task', async () => {
    const h = harness();
    h.api.intercept({ path: T2V_PATH, method: 'POST' }).reply(200, created('t1'));
    h.api.intercept({ path: queryPath('t1') }).reply(200, taskState('t1', 'FAILED', { code: 'DataInspectionFailed', message: 'Input data may contain inappropriate content.' }));
    const e = await rejection(h.backend.render(renderRequest(job(), memJournal())));
    expect(e).toMatchObject({ keepTask: false, code: 'DataInspectionFailed' });
    expect(e.message).toContain('DataInspectionFailed');
    expect(e.message).toContain('Input data may contain inappropriate content.');
    expect(h.log.filter((l) => l.kind === 'create')).toHaveLength(1);
  });

  it('resubmits a task FAILED with InternalError and journals the new task', async () => {
    const h = harness();
    h.api.intercept({ path: T2V_PATH, method: 'POST' }).reply(200, created('t1'));
    h.api.intercept({ path: queryPath('t1') }).reply(200, taskState('t1', 'FAILED', { code: 'InternalError.Timeout', message: 'timeout' }));
    happyTask(h, 't2', 1);
    const journal = memJournal();
    const outcome = await h.backend.render(renderRequest(job(), journal));
    expect(outcome.taskId).toBe('t2');
    expect(journal.records).toEqual([['key1', 't1'], ['key1', 't2']]);
  });

  it('gives up after maxResubmits InternalError failures', async () => {
    const h = harness({ maxResubmits: 1 });
    for (const id of ['t1', 't2']) {
      h.api.intercept({ path: T2V_PATH, method: 'POST' }).reply(200, created(id));
      h.api.intercept({ path: queryPath(id) }).reply(200, taskState(id, 'FAILED', { code: 'InternalError', message: 'boom' }));
    }
    const e = await rejection(h.backend.render(renderRequest(job(), memJournal())));
    expect(e).toMatchObject({ keepTask: false, code: 'InternalError' });
    expect(h.log.filter((l) => l.kind === 'create')).toHaveLength(2);
  });

  it('resubmits a journaled task that came back UNKNOWN (expired)', async () => {
    const h = harness();
    h.api.intercept({ path: queryPath('old') }).reply(200, taskState('old', 'UNKNOWN'));
    listTasks(h, []);
    happyTask(h, 'new', 1);
    const journal = memJournal([], { key1: 'old' });
    const outcome = await h.backend.render(renderRequest(job(), journal));
    expect(outcome.taskId).toBe('new');
    expect(journal.records).toEqual([['key1', 'new']]);
  });

  it('a network outage while polling does not abandon the task: it keeps polling, then collects it', async () => {
    const h = harness({ retries: 3 });
    h.api.intercept({ path: T2V_PATH, method: 'POST' }).reply(200, created('t1'));
    h.api.intercept({ path: queryPath('t1') }).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })).times(9);
    h.api.intercept({ path: queryPath('t1') }).reply(200, succeeded('t1'));
    serveVideo(h, 't1', mp4);
    const journal = memJournal();
    const outcome = await h.backend.render(renderRequest(job(), journal));
    expect(outcome.taskId).toBe('t1');
    expect(h.log.filter((l) => l.kind === 'create')).toHaveLength(1);
    expect(h.log.filter((l) => l.kind === 'query')).toHaveLength(10);
  });

  it('a connection reset during task creation is not sent again: the task found in the task list is collected', async () => {
    const h = harness({ retries: 3 });
    h.api.intercept({ path: T2V_PATH, method: 'POST' }).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    listTasks(h, [{ task_id: 't1', task_status: 'SUCCEEDED', model_name: 'wan2.7-t2v', orig_prompt: 'A red fox.', usage: { duration: 5 } }]);
    h.api.intercept({ path: queryPath('t1') }).reply(200, succeeded('t1'));
    serveVideo(h, 't1');
    const journal = memJournal();
    const outcome = await h.backend.render(renderRequest(job(), journal));
    expect(outcome.taskId).toBe('t1');
    expect(h.log.filter((l) => l.kind === 'create')).toHaveLength(1);
    expect(journal.records).toEqual([['key1', 't1']]);
  });

  it('a refused connection during task creation is retried (nothing was sent)', async () => {
    const h = harness({ retries: 3 });
    h.api.intercept({ path: T2V_PATH, method: 'POST' }).replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    happyTask(h, 't1');
    const outcome = await h.backend.render(renderRequest(job(), memJournal()));
    expect(outcome.taskId).toBe('t1');
  });

  it('a network outage that outlasts the task timeout keeps the task journaled for the next run', async () => {
    const h = harness({ retries: 1, timeoutSeconds: 10, pollSchedule: [4] });
    h.api.intercept({ path: T2V_PATH, method: 'POST' }).reply(200, created('t1'));
    h.api.intercept({ path: queryPath('t1') }).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })).persist();
    const journal = memJournal();
    const e = await rejection(h.backend.render(renderRequest(job(), journal)));
    expect(e.keepTask).toBe(true);
    expect(journal.records).toEqual([['key1', 't1']]);
  });

  it('a task still running after timeoutSeconds keeps the task', async () => {
    const h = harness({ timeoutSeconds: 10, pollSchedule: [4] });
    h.api.intercept({ path: T2V_PATH, method: 'POST' }).reply(200, created('t1'));
    h.api.intercept({ path: queryPath('t1') }).reply(200, taskState('t1', 'RUNNING')).persist();
    const e = await rejection(h.backend.render(renderRequest(job(), memJournal())));
    expect(e).toMatchObject({ keepTask: true, code: 'WaitTaskTimeout' });
  });
});

describe('dashscope backend: download', () => {
  it('downloads the video without an Authorization header', async () => {
    const h = harness();
    let queryHeaders: Record<string, string> = {};
    let downloadHeaders: Record<string, string> | undefined;
    h.api.intercept({ path: T2V_PATH, method: 'POST' }).reply(200, created('t1'));
    h.api.intercept({ path: queryPath('t1') }).reply((o) => ((queryHeaders = headersOf(o)), { statusCode: 200, data: succeeded('t1') }));
    h.cdn.intercept({ path: (p) => p.startsWith(videoPath('t1')) }).reply((o) => {
      downloadHeaders = headersOf(o);
      return { statusCode: 200, data: mp4, responseOptions: { headers: { 'content-type': 'video/mp4', 'content-length': String(mp4.length) } } };
    });
    const req = renderRequest(job(), memJournal());
    await h.backend.render(req);
    expect(queryHeaders.authorization).toBe(`Bearer ${KEY}`);
    expect(downloadHeaders).toBeDefined();
    expect(Object.keys(downloadHeaders ?? {})).not.toContain('authorization');
    expect(JSON.stringify(downloadHeaders)).not.toContain('SECRET123');
    expect((await stat(req.outFile)).size).toBe(mp4.length);
  });

  it('downloads again when the first download is truncated (content-length mismatch)', async () => {
    const h = harness();
    h.api.intercept({ path: T2V_PATH, method: 'POST' }).reply(200, created('t1'));
    h.api.intercept({ path: queryPath('t1') }).reply(200, succeeded('t1'));
    serveVideo(h, 't1', mp4.subarray(0, Math.floor(mp4.length / 2)), { 'content-length': String(mp4.length) });
    serveVideo(h, 't1');
    const req = renderRequest(job(), memJournal());
    await h.backend.render(req);
    expect(h.log.filter((l) => l.kind === 'download')).toHaveLength(2);
    expect(await hasVideo(req.outFile)).toBe(true);
  });

  it('downloads again when the file is not a playable video, then gives up keeping the task', async () => {
    const h = harness();
    h.api.intercept({ path: queryPath('t1') }).reply(200, succeeded('t1'));
    const junk = Buffer.from('this is not an mp4 file at all');
    serveVideo(h, 't1', junk).times(5);
    const e = await rejection(h.backend.render(renderRequest(job(), memJournal([], { key1: 't1' }))));
    expect(e).toMatchObject({ keepTask: true, code: 'DownloadFailed' });
    expect(h.log.filter((l) => l.kind === 'download')).toHaveLength(5);
  });
});

describe('dashscope backend: local inputs', () => {
  const policyData = (dirName: string) => ({
    request_id: 'rp',
    data: {
      policy: 'eyJwb2xpY3kiOjF9', signature: 'c2ln', upload_dir: `dashscope-instant/abc/${dirName}`, upload_host: OSS,
      expire_in_seconds: 300, max_file_size_mb: 100, capacity_limit_mb: 999999999, oss_access_key_id: 'LTAIxyz',
      x_oss_object_acl: 'private', x_oss_forbid_overwrite: 'true',
    },
  });
  const policyPath = { path: '/api/v1/uploads', query: { action: 'getPolicy', model: 'wan2.7-i2v' } };

  it('uploads a local frame (getPolicy → multipart with file last) and sends oss:// with the resolve header', async () => {
    const h = harness({ uploadMode: 'oss' });
    let policyHeaders: Record<string, string> = {};
    let upload: { headers: Record<string, string>; body: string } | undefined;
    let create: { headers: Record<string, string>; body: { input: { media: { url: string }[] } } } | undefined;
    h.api.intercept(policyPath).reply((o) => ((policyHeaders = headersOf(o)), { statusCode: 200, data: policyData('d1') }));
    h.oss.intercept({ path: '/', method: 'POST' }).reply((o) => ((upload = { headers: headersOf(o), body: bodyText(o) }), { statusCode: 200, data: '' }));
    h.api.intercept({ path: T2V_PATH, method: 'POST' }).reply((o) => {
      create = { headers: headersOf(o), body: JSON.parse(bodyText(o)) as { input: { media: { url: string }[] } } };
      return { statusCode: 200, data: created('t1') };
    });
    h.api.intercept({ path: queryPath('t1') }).reply(200, succeeded('t1'));
    serveVideo(h, 't1');
    await h.backend.render(renderRequest(i2vJob(), memJournal(), [['first_frame', { file: png, sha256: pngSha }]]));

    expect(policyHeaders.authorization).toBe(`Bearer ${KEY}`);
    expect(upload?.headers.authorization).toBeUndefined();
    expect(upload?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const body = upload?.body ?? '';
    expect(body).not.toContain('SECRET123');
    const names = [...body.matchAll(/; name="([^"]+)"/g)].map((m) => m[1]);
    expect(names).toEqual(['OSSAccessKeyId', 'policy', 'Signature', 'key', 'x-oss-object-acl', 'x-oss-forbid-overwrite', 'success_action_status', 'x-oss-content-type', 'file']);
    const field = (n: string) => new RegExp(`name="${n}"\\r\\n\\r\\n([^\\r]*)\\r\\n`).exec(body)?.[1];
    expect(field('key')).toBe('dashscope-instant/abc/d1/frame.png');
    expect(field('OSSAccessKeyId')).toBe('LTAIxyz');
    expect(field('success_action_status')).toBe('200');
    expect(field('x-oss-content-type')).toBe('image/png');
    expect(body).toContain('filename="frame.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG');
    expect(create?.headers['x-dashscope-ossresourceresolve']).toBe('enable');
    expect(create?.body.input.media[0]?.url).toBe('oss://dashscope-instant/abc/d1/frame.png');
  });

  it('reuses an upload of the same content, also from the cache file in a later run', async () => {
    const cacheFile = join(dir, 'uploads', 'upload-cache.json');
    const h = harness({ uploadMode: 'oss', uploadCacheFile: cacheFile });
    h.api.intercept(policyPath).reply(200, policyData('d2'));
    h.oss.intercept({ path: '/', method: 'POST' }).reply(200, '');
    happyTask(h, 't1', 0);
    happyTask(h, 't2', 0);
    const frame = (): [ClipInput['name'], ResolvedInput][] => [['first_frame', { file: png, sha256: pngSha }]];
    await h.backend.render(renderRequest(i2vJob(), memJournal(), frame(), 'a'));
    await h.backend.render(renderRequest(i2vJob(), memJournal(), frame(), 'b'));
    expect(h.log.filter((l) => l.kind === 'policy' || l.kind === 'upload')).toHaveLength(2);
    const saved = await readFile(cacheFile, 'utf8');
    expect(saved).toContain('oss://dashscope-instant/abc/d2/frame.png');
    expect(saved).not.toContain('SECRET123');

    const later = harness({ uploadMode: 'oss', uploadCacheFile: cacheFile });
    let url: string | undefined;
    later.api.intercept({ path: T2V_PATH, method: 'POST' }).reply((o) => {
      url = (JSON.parse(bodyText(o)) as { input: { media: { url: string }[] } }).input.media[0]?.url;
      return { statusCode: 200, data: created('t3') };
    });
    later.api.intercept({ path: queryPath('t3') }).reply(200, succeeded('t3'));
    serveVideo(later, 't3');
    await later.backend.render(renderRequest(i2vJob(), memJournal(), frame(), 'c'));
    expect(later.log.map((l) => l.kind)).toEqual(['create', 'query', 'download']);
    expect(url).toBe('oss://dashscope-instant/abc/d2/frame.png');
  });

  it('falls back to a base64 data URI for images when getPolicy fails (auto mode)', async () => {
    const h = harness({ uploadMode: 'auto' });
    h.api.intercept(policyPath).reply(403, { code: 'AccessDenied', message: 'uploads are not available in this region' });
    let create: { headers: Record<string, string>; url: string | undefined } | undefined;
    h.api.intercept({ path: T2V_PATH, method: 'POST' }).reply((o) => {
      create = { headers: headersOf(o), url: (JSON.parse(bodyText(o)) as { input: { media: { url: string }[] } }).input.media[0]?.url };
      return { statusCode: 200, data: created('t1') };
    });
    h.api.intercept({ path: queryPath('t1') }).reply(200, succeeded('t1'));
    serveVideo(h, 't1');
    await h.backend.render(renderRequest(i2vJob(), memJournal(), [['first_frame', { file: png, sha256: pngSha }]]));
    expect(create?.url).toBe(`data:image/png;base64,${(await readFile(png)).toString('base64')}`);
    expect(create?.headers['x-dashscope-ossresourceresolve']).toBeUndefined();
    expect(h.log.filter((l) => l.kind === 'upload')).toHaveLength(0);
  });

  it('audio cannot be inlined as base64', async () => {
    const audio = join(dir, 'voice.mp3');
    await writeFile(audio, Buffer.from('ID3fake'));
    const h = harness({ uploadMode: 'base64' });
    const j = job({ input: { prompt: 'x', audio_url: '$input.audio' }, inputs: [{ name: 'audio', kind: 'audio', from: { file: 'voice.mp3' }, at: { line: 1, column: 1 } }] });
    const e = await rejection(h.backend.render(renderRequest(j, memJournal(), [['audio', { file: audio, sha256: 'x' }]])));
    expect(e.message).toMatch(/audio cannot be sent inline/);
    expect(h.log).toEqual([]);
  });
});

describe('dashscope backend: client-side limits', () => {
  it('never sends more than 20 task queries in any second across 30 concurrent polls', async () => {
    const h = harness({ pollSchedule: [1] });
    const initial: Record<string, string> = {};
    for (let i = 0; i < 30; i++) {
      initial[`k${i}`] = `t${i}`;
      h.api.intercept({ path: queryPath(`t${i}`) }).reply(200, taskState(`t${i}`, 'RUNNING')).times(3);
      h.api.intercept({ path: queryPath(`t${i}`) }).reply(200, taskState(`t${i}`, 'FAILED', { code: 'DataInspectionFailed', message: 'no' }));
    }
    const journal = memJournal([], initial);
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => h.backend.render(renderRequest(job(), journal, [], `k${i}`))));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    const times = h.log.filter((l) => l.kind === 'query').map((l) => l.t).sort((a, b) => a - b);
    expect(times).toHaveLength(120);
    for (let i = 0; i + 20 < times.length; i++) expect((times[i + 20] ?? 0) - (times[i] ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(times.filter((t) => t === 0)).toHaveLength(20); // the first 20 go at once, the rest wait
  });

  it('submits at most limits.rps tasks per second per model', async () => {
    const h = harness();
    for (let i = 0; i < 4; i++) {
      h.api.intercept({ path: '/api/v1/services/aigc/image2video/video-synthesis', method: 'POST' }).reply(200, created(`t${i}`));
      h.api.intercept({ path: queryPath(`t${i}`) }).reply(200, taskState(`t${i}`, 'CANCELED'));
    }
    const kf = job({ model: 'wan2.1-kf2v-plus', path: '/api/v1/services/aigc/image2video/video-synthesis' });
    await Promise.allSettled(Array.from({ length: 4 }, (_, i) => h.backend.render(renderRequest(kf, memJournal(), [], `k${i}`))));
    const times = h.log.filter((l) => l.kind === 'create').map((l) => l.t);
    expect(times).toHaveLength(4);
    for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(1000); // wan2.1-kf2v-plus: 1 RPS
  });
});

describe('dashscope backend: key hygiene', () => {
  it('redacts sk- tokens and Authorization values', () => {
    expect(redact('Authorization: Bearer sk-abc123 and "authorization":"Bearer sk-x" and sk-ws-zz')).not.toMatch(/abc123|sk-x|zz/);
    expect(redact('key=my-custom-secret', ['my-custom-secret'])).toBe('key=***');
  });

  it('the API key never appears in a thrown error', async () => {
    const messages: string[] = [];
    const run = async (setup: (h: H) => void, opts: Partial<DashscopeBackendOptions> = {}, inputs: [ClipInput['name'], ResolvedInput][] = [], j = job()) => {
      const h = harness({ retries: 1, ...opts });
      setup(h);
      const e = await rejection(h.backend.render(renderRequest(j, memJournal(), inputs)));
      messages.push(e.message, String(e.stack), JSON.stringify(e));
      expect(JSON.stringify(h.log)).not.toContain('SECRET123');
    };
    await run((h) => void h.api.intercept({ path: T2V_PATH, method: 'POST' }).reply(401, { code: 'InvalidApiKey', message: `Invalid API-key provided: ${KEY}` }));
    await run((h) => void h.api.intercept({ path: T2V_PATH, method: 'POST' })
      .replyWithError(Object.assign(new Error(`connect failed; request had Authorization: Bearer ${KEY}`), { code: 'ECONNREFUSED' })).times(2));
    await run((h) => {
      h.api.intercept({ path: T2V_PATH, method: 'POST' }).reply(200, created('t1'));
      h.api.intercept({ path: queryPath('t1') }).reply(500, `<html>upstream saw header authorization=Bearer ${KEY}</html>`).times(2);
    });
    await run((h) => {
      h.api.intercept({ path: T2V_PATH, method: 'POST' }).reply(200, created('t1'));
      h.api.intercept({ path: queryPath('t1') }).reply(200, taskState('t1', 'FAILED', { code: 'InvalidParameter', message: `bad key ${KEY}` }));
    });
    await run((h) => void h.api.intercept({ path: '/api/v1/uploads', query: { action: 'getPolicy', model: 'wan2.7-i2v' } })
      .reply(401, { code: 'InvalidApiKey', message: `Invalid API-key provided: ${KEY}` }), { uploadMode: 'oss' }, [['first_frame', { file: png, sha256: pngSha }]], i2vJob());
    expect(messages).toHaveLength(15);
    for (const m of messages) expect(m).not.toContain('SECRET123');
  });
});
