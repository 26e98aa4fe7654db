// Stills and reference-to-video clips made by the DashScope backend against the real emulator (behind the lossy
// proxy), from the compiler's own plans (fixtures stills, r2v-wan26, r2v-wan27): each still kind written as a PNG of the planned size, paid exactly once
// when an answer is lost, and the r2v seconds reported as the emulator billed them.
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BackendError, type BackendNotice, type RenderRequest, type ResolvedInput, type StillRenderRequest } from '../src/backends/backend.js';
import { createDashscopeBackend } from '../src/backends/dashscope/dashscope-backend.js';
import type { ClipJob, Plan, StillJob } from '../src/compiler/plan/types.js';
import { probeMedia } from '../src/media/ffmpeg.js';
import { useLossyEmulator } from './helpers/lossy-emulator.js';
import { memJournal, type MemJournal } from './helpers/mem-journal.js';

const KEY = 'sk-emu-STILLS';
const env = useLossyEmulator();
const stillsPlan = JSON.parse(await readFile('test/fixtures/compile/stills/plan.json', 'utf8')) as Plan;
const r2v26Plan = JSON.parse(await readFile('test/fixtures/compile/r2v-wan26/plan.json', 'utf8')) as Plan;
const r2v27Plan = JSON.parse(await readFile('test/fixtures/compile/r2v-wan27/plan.json', 'utf8')) as Plan;
const stillOf = (id: string): StillJob => {
  const s = stillsPlan.stills.find((x) => x.id === id);
  if (!s) throw new Error(`the stills fixture has no still ${id}`);
  return s;
};

/**
 * The still with `tag` added to its prompt: tests must not share a prompt, or a reconciliation could rightly take
 * an earlier test's task of the same model and prompt for its own.
 */
function variant(job: StillJob, tag: string): StillJob {
  const body = JSON.parse(JSON.stringify(job.request.body)) as { model: string; input: Record<string, unknown>; parameters: Record<string, unknown> };
  if (typeof body.input.prompt === 'string') body.input.prompt += ` ${tag}`;
  const content = (body.input.messages as { content: { text?: string }[] }[] | undefined)?.[0]?.content ?? [];
  for (const c of content) if (typeof c.text === 'string') c.text += ` ${tag}`;
  return { ...job, prompt: `${job.prompt} ${tag}`, request: { ...job.request, body } };
}

let dir: string;
let outCount = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyboard-stills-emu-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  env.proxy.decide = () => 'pass';
});

const backend = () => createDashscopeBackend({ apiKey: KEY, baseUrl: env.proxy.baseUrl, pollSchedule: [0.1], uploadMode: 'auto' });
let keyCount = 0;
const freshKey = (): string => (++keyCount).toString(16).padStart(16, 'a');

function stillRequest(job: StillJob, journal: MemJournal, key: string, inputs: [string, ResolvedInput][] = [], extra: Partial<StillRenderRequest> = {}): StillRenderRequest {
  return { job, key, inputs: new Map(inputs), outFile: join(dir, `${job.id}-${++outCount}.png`), ffmpeg: env.tools, journal, signal: new AbortController().signal, ...extra };
}

async function make(job: StillJob, journal: MemJournal, key: string, inputs: [string, ResolvedInput][] = [], extra: Partial<StillRenderRequest> = {}) {
  const make = backend().makeStill;
  if (!make) throw new Error('the DashScope backend makes no stills');
  const req = stillRequest(job, journal, key, inputs, extra);
  try {
    const outcome = await make(req);
    journal.settle(key);
    return { req, outcome };
  } catch (e) {
    journal.settle(key, e);
    throw e;
  }
}

/** A PNG's width and height, after checking its signature. */
async function pngSize(file: string): Promise<{ width: number; height: number }> {
  const data = await readFile(file);
  expect(data.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

/** The emulator's counters now, to compare with after. */
const counters = () => {
  const s = env.emulator.stats();
  return { tasks: s.submitted_tasks, images: s.billed_images, seconds: s.billed_seconds };
};
const since = (before: ReturnType<typeof counters>) => {
  const now = counters();
  return { tasks: now.tasks - before.tasks, images: now.images - before.images, seconds: now.seconds - before.seconds };
};
const imagePost = (path: string, method: string, sync: boolean): boolean =>
  method === 'POST' && (sync ? path.endsWith('/multimodal-generation/generation') : /\/(image-synthesis|image-generation\/generation)$/.test(path));

describe('dashscope stills against the emulator', () => {
  it('the three still kinds of the compiled plan: each a PNG of its planned size, one paid request and one image each', async () => {
    const before = counters();
    const dawn = await make(stillOf('harbour-dawn'), memJournal(), freshKey());
    const dusk = await make(stillOf('harbour-dusk'), memJournal(), freshKey(), [['image1', { file: dawn.req.outFile, sha256: 'dawn' }]]);
    const lamp = await make(stillOf('lamp-lit'), memJournal(), freshKey());
    for (const [r, id] of [[dawn, 'harbour-dawn'], [dusk, 'harbour-dusk'], [lamp, 'lamp-lit']] as const) {
      expect(await pngSize(r.req.outFile)).toEqual(stillOf(id).expected);
      expect(r.outcome.billedImages).toBe(1);
    }
    expect(dawn.outcome.taskId).toMatch(/^[0-9a-f-]{36}$/);
    expect(lamp.outcome.taskId).toBeUndefined();
    expect(since(before)).toMatchObject({ tasks: 3, images: 3 });
    const bodies = env.emulator.creates().slice(-3);
    expect(bodies.map((c) => c.path)).toEqual([stillOf('harbour-dawn').request.path, stillOf('harbour-dusk').request.path, stillOf('lamp-lit').request.path]);
    expect(JSON.stringify(bodies[1]?.body)).toMatch(/"image":"oss:\/\/[^"]+"/);
  });

  it('an async create whose answer is lost: reconciled through the task list, one task, one image billed', async () => {
    let posts = 0;
    env.proxy.decide = (r) => (imagePost(r.path, r.method, false) && ++posts === 1 ? 'reset-after' : 'pass');
    const before = counters();
    const journal = memJournal();
    const notices: BackendNotice[] = [];
    const { req, outcome } = await make(variant(stillOf('harbour-dawn'), '(lost answer)'), journal, freshKey(), [], { onNotice: (n) => notices.push(n) });
    expect(posts).toBe(1);
    expect(since(before)).toMatchObject({ tasks: 1, images: 1 });
    expect(notices.some((n) => /found this still's task .* collecting it instead of paying again/.test(n.message))).toBe(true);
    expect(outcome.taskId).toBeDefined();
    expect(await pngSize(req.outFile)).toEqual(stillOf('harbour-dawn').expected);
  });

  it('a run stopped after its messages task was journaled: the next run collects that task', async () => {
    const stop = new AbortController();
    const journal = memJournal(() => stop.abort());
    const key = freshKey();
    const before = counters();
    const dusk = variant(stillOf('harbour-dusk'), '(stopped)');
    const e: unknown = await make(dusk, journal, key, [['image1', { url: 'https://img.example/dawn.png' }]], { signal: stop.signal }).then(() => undefined, (x: unknown) => x);
    expect(e).toMatchObject({ keepTask: true, code: 'Aborted' });
    const { outcome } = await make(dusk, journal, key, [['image1', { url: 'https://img.example/dawn.png' }]]);
    expect(outcome.billedImages).toBe(1);
    expect(since(before)).toMatchObject({ tasks: 1, images: 1 });
  });

  it('a sync answer lost: the still fails saying a paid image may exist; the next run makes it once, with a notice', async () => {
    let posts = 0;
    env.proxy.decide = (r) => (imagePost(r.path, r.method, true) && ++posts === 1 ? 'reset-after' : 'pass');
    const journal = memJournal();
    const key = freshKey();
    const before = counters();
    const e: unknown = await make(stillOf('lamp-lit'), journal, key).then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(BackendError);
    expect(e).toMatchObject({ keepTask: true, code: 'MaybeBilled' });
    expect((e as BackendError).message).toMatch(/a paid image may exist; it is not requested again in this run/);
    expect(posts).toBe(1);
    expect(since(before)).toMatchObject({ tasks: 1, images: 1 });

    const notices: BackendNotice[] = [];
    const { req } = await make(stillOf('lamp-lit'), journal, key, [], { onNotice: (n) => notices.push(n) });
    expect(notices.map((n) => n.kind)).toEqual(['journal']);
    expect(notices[0]?.message).toMatch(/may have been billed/);
    expect(posts).toBe(2);
    expect(since(before)).toMatchObject({ tasks: 2, images: 2 });
    expect(await pngSize(req.outFile)).toEqual(stillOf('lamp-lit').expected);
  });
});

describe('dashscope r2v clips against the emulator', () => {
  const renderRequest = (job: ClipJob, inputs: [string, ResolvedInput][]): RenderRequest => ({
    job, key: freshKey(), inputs: new Map(inputs), outFile: join(dir, `${job.id}-${++outCount}.mp4`), ffmpeg: env.tools, journal: memJournal(), signal: new AbortController().signal,
  });

  it('wan2.6-r2v from the compiled plan: a still and a local image as references, billed seconds as the emulator billed them', async () => {
    const hill = r2v26Plan.jobs.find((j) => j.id === 'hill');
    if (!hill) throw new Error('no clip hill in the r2v-wan26 fixture');
    const sheet = await make(r2v26Plan.stills[0] as StillJob, memJournal(), freshKey());
    const before = counters();
    const req = renderRequest(hill, [['ref1', { file: sheet.req.outFile, sha256: 'sheet' }], ['ref2', { file: 'test/fixtures/compile/r2v-wan26/refs/ana.png', sha256: 'ana' }]]);
    const outcome = await backend().render(req);
    expect(outcome.billedSeconds).toBe(since(before).seconds);
    expect(outcome.billedSeconds).toBe(5);
    expect(JSON.stringify(env.emulator.creates().at(-1)?.body)).toMatch(/"reference_urls":\["oss:\/\/[^"]+","oss:\/\/[^"]+"\]/);
    expect((await probeMedia(env.tools, req.outFile)).streams.some((s) => s.codecType === 'video')).toBe(true);
  });

  it('wan2.7-r2v from the compiled plan: the sync still as reference image, its voice and a reference video; input video seconds billed too', async () => {
    const arrival = r2v27Plan.jobs.find((j) => j.id === 'arrival');
    if (!arrival) throw new Error('no clip arrival in the r2v-wan27 fixture');
    const sheet = await make(r2v27Plan.stills[0] as StillJob, memJournal(), freshKey());
    const refs = 'test/fixtures/compile/r2v-wan27/refs';
    const before = counters();
    const outcome = await backend().render(renderRequest(arrival, [
      ['ref1', { file: sheet.req.outFile, sha256: 'sheet' }], ['ref1_voice', { file: `${refs}/mara.wav`, sha256: 'wav' }], ['ref2', { file: `${refs}/keeper-walk.mp4`, sha256: 'walk' }],
    ]));
    const billed = since(before).seconds;
    expect(billed).toBe(arrival.expected.duration + 3); // the fixture's reference video is 3 s
    expect(outcome.billedSeconds).toBe(billed);
    const sent = JSON.stringify(env.emulator.creates().at(-1)?.body);
    expect(sent).not.toContain('$input.');
    expect(sent).toMatch(/"reference_voice":"oss:\/\/[^"]+mara\.wav"/);
    expect(sent).toMatch(/"type":"reference_video","url":"oss:\/\/[^"]+keeper-walk\.mp4"/);
  });
});
