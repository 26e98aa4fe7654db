import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatedJob, type Emulator, type EmulatorOptions } from '../src/backends/emulator/emulator-server.js';
import { parseFaults } from '../src/backends/emulator/faults.js';
import { MultipartError, parseMultipart } from '../src/backends/emulator/multipart.js';
import { resolveFfmpeg } from '../src/media/ffmpeg-binaries.js';
import { probeMedia } from '../src/media/ffmpeg.js';

const KEY = 'sk-test-emulator';
const T2V = '/services/aigc/video-generation/video-synthesis';
const KF2V = '/services/aigc/image2video/video-synthesis';
const PNG = 'data:image/png;base64,iVBORw0KGgo=';
const TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const running: Emulator[] = [];
const rendered: EmulatedJob[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
  rendered.length = 0;
});

/** A fast fake render: writes a few bytes naming the task. */
const fakeRender = async (job: EmulatedJob, out: string): Promise<void> => {
  rendered.push(job);
  await writeFile(out, `video of ${job.taskId}`);
};

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  const em = await startEmulator({ latency: 0.2, pendingDelay: 0.05, render: fakeRender, queryRps: 1000, ...options });
  running.push(em);
  return em;
}

interface CallOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  key?: string | null;
  async?: boolean;
}

async function call(em: Emulator, path: string, o: CallOptions = {}): Promise<{ status: number; json: Json; headers: Headers }> {
  const headers: Record<string, string> = { ...(o.key === null ? {} : { Authorization: `Bearer ${o.key ?? KEY}` }), ...o.headers };
  if (o.body !== undefined) headers['Content-Type'] = 'application/json';
  if (o.body !== undefined && o.async !== false) headers['X-DashScope-Async'] = 'enable';
  const res = await fetch(`${em.baseUrl}${path}`, {
    method: o.method ?? (o.body !== undefined ? 'POST' : 'GET'), headers,
    body: o.body === undefined ? undefined : JSON.stringify(o.body),
  });
  return { status: res.status, json: (await res.json()) as Json, headers: res.headers };
}

const t2v27 = (extra: Json = {}, params: Json = {}): Json => ({
  model: 'wan2.7-t2v', input: { prompt: 'A cat on a roof at dusk', ...extra }, parameters: { resolution: '720P', ratio: '9:16', duration: 3, ...params },
});

async function create(em: Emulator, body: Json, path = T2V, headers: Record<string, string> = {}): Promise<string> {
  const r = await call(em, path, { body, headers });
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  expect(r.json.output.task_status).toBe('PENDING');
  return r.json.output.task_id as string;
}

/** Polls a task until it is finished; returns the last response and every status seen. */
async function settle(em: Emulator, id: string, timeoutMs = 5000): Promise<{ json: Json; seen: string[] }> {
  const seen: string[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await call(em, `/tasks/${id}`);
    expect(r.status).toBe(200);
    const status = r.json.output.task_status as string;
    if (seen[seen.length - 1] !== status) seen.push(status);
    if (['SUCCEEDED', 'FAILED', 'CANCELED', 'UNKNOWN'].includes(status)) return { json: r.json, seen };
    if (Date.now() > deadline) throw new Error(`task ${id} still ${status}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

describe('protocol errors', () => {
  it('requires a valid API key', async () => {
    const em = await start();
    const none = await call(em, T2V, { body: t2v27(), key: null });
    expect(none.status).toBe(401);
    expect(none.json).toMatchObject({ code: 'InvalidApiKey', message: 'No API-key provided.' });
    expect(typeof none.json.request_id).toBe('string');
    const bad = await call(em, '/tasks/x', { key: 'not-a-key' });
    expect(bad.json).toMatchObject({ code: 'InvalidApiKey', message: 'Invalid API-key provided.' });
    const fixed = await start({ apiKey: 'sk-only-this' });
    expect((await call(fixed, '/tasks/x', { key: 'sk-other' })).status).toBe(401);
    expect((await call(fixed, '/tasks/x', { key: 'sk-only-this' })).status).toBe(200);
  });

  it('rejects synchronous calls, unknown models and the wrong path', async () => {
    const em = await start();
    const sync = await call(em, T2V, { body: t2v27(), async: false });
    expect(sync.status).toBe(403);
    expect(sync.json).toMatchObject({ code: 'AccessDenied', message: 'current user api does not support synchronous calls' });
    const unknown = await call(em, T2V, { body: { ...t2v27(), model: 'wan9-t2v' } });
    expect([unknown.status, unknown.json.code, unknown.json.message]).toEqual([400, 'InvalidParameter', 'Model not exist.']);
    const kf = { model: 'wan2.2-kf2v-flash', input: { first_frame_url: PNG, last_frame_url: PNG }, parameters: {} };
    for (const [path, body] of [[T2V, kf], [KF2V, t2v27()]] as const) {
      const r = await call(em, path, { body });
      expect([r.status, r.json.code, r.json.message]).toEqual([400, 'InvalidParameter', 'url error, please check url!']);
    }
    expect(em.stats().submitted_tasks).toBe(0);
  });

  it('answers UNKNOWN for an unknown task id', async () => {
    const em = await start();
    const r = await call(em, '/tasks/0385dc79-5ff8-4d82-bcb6-000000000000');
    expect(r.status).toBe(200);
    expect(r.json.output).toEqual({ task_id: '0385dc79-5ff8-4d82-bcb6-000000000000', task_status: 'UNKNOWN' });
  });
});

describe('task lifecycle', () => {
  it('runs a wan2.7 task PENDING → RUNNING → SUCCEEDED with wan2.7 usage', async () => {
    const em = await start({ latency: 0.3 });
    const id = await create(em, t2v27());
    const { json, seen } = await settle(em, id);
    expect(seen).toEqual(['PENDING', 'RUNNING', 'SUCCEEDED'].slice(seen[0] === 'PENDING' ? 0 : 1));
    expect(seen).toContain('RUNNING');
    const o = json.output;
    for (const t of ['submit_time', 'scheduled_time', 'end_time']) expect(o[t]).toMatch(TIME);
    expect(o.orig_prompt).toBe('A cat on a roof at dusk');
    expect(o.actual_prompt).toBeUndefined();
    expect(o.video_url).toMatch(/\/files\/.+\.mp4\?Expires=\d+&OSSAccessKeyId=.+&Signature=/);
    expect(json.usage).toEqual({ duration: 3, input_video_duration: 0, output_video_duration: 3, video_count: 1, SR: 720, ratio: '9:16' });
    expect(rendered[0]).toMatchObject({ taskId: id, model: 'wan2.7-t2v', duration: 3, width: 720, height: 1280, audio: true });
  });

  it('fills wan2.6, wan2.5 and kf2v usage and actual_prompt as the reference shows', async () => {
    const em = await start();
    const id26 = await create(em, { model: 'wan2.6-t2v', input: { prompt: 'p' }, parameters: { size: '1280*720', duration: 4 } });
    const id25 = await create(em, { model: 'wan2.5-t2v-preview', input: { prompt: 'p' }, parameters: { size: '832*480' } });
    const idKf = await create(em, { model: 'wan2.2-kf2v-flash', input: { first_frame_url: PNG, last_frame_url: 'https://x.test/l.png' }, parameters: { resolution: '480P' } }, KF2V);
    const [r26, r25, rKf] = await Promise.all([settle(em, id26), settle(em, id25), settle(em, idKf)]);
    expect(r26.json.usage).toEqual({ duration: 4, size: '1280*720', input_video_duration: 0, output_video_duration: 4, video_count: 1, SR: 720 });
    expect(r26.json.output.actual_prompt).toBeUndefined();
    expect(r25.json.usage).toEqual({ video_count: 1, video_duration: 5, video_ratio: '832*480' });
    expect(r25.json.output.actual_prompt).toMatch(/^p .+/);
    expect(rKf.json.usage).toEqual({ video_duration: 5, video_count: 1, SR: 480 });
    expect(rendered.find((j) => j.taskId === idKf)).toMatchObject({ width: 832, height: 480, audio: false, duration: 5 });
  });

  it('accepts bad parameters, then fails the task with InvalidParameter', async () => {
    const em = await start();
    const bad = await create(em, t2v27({}, { duration: 42 }));
    const noPrompt = await create(em, { model: 'wan2.7-t2v', input: {}, parameters: {} });
    const r1 = await settle(em, bad);
    expect(r1.json.output).toMatchObject({ task_status: 'FAILED', code: 'InvalidParameter' });
    expect(r1.json.output.message).toContain('duration');
    expect((await settle(em, noPrompt)).json.output).toMatchObject({ code: 'InvalidParameter', message: 'Field required: input.prompt' });
    expect(rendered).toHaveLength(0);
  });

  it('fails a [[moderation]] prompt with DataInspectionFailed', async () => {
    const em = await start();
    const id = await create(em, t2v27({ prompt: 'a fight [[moderation]]' }));
    const { json } = await settle(em, id);
    expect(json.output).toMatchObject({ task_status: 'FAILED', code: 'DataInspectionFailed' });
    expect(json.usage).toBeUndefined();
  });

  it('queues tasks beyond the model concurrency in PENDING, FIFO', async () => {
    const em = await start({ latency: 0.4, submitRps: 100 });
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(await create(em, t2v27({ prompt: `task ${i}` })));
    let maxRunning = 0;
    for (let done = 0; done < 7; ) {
      const list = await call(em, '/tasks?page_size=100&model_name=wan2.7-t2v');
      expect(list.json).toMatchObject({ total: 7, page_no: 1, page_size: 100 });
      const statuses = (list.json.data as Json[]).map((t) => t.task_status as string);
      maxRunning = Math.max(maxRunning, statuses.filter((s) => s === 'RUNNING').length);
      done = statuses.filter((s) => s === 'SUCCEEDED').length;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(maxRunning).toBeLessThanOrEqual(5);
    expect(em.stats().max_running).toEqual({ 'wan2.7-t2v': 5 });
    expect(rendered.map((j) => j.taskId).slice(0, 5).sort()).toEqual(ids.slice(0, 5).sort());
  });

  it('cancels a PENDING task but not a RUNNING one', async () => {
    const em = await start({ latency: 1, pendingDelay: 0.5 });
    const a = await create(em, t2v27());
    const ok = await call(em, `/tasks/${a}/cancel`, { method: 'POST' });
    expect(ok.status).toBe(200);
    expect((await call(em, `/tasks/${a}`)).json.output).toMatchObject({ task_status: 'CANCELED', end_time: expect.stringMatching(TIME) });
    const b = await create(em, t2v27());
    while ((await call(em, `/tasks/${b}`)).json.output.task_status !== 'RUNNING') await new Promise((r) => setTimeout(r, 30));
    const no = await call(em, `/tasks/${b}/cancel`, { method: 'POST' });
    expect([no.status, no.json.code, no.json.message]).toEqual([400, 'UnsupportedOperation', 'please confirm if the task is in PENDING status']);
    expect(em.stats().canceled).toBe(1);
  });
});

describe('rate limits', () => {
  it('answers 429 beyond the model submission RPS', async () => {
    const em = await start();
    const body = { model: 'wan2.1-t2v-turbo', input: { prompt: 'p' }, parameters: {} };
    const results = await Promise.all(Array.from({ length: 10 }, () => call(em, T2V, { body })));
    const limited = results.filter((r) => r.status === 429);
    expect(results.filter((r) => r.status === 200)).toHaveLength(2);
    expect(limited).toHaveLength(8);
    expect(limited[0]?.json).toMatchObject({ code: 'Throttling.RateQuota', message: 'Requests rate limit exceeded, please try again later.' });
    expect(limited[0]?.headers.get('retry-after')).toBe('1');
    expect(em.stats()).toMatchObject({ submitted_tasks: 2, throttled: 8 });
  });

  it('limits task queries to 20 per second and reports the peak rate', async () => {
    const em = await start({ queryRps: undefined });
    const results = await Promise.all(Array.from({ length: 30 }, () => call(em, '/tasks/nope')));
    expect(results.filter((r) => r.status === 200)).toHaveLength(20);
    expect(results.filter((r) => r.status === 429)).toHaveLength(10);
    expect(em.stats()).toMatchObject({ queries: 20, throttled: 10, peak_query_rate: 30 });
  });
});

describe('result download', () => {
  it('serves video_url without Authorization only, until it expires', async () => {
    let offset = 0;
    const em = await start({ now: () => Date.now() + offset });
    const id = await create(em, t2v27());
    const url = (await settle(em, id)).json.output.video_url as string;
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe(`video of ${id}`);
    const withAuth = await fetch(url, { headers: { Authorization: `Bearer ${KEY}` } });
    expect(withAuth.status).toBe(403);
    expect(await withAuth.text()).toContain('<Code>AccessDenied</Code>');
    expect((await fetch(url.replace(/Signature=[^&]+/, 'Signature=forged'))).status).toBe(403);
    offset = 25 * 3600 * 1000;
    expect((await fetch(url)).status).toBe(403);
    expect((await call(em, `/tasks/${id}`)).json.output.task_status).toBe('UNKNOWN');
    expect(em.stats().downloads).toBe(1);
  });

  it('scales emulated time with timeScale', async () => {
    const em = await start({ timeScale: 3600, latency: 0.3 });
    const { json } = await settle(em, await create(em, t2v27()));
    const ms = (t: string): number => Date.parse(`${t.replace(' ', 'T')}Z`);
    expect(ms(json.output.end_time) - ms(json.output.submit_time)).toBeGreaterThan(0.3 * 3600 * 1000);
  });

  it('renders a real MP4 of the right duration and size by default', async () => {
    const ffmpeg = await resolveFfmpeg();
    const em = await start({ render: undefined, ffmpeg, latency: 0.1 });
    const id = await create(em, t2v27({}, { ratio: '16:9', duration: 2 }));
    const { json } = await settle(em, id, 20_000);
    expect(json.output.task_status).toBe('SUCCEEDED');
    const dir = await mkdtemp(join(tmpdir(), 'emu-test-'));
    try {
      const file = join(dir, 'out.mp4');
      await writeFile(file, Buffer.from(await (await fetch(json.output.video_url as string)).arrayBuffer()));
      const info = await probeMedia(ffmpeg, file);
      const video = info.streams.find((s) => s.codecType === 'video');
      expect(video).toMatchObject({ width: 1280, height: 720, frameRate: 30 });
      expect(info.streams.some((s) => s.codecType === 'audio')).toBe(true);
      expect(info.duration).toBeCloseTo(2, 0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('temporary uploads', () => {
  async function policy(em: Emulator, model: string): Promise<Json> {
    const r = await call(em, `/uploads?action=getPolicy&model=${model}`);
    expect(r.status).toBe(200);
    return r.json.data as Json;
  }

  function form(p: Json, name: string, fileLast = true): FormData {
    const f = new FormData();
    const file = new Blob([Buffer.from('fake png bytes')], { type: 'image/png' });
    if (!fileLast) f.append('file', file, name);
    f.append('OSSAccessKeyId', p.oss_access_key_id);
    f.append('Signature', p.signature);
    f.append('policy', p.policy);
    f.append('key', `${p.upload_dir}/${name}`);
    f.append('x-oss-object-acl', p.x_oss_object_acl);
    f.append('x-oss-forbid-overwrite', p.x_oss_forbid_overwrite);
    f.append('success_action_status', '200');
    if (fileLast) f.append('file', file, name);
    return f;
  }

  it('uploads with a policy and resolves oss:// for the same model only with the resolve header', async () => {
    const em = await start();
    const p = await policy(em, 'wan2.7-i2v');
    expect(p).toMatchObject({ upload_host: `${em.url}/oss/upload`, expire_in_seconds: 300, max_file_size_mb: 20, x_oss_object_acl: 'private', x_oss_forbid_overwrite: 'true' });
    const up = await fetch(p.upload_host, { method: 'POST', body: form(p, 'cat.png') });
    expect(up.status).toBe(200);
    const again = await fetch(p.upload_host, { method: 'POST', body: form(p, 'cat.png') });
    expect(again.status).toBe(409);
    const oss = `oss://${p.upload_dir}/cat.png`;
    const body = { model: 'wan2.7-i2v', input: { prompt: 'p', media: [{ type: 'first_frame', url: oss }] }, parameters: { resolution: '720P' } };
    const resolve = { 'X-DashScope-OssResourceResolve': 'enable' };
    const id = await create(em, body, T2V, resolve);
    expect((await settle(em, id)).json.output.task_status).toBe('SUCCEEDED');
    const noHeader = await call(em, T2V, { body });
    expect([noHeader.status, noHeader.json.code, noHeader.json.message]).toEqual([400, 'InvalidParameter', 'The provided URL does not appear to be valid']);
    const otherModel = await call(em, T2V, { body: { model: 'wan2.6-i2v', input: { img_url: oss }, parameters: {} }, headers: resolve });
    expect(otherModel.status).toBe(400);
    expect(em.stats().uploads).toBe(1);
  });

  it('rejects a form whose file is not last, a forged signature and an expired policy', async () => {
    let offset = 0;
    const em = await start({ now: () => Date.now() + offset });
    const p = await policy(em, 'wan2.6-i2v');
    const notLast = await fetch(p.upload_host, { method: 'POST', body: form(p, 'a.png', false) });
    expect(notLast.status).toBe(400);
    expect(await notLast.text()).toContain('InvalidArgument');
    const forged = await fetch(p.upload_host, { method: 'POST', body: form({ ...p, signature: 'AAAA' }, 'a.png') });
    expect(forged.status).toBe(403);
    offset = 301_000;
    const expired = await fetch(p.upload_host, { method: 'POST', body: form(p, 'a.png') });
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Policy expired.');
    expect(em.stats().uploads).toBe(0);
  });
});

describe('fault injection', () => {
  async function run(seed: number): Promise<{ statuses: number[]; em: Emulator }> {
    const em = await start({ faults: 'throttle=0.3,server=0.1,task=0.2', seed, submitRps: Infinity, latency: 0.05, pendingDelay: 0 });
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) statuses.push((await call(em, T2V, { body: { model: 'wan2.7-t2v', input: { prompt: `p${i}` }, parameters: { duration: 2 } } })).status);
    while (em.stats().succeeded + em.stats().failed < em.stats().submitted_tasks) await new Promise((r) => setTimeout(r, 50));
    return { statuses, em };
  }

  it('injects 429, 500 and failed tasks at about the configured rates, reproducibly', async () => {
    const { statuses, em } = await run(7);
    const count = (s: number): number => statuses.filter((x) => x === s).length;
    expect(count(429) / 200).toBeGreaterThan(0.2);
    expect(count(429) / 200).toBeLessThan(0.4);
    expect(count(500) / 200).toBeGreaterThan(0.04);
    expect(count(500) / 200).toBeLessThan(0.17);
    const s = em.stats();
    expect(s.submitted_tasks).toBe(count(200));
    expect(s.failed / s.submitted_tasks).toBeGreaterThan(0.1);
    expect(s.failed / s.submitted_tasks).toBeLessThan(0.32);
    expect(s).toMatchObject({ throttled: count(429), server_errors: count(500), billed_seconds: 2 * s.succeeded });
    expect((await run(7)).statuses).toEqual(statuses);
  });

  it('truncates downloads', async () => {
    const em = await start({ faults: 'truncate=1', render: async (job, out) => writeFile(out, Buffer.alloc(256 * 1024, 1)) });
    const { json } = await settle(em, await create(em, t2v27()));
    const res = await fetch(json.output.video_url as string);
    expect(res.headers.get('content-length')).toBe(String(256 * 1024));
    await expect(res.arrayBuffer()).rejects.toThrow();
  });

  it('parses fault specs strictly', () => {
    expect(parseFaults('throttle=0.3, server=0.1,task=0.05,truncate=0.05,image=0.2')).toEqual({ throttle: 0.3, server: 0.1, task: 0.05, truncate: 0.05, image: 0.2 });
    expect(() => parseFaults('thottle=0.3')).toThrow(/Bad fault spec/);
    expect(() => parseFaults('server=2')).toThrow(/Bad fault spec/);
  });
});

describe('introspection', () => {
  it('reports stats, create bodies and redacted request headers over HTTP', async () => {
    const em = await start();
    const body = t2v27();
    const id = await create(em, body);
    await settle(em, id);
    const stats = (await (await fetch(`${em.url}/_emulator/stats`)).json()) as Json;
    expect(stats).toMatchObject({ submitted_tasks: 1, succeeded: 1, billed_seconds: 3, failed: 0, canceled: 0, uploads: 0, downloads: 0 });
    expect(stats.queries).toBeGreaterThan(0);
    expect(stats).toEqual({ request_id: expect.any(String), ...em.stats() });
    const creates = (await (await fetch(`${em.url}/_emulator/requests`)).json()) as Json;
    expect(creates.requests).toEqual([{ path: `/api/v1${T2V}`, body, status: 200, taskId: id }]);
    const headers = (await (await fetch(`${em.url}/_emulator/headers`)).json()) as Json;
    // the log is served to anyone on the machine: credentials are redacted (test/emulator-secrets.test.ts)
    expect((headers.requests as Json[]).every((r) => r.headers.authorization === 'Bearer ***')).toBe(true);
    expect(JSON.stringify(headers)).not.toContain(KEY);
    expect(em.requests().length).toBe((headers.requests as Json[]).length);
  });
});

describe('multipart parser', () => {
  const b = 'XyZ';
  const part = (name: string, value: string, extra = ''): string => `--${b}\r\nContent-Disposition: form-data; name="${name}"${extra}\r\n\r\n${value}\r\n`;

  it('keeps field order and file metadata', () => {
    const body = Buffer.from(`${part('key', 'a/b')}${part('file', 'bytes\r\n--X', '; filename="c.png"\r\nContent-Type: image/png')}--${b}--\r\n`);
    expect(parseMultipart(body, b)).toEqual([
      { name: 'key', data: Buffer.from('a/b') },
      { name: 'file', filename: 'c.png', contentType: 'image/png', data: Buffer.from('bytes\r\n--X') },
    ]);
  });

  it('rejects malformed bodies and too many parts', () => {
    expect(() => parseMultipart(Buffer.from(`--${b}\r\nno header end`), b)).toThrow(MultipartError);
    expect(() => parseMultipart(Buffer.from(part('a', '1').repeat(3) + `--${b}--`), b, { maxParts: 2 })).toThrow(/more than 2/);
  });
});

afterAll(async () => {
  await Promise.all(running.map((e) => e.close()));
});
