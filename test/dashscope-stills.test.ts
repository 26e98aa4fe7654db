// The DashScope backend's stills against a fake DashScope on loopback (official shapes): the request sent for each
// still kind, the exactly-once discipline of async image tasks and of sync calls, partial and total failures, the
// PNG written (JPEG answers converted), image-model limits, and the key kept out of every error.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BackendError, type BackendNotice, type ResolvedInput, type StillOutcome, type StillRenderRequest, type TaskJournal } from '../src/backends/backend.js';
import { createDashscopeBackend, DASHSCOPE_TIMING, type DashscopeBackendOptions } from '../src/backends/dashscope/dashscope-backend.js';
import type { ClipInput, ClipJob, StillJob, StillRequest } from '../src/compiler/plan/types.js';
import { probeMedia, runFfmpeg } from '../src/media/ffmpeg.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { startFakeDashscope, type FakeDashscope, type FakeOptions } from './helpers/fake-dashscope.js';
import { memJournal } from './helpers/mem-journal.js';

const KEY = 'sk-test-STILLSECRET42';
const TEXT2IMAGE = '/api/v1/services/aigc/text2image/image-synthesis';
const IMAGE_GENERATION = '/api/v1/services/aigc/image-generation/generation';
const MULTIMODAL = '/api/v1/services/aigc/multimodal-generation/generation';

let tools: FfmpegTools;
let dir: string;
let red: Buffer; // 64x48 PNG
let green: Buffer; // 32x32 PNG
let jpeg: Buffer; // 96x64 JPEG
let inputPng: string;
let outCount = 0;
const fakes: FakeDashscope[] = [];

beforeAll(async () => {
  tools = await resolveFfmpeg();
  dir = await mkdtemp(join(tmpdir(), 'storyboard-stills-'));
  const make = async (name: string, color: string, size: string): Promise<Buffer> => {
    const file = join(dir, name);
    await runFfmpeg(tools, ['-f', 'lavfi', '-i', `color=c=${color}:s=${size}`, '-frames:v', '1', file]);
    return readFile(file);
  };
  red = await make('red.png', 'red', '64x48');
  green = await make('green.png', 'green', '32x32');
  jpeg = await make('blue.jpg', 'blue', '96x64');
  inputPng = join(dir, 'green.png');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

// ---- helpers

async function fake(options: FakeOptions): Promise<FakeDashscope> {
  const f = await startFakeDashscope(options);
  f.files.set('red.png', { data: red, type: 'image/png' });
  f.files.set('green.png', { data: green, type: 'image/png' });
  f.files.set('blue.jpg', { data: jpeg, type: 'image/jpeg' });
  fakes.push(f);
  return f;
}

function backendFor(f: FakeDashscope, opts: Partial<DashscopeBackendOptions> = {}) {
  const backend = createDashscopeBackend({ apiKey: KEY, baseUrl: f.url, sleep: async () => undefined, pollSchedule: [0], random: () => 0, ...opts });
  if (!backend.makeStill) throw new Error('the DashScope backend makes no stills');
  const makeStill = backend.makeStill.bind(backend);
  return { backend, makeStill };
}

function still(id: string, path: string, mode: StillRequest['mode'], body: StillRequest['body'], inputs: ClipInput[] = []): StillJob {
  return {
    id, at: { line: 7, column: 3 }, model: body.model, request: { method: 'POST', path, mode, body }, prompt: 'A lighthouse at dusk.',
    seed: { value: 7, source: 'explicit' }, inputs, dependsOn: [], expected: { width: 1024, height: 1024 }, cost: { usd: 0.03, perImage: 0.03 }, usedBy: ['c1'],
  };
}

const promptStill = (id = 'hero'): StillJob => still(id, TEXT2IMAGE, 'async', {
  model: 'wan2.5-t2i-preview', input: { prompt: 'A lighthouse at dusk.', negative_prompt: 'text' }, parameters: { size: '1024*1024', n: 1, seed: 7 },
});
const messagesBody = (model: string, image?: string): StillRequest['body'] => ({
  model, input: { messages: [{ role: 'user', content: [{ text: 'A lighthouse at dusk.' }, ...(image ? [{ image }] : [])] }] }, parameters: { size: '2K', n: 1, seed: 7 },
});
const imageInput: ClipInput = { name: 'image1', kind: 'image', from: { file: 'green.png' }, at: { line: 9, column: 5 } };

function stillRequest(job: StillJob, journal: TaskJournal, inputs: [string, ResolvedInput][] = [], extra: Partial<StillRenderRequest> = {}): StillRenderRequest {
  return {
    job, key: 'ab12cd34ef567890', inputs: new Map(inputs), outFile: join(dir, `still-${++outCount}.png`), ffmpeg: tools, journal,
    signal: new AbortController().signal, ...extra,
  };
}

/** text2image's answer: one result with its prompts, or the given results. */
const legacyResult = (f: FakeDashscope, results?: Record<string, unknown>[]) => ({
  output: { results: results ?? [{ orig_prompt: 'A lighthouse at dusk.', actual_prompt: 'A lighthouse at dusk, golden light.', url: f.fileUrl('red.png') }], task_metrics: { TOTAL: 1, SUCCEEDED: 1, FAILED: 0 } },
  usage: { image_count: 1 },
});
/** The messages protocol's answer (async task result or sync answer). */
const choicesResult = (url: string) => ({
  output: { choices: [{ finish_reason: 'stop', message: { role: 'assistant', content: [{ image: url, type: 'image' }] } }], finished: true },
  usage: { image_count: 1, size: '64*48', input_tokens: 0, output_tokens: 0, total_tokens: 0 },
});

/** Width and height of a PNG file, after checking its signature and IHDR chunk. */
async function pngSize(file: string): Promise<{ width: number; height: number }> {
  const data = await readFile(file);
  expect(data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(data.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

async function rejection(p: Promise<unknown>): Promise<BackendError> {
  const e: unknown = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(BackendError);
  return e as BackendError;
}

const creates = (f: FakeDashscope) => f.received.filter((r) => r.method === 'POST' && r.url.startsWith('/api/v1/services/'));
const bodyOf = (r: { body: Buffer } | undefined): unknown => JSON.parse(r?.body.toString('utf8') ?? 'null');

// ---- tests

describe('dashscope stills: the request sent', () => {
  it('prompt protocol: async text2image task with X-DashScope-Async, the body as planned; PNG written, task and image reported', async () => {
    const f = await fake({ result: () => legacyResult(f) });
    const { makeStill } = backendFor(f);
    const req = stillRequest(promptStill(), memJournal());
    const outcome = await makeStill(req);
    expect(outcome).toEqual({ taskId: 'task-1', billedImages: 1, actualPrompt: 'A lighthouse at dusk, golden light.' } satisfies StillOutcome);
    const [create] = creates(f);
    expect(create?.url).toBe(TEXT2IMAGE);
    expect(create?.headers).toMatchObject({ authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'x-dashscope-async': 'enable' });
    expect(create?.headers['x-dashscope-ossresourceresolve']).toBeUndefined();
    expect(bodyOf(create)).toEqual({ model: 'wan2.5-t2i-preview', input: { prompt: 'A lighthouse at dusk.', negative_prompt: 'text' }, parameters: { size: '1024*1024', n: 1, seed: 7 } });
    expect(f.received.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual([`POST ${TEXT2IMAGE}`, 'GET /api/v1/tasks/task-1', 'GET /files/red.png']);
    const download = f.received.at(-1);
    expect(download?.headers.authorization).toBeUndefined();
    expect(await pngSize(req.outFile)).toEqual({ width: 64, height: 48 });
  });

  it('messages protocol, async: image-generation task; a local input image is uploaded and sent as oss:// with OssResourceResolve', async () => {
    const f = await fake({ result: () => choicesResult(f.fileUrl('red.png')) });
    const { makeStill } = backendFor(f, { uploadMode: 'oss' });
    const job = still('portrait', IMAGE_GENERATION, 'async', messagesBody('wan2.7-image', '$input.image1'), [imageInput]);
    const req = stillRequest(job, memJournal(), [['image1', { file: inputPng, sha256: 'a1' }]]);
    const outcome = await makeStill(req);
    expect(outcome).toEqual({ taskId: 'task-1', billedImages: 1 });
    const [create] = creates(f);
    expect(create?.url).toBe(IMAGE_GENERATION);
    expect(create?.headers).toMatchObject({ 'x-dashscope-async': 'enable', 'x-dashscope-ossresourceresolve': 'enable' });
    expect(bodyOf(create)).toEqual(messagesBody('wan2.7-image', 'oss://dashscope-instant/fake/wan2.7-image/green.png'));
    expect(f.received.filter((r) => r.url === '/oss')).toHaveLength(1);
    expect(await pngSize(req.outFile)).toEqual({ width: 64, height: 48 });
  });

  it('messages protocol, sync: one multimodal-generation call without X-DashScope-Async, no task, no polling', async () => {
    const f = await fake({ result: () => choicesResult(f.fileUrl('red.png')) });
    const { makeStill } = backendFor(f);
    const journal = memJournal();
    const job = still('sky', MULTIMODAL, 'sync', { ...messagesBody('wan2.6-t2i'), parameters: { size: '1280*1280', n: 1, negative_prompt: 'text', seed: 7 } });
    const req = stillRequest(job, journal);
    const outcome = await makeStill(req);
    expect(outcome).toEqual({ billedImages: 1 });
    const [call] = creates(f);
    expect(call?.url).toBe(MULTIMODAL);
    expect(call?.headers).toMatchObject({ authorization: `Bearer ${KEY}`, 'content-type': 'application/json' });
    expect(call?.headers['x-dashscope-async']).toBeUndefined();
    expect(bodyOf(call)).toEqual({ ...messagesBody('wan2.6-t2i'), parameters: { size: '1280*1280', n: 1, negative_prompt: 'text', seed: 7 } });
    expect(f.received.map((r) => `${r.method} ${r.url}`)).toEqual([`POST ${MULTIMODAL}`, 'GET /files/red.png']);
    expect(journal.entries.get(req.key)).toMatchObject({ state: 'maybe-submitted' }); // the runner clears it once the PNG is cached
    expect(await pngSize(req.outFile)).toEqual({ width: 64, height: 48 });
  });
});

describe('dashscope stills: paid once', () => {
  it('an async create whose answer is lost is found in the task list and collected: one task, one image billed', async () => {
    const f = await fake({ result: () => legacyResult(f), onCall: (_, n) => (n === 1 ? 'drop' : 'reply') });
    const { makeStill } = backendFor(f);
    const journal = memJournal();
    const notices: BackendNotice[] = [];
    const req = stillRequest(promptStill(), journal, [], { onNotice: (n) => notices.push(n) });
    const outcome = await makeStill(req);
    expect(outcome.taskId).toBe('task-1');
    expect(creates(f)).toHaveLength(1);
    expect(f.tasks).toHaveLength(1);
    expect(f.billedImages()).toBe(1);
    expect(journal.entries.get(req.key)).toMatchObject({ state: 'submitted', taskId: 'task-1' });
    expect(notices.map((n) => n.message).join('\n')).toMatch(/found this still's task task-1 .* collecting it instead of paying again/);
    expect(await pngSize(req.outFile)).toEqual({ width: 64, height: 48 });
  });

  it('a run killed while its create was in flight: the next run finds the task in the list instead of submitting again', async () => {
    const f = await fake({ result: () => legacyResult(f), onCall: (_, n) => (n === 1 ? 'hold' : 'reply') });
    const journal = memJournal();
    const stop = new AbortController();
    const first = backendFor(f).makeStill(stillRequest(promptStill(), journal, [], { signal: stop.signal }));
    while (f.tasks.length === 0) await new Promise((r) => setTimeout(r, 5));
    stop.abort();
    const e = await rejection(first);
    expect(e.keepTask).toBe(true);
    expect(journal.entries.get('ab12cd34ef567890')).toMatchObject({ state: 'maybe-submitted' });

    const req = stillRequest(promptStill(), journal);
    const outcome = await backendFor(f).makeStill(req);
    expect(outcome.taskId).toBe('task-1');
    expect(creates(f)).toHaveLength(1);
    expect(f.billedImages()).toBe(1);
    expect(await pngSize(req.outFile)).toEqual({ width: 64, height: 48 });
  });

  it('a run killed after the task was journaled: the next run collects the journaled task', async () => {
    const f = await fake({ result: () => legacyResult(f) });
    const stop = new AbortController();
    const journal = memJournal(() => stop.abort());
    const e = await rejection(backendFor(f).makeStill(stillRequest(promptStill(), journal, [], { signal: stop.signal })));
    expect(e.keepTask).toBe(true);
    expect(journal.entries.get('ab12cd34ef567890')).toMatchObject({ state: 'submitted', taskId: 'task-1' });

    const req = stillRequest(promptStill(), journal);
    const outcome = await backendFor(f).makeStill(req);
    expect(outcome).toMatchObject({ taskId: 'task-1', billedImages: 1 });
    expect(creates(f)).toHaveLength(1);
    expect(f.billedImages()).toBe(1);
    expect(f.received.filter((r) => r.url.startsWith('/api/v1/tasks?'))).toHaveLength(0);
  });

  it('a lost async messages create whose task reports no prompt is not guessed at: the still fails keeping its entry; the next run makes it once, with a notice', async () => {
    const f = await fake({ result: () => choicesResult(f.fileUrl('red.png')), onCall: (_, n) => (n === 1 ? 'drop' : 'reply') });
    const journal = memJournal();
    const job = still('portrait', IMAGE_GENERATION, 'async', messagesBody('wan2.7-image'));
    const first = stillRequest(job, journal);
    const e = await rejection(backendFor(f).makeStill(first));
    expect(e.keepTask).toBe(true);
    expect(e.message).toMatch(/task-1 whose prompt the service does not report, so it cannot tell whether it is this still's/);
    expect(e.message).toMatch(/may have created a task for this still/);
    expect(creates(f)).toHaveLength(1);
    expect(journal.entries.get(first.key)).toMatchObject({ state: 'maybe-submitted' });

    // the next run cannot decide either: it makes the still once more and says an extra image may have been billed
    const notices: BackendNotice[] = [];
    const second = stillRequest(job, journal, [], { onNotice: (n) => notices.push(n) });
    const outcome = await backendFor(f).makeStill(second);
    expect(outcome.taskId).toBe('task-2');
    expect(creates(f)).toHaveLength(2);
    expect(notices.map((n) => n.message).join('\n')).toMatch(/still `portrait` got no answer .* made once more, so one extra image \(\$0\.030\) may have been billed/);
  });

  it('a sync call whose answer is lost fails saying a paid image may exist; the next run makes it once, with a notice', async () => {
    const f = await fake({ result: () => choicesResult(f.fileUrl('red.png')), onCall: (_, n) => (n === 1 ? 'drop' : 'reply') });
    const journal = memJournal();
    const job = still('sky', MULTIMODAL, 'sync', messagesBody('wan2.6-t2i'));
    const first = stillRequest(job, journal);
    const e = await rejection(backendFor(f).makeStill(first));
    journal.settle(first.key, e);
    expect(e).toMatchObject({ keepTask: true, code: 'MaybeBilled' });
    expect(e.message).toMatch(/still `sky` got no answer to rely on .*a paid image may exist; it is not requested again in this run, and the next run makes the still once more/);
    expect(f.syncCalls()).toBe(1);
    expect(creates(f)).toHaveLength(1);
    expect(journal.entries.get(first.key)).toMatchObject({ state: 'maybe-submitted' });

    const notices: BackendNotice[] = [];
    const second = stillRequest(job, journal, [], { onNotice: (n) => notices.push(n) });
    expect(await backendFor(f).makeStill(second)).toEqual({ billedImages: 1 });
    expect(notices).toEqual([expect.objectContaining({ kind: 'journal', message: expect.stringMatching(/earlier call for still `sky` .* may have been billed/) as unknown })]);
    expect(creates(f)).toHaveLength(2);
    expect(f.billedImages()).toBe(2);
    expect(await pngSize(second.outFile)).toEqual({ width: 64, height: 48 });
  });

  it('a sync call refused with 429 is sent again (nothing was made); a 500 is not (it may have been)', async () => {
    const throttled = await fake({ result: () => choicesResult(throttled.fileUrl('red.png')), onCall: (_, n) => (n === 1 ? { status: 429, body: { code: 'Throttling.RateQuota', message: 'Requests rate limit exceeded' } } : 'reply') });
    const job = still('sky', MULTIMODAL, 'sync', messagesBody('wan2.6-t2i'));
    expect(await backendFor(throttled).makeStill(stillRequest(job, memJournal()))).toEqual({ billedImages: 1 });
    expect(creates(throttled)).toHaveLength(2);

    const failing = await fake({ result: () => choicesResult(failing.fileUrl('red.png')), onCall: () => ({ status: 500, body: { code: 'InternalError', message: 'oops' } }) });
    const e = await rejection(backendFor(failing).makeStill(stillRequest(job, memJournal())));
    expect(e).toMatchObject({ keepTask: true, code: 'MaybeBilled' });
    expect(creates(failing)).toHaveLength(1);
  });
});

describe('dashscope stills: results', () => {
  it('a partial failure uses the first image that succeeded', async () => {
    const f = await fake({
      result: () => legacyResult(f, [{ code: 'DataInspectionFailed', message: 'Output data may contain inappropriate content.' }, { url: f.fileUrl('green.png') }, { url: f.fileUrl('red.png') }]),
    });
    const req = stillRequest(promptStill(), memJournal());
    expect(await backendFor(f).makeStill(req)).toMatchObject({ taskId: 'task-1' });
    expect(await pngSize(req.outFile)).toEqual({ width: 32, height: 32 });
    expect(f.received.filter((r) => r.url.startsWith('/files/')).map((r) => r.url)).toEqual(['/files/green.png']);
  });

  it('no image made: an error naming the still with DashScope\'s code and message, nothing kept', async () => {
    const f = await fake({
      result: () => ({ output: { results: [{ code: 'DataInspectionFailed', message: 'Output data may contain inappropriate content.' }], task_metrics: { TOTAL: 1, SUCCEEDED: 0, FAILED: 1 } }, usage: { image_count: 0 } }),
    });
    const e = await rejection(backendFor(f).makeStill(stillRequest(promptStill('hero'), memJournal())));
    expect(e).toMatchObject({ keepTask: false, code: 'DataInspectionFailed' });
    expect(e.message).toBe('DashScope task task-1 made no image for still `hero`: DataInspectionFailed: Output data may contain inappropriate content.');

    const failed = await fake({ result: () => ({ status: 'FAILED', output: { code: 'InvalidParameter', message: 'The size is not match' } }) });
    const e2 = await rejection(backendFor(failed).makeStill(stillRequest(promptStill('hero'), memJournal())));
    expect(e2).toMatchObject({ keepTask: false, code: 'InvalidParameter' });
    expect(e2.message).toBe('DashScope task task-1 for still `hero` FAILED with InvalidParameter: The size is not match');
  });

  it('a JPEG answer is converted to a PNG of the same size and colour', async () => {
    const f = await fake({ result: () => choicesResult(f.fileUrl('blue.jpg')) });
    const req = stillRequest(still('sky', MULTIMODAL, 'sync', messagesBody('wan2.6-t2i')), memJournal());
    await backendFor(f).makeStill(req);
    expect(await pngSize(req.outFile)).toEqual({ width: 96, height: 64 });
    const info = await probeMedia(tools, req.outFile);
    expect(info.streams[0]).toMatchObject({ codecType: 'video', width: 96, height: 64 });
    const { stdout } = await runFfmpeg(tools, ['-i', req.outFile, '-vf', 'scale=1:1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']);
    const [r, g, b] = Buffer.from(stdout, 'latin1');
    expect([r, g, b].map((v) => Math.round((v ?? 0) / 32))).toEqual([0, 0, 8]);
  });
});

describe('dashscope stills: limits and key hygiene', () => {
  it('concurrency and timing know image models; unknown ids get the cautious default', () => {
    const f = { url: 'http://127.0.0.1:9' } as FakeDashscope;
    const { backend } = backendFor(f);
    expect(backend.concurrency('wan2.7-image')).toBe(5);
    expect(backend.concurrency('wan2.2-t2i-flash')).toBe(2);
    expect(backend.concurrency('no-such-model')).toBe(1);
    expect(DASHSCOPE_TIMING.rps('wan2.1-t2i-plus')).toBe(2);
    expect(DASHSCOPE_TIMING.rps('no-such-model')).toBe(1);
    expect(DASHSCOPE_TIMING.latency({ model: 'wan2.7-image' } as ClipJob)).toBe(30);
  });

  it('the API key never appears in a still\'s error', async () => {
    const messages: string[] = [];
    const sync = still('sky', MULTIMODAL, 'sync', messagesBody('wan2.6-t2i'));
    const run = async (options: FakeOptions, job: StillJob) => {
      const f = await fake(options);
      const e = await rejection(backendFor(f, { retries: 0 }).makeStill(stillRequest(job, memJournal())));
      messages.push(e.message, String(e.stack));
    };
    await run({ result: () => ({ output: {} }), onCall: () => ({ status: 401, body: { code: 'InvalidApiKey', message: `Invalid API-key provided: ${KEY}` } }) }, sync);
    await run({ result: () => ({ output: { results: [{ code: 'Bad', message: `key ${KEY} and sk-other-123 refused` }] } }) }, promptStill());
    await run({ result: () => ({ status: 'FAILED', output: { code: 'InvalidParameter', message: `bad key ${KEY}` } }) }, promptStill());
    await run({ result: () => ({ output: { choices: [], code: 'Bad', message: `echo Bearer ${KEY}` } }) }, sync);
    expect(messages).toHaveLength(8);
    for (const m of messages) expect(m).not.toContain('STILLSECRET42');
  });
});
