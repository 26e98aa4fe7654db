// Clip continuation in the runner, on a hand-made plan: an input `{ clip, tail }` reaches the backend as an MP4 of
// exactly the upstream clip's last N×30 frames, cut once and cached beside the upstream entry (checked and cut
// again when damaged), and the continued clip's content key counts the upstream output and the tail length, the
// same in `plan` (clipStates) and in the run.
import { copyFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Backend, RenderRequest } from '../src/backends/backend.js';
import type { ClipJob, Plan } from '../src/compiler/plan/types.js';
import { probeMedia } from '../src/media/ffmpeg.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { ClipCache } from '../src/runner/clip-cache.js';
import { clipStates } from '../src/runner/clip-states.js';
import { clipTag, codedClip } from './helpers/coded-clip.js';
import { planOf, workspace } from './helpers/run-fixture.js';
import { codeStrings, videoCodes } from './helpers/video-codes.js';

let tools: FfmpegTools;

const SIZE = { width: 480, height: 272, fps: 30 } as const;

/** `a` (10 s) continued by `b`: 3 s carried from `a` by clip (sent as `first_clip`) + 5 s new. */
function continuedPlan(carry: number): Plan {
  const plan = planOf(`version: 1
scenes:
  - { id: a, model: wan2.7-i2v, duration: 10, prompt: part a, first_frame: "https://example.com/x.png" }
  - { id: b, continues: a, duration: 5, prompt: part b }
`);
  const [a, b] = plan.jobs as [ClipJob, ClipJob];
  const continued: ClipJob = {
    ...b,
    inputs: b.inputs.map((i) => ({ ...i, name: 'first_clip', kind: 'video' as const, from: { clip: 'a', tail: carry } })),
    request: { ...b.request, body: { ...b.request.body, input: { prompt: 'part b', media: [{ type: 'first_clip', url: '$input.first_clip' }] } } },
    expected: { ...b.expected, duration: carry + 5 },
    carry: { from: 'a', seconds: carry, frames: carry * 30 },
  };
  return { ...plan, jobs: [a, continued] };
}

/** A backend handing back coded clips (a: 300 frames, b: carried + 150) and keeping what each render was sent. */
function recordingBackend(): Backend & { sent: Map<string, RenderRequest['inputs']>; renders: string[] } {
  const sent = new Map<string, RenderRequest['inputs']>();
  const renders: string[] = [];
  return {
    name: 'recording', paid: false, version: '1', sent, renders, concurrency: () => 2,
    async render(req) {
      renders.push(req.job.id);
      sent.set(req.job.id, req.inputs);
      const frames = Math.round(req.job.expected.duration * 30);
      const clip = await codedClip(tools, { clip: `run-${req.job.id}`, ...SIZE, frames, picture: { source: 'testsrc2' }, tone: 440 });
      await copyFile(clip.file, req.outFile);
      return {};
    },
  };
}

beforeAll(async () => {
  tools = await resolveFfmpeg();
});

describe('the runner on a clip continued by clip', () => {
  it('sends the last 3 s of the upstream clip as first_clip, cut once, cached beside it, its key the same in plan and render', async () => {
    const ws = await workspace();
    const plan = continuedPlan(3);
    const backend = recordingBackend();
    const run = await ws.run(plan, backend);
    expect(run.failures).toEqual([]);
    const input = backend.sent.get('b')?.get('first_clip');
    if (!input || !('file' in input)) throw new Error('b was not sent a file as first_clip');
    const info = await probeMedia(tools, input.file);
    expect(info.streams.find((s) => s.codecType === 'video')?.nbFrames).toBe(90);
    // exactly a's last 90 frames, in order
    const tagA = clipTag('run-a');
    expect(codeStrings(await videoCodes(tools, input.file))).toEqual(Array.from({ length: 90 }, (_, k) => `${tagA}:${210 + k}`));
    const keyA = run.results.get('a')?.key ?? '';
    const cache = new ClipCache(join(ws.dir, 'cache'), tools);
    expect(input.file).toBe(cache.tailPath(keyA, 3));
    // nothing takes a's last frame: none is extracted
    expect((await readdir(cache.framesDir)).filter((f) => f.endsWith('.png'))).toEqual([]);
    // plan's key for b is the runner's
    const states = await clipStates(plan, { backend, baseDir: ws.dir, cache });
    expect(states.get('b')).toMatchObject({ key: run.results.get('b')?.key, cached: true });

    // a second run reuses both clips and the cut tail as they are
    const cutAt = (await stat(input.file)).mtimeMs;
    const again = await ws.run(plan, backend);
    expect(again.events.filter((e) => e.type === 'cached').map((e) => 'clip' in e && e.clip)).toEqual(['a', 'b']);
    expect(backend.renders).toEqual(['a', 'b']);
    expect((await stat(input.file)).mtimeMs).toBe(cutAt);
    expect(again.events.filter((e) => e.type === 'repair')).toEqual([]);
  });

  it('cuts a damaged tail again, saying which clip\'s seconds, without rendering anything again', async () => {
    const ws = await workspace();
    const plan = continuedPlan(3);
    const backend = recordingBackend();
    const first = await ws.run(plan, backend);
    const tail = new ClipCache(join(ws.dir, 'cache'), tools).tailPath(first.results.get('a')?.key ?? '', 3);
    const size = (await stat(tail)).size;
    await writeFile(tail, Buffer.alloc(size, 7));
    const again = await ws.run(plan, backend);
    const repairs = again.events.filter((e) => e.type === 'repair');
    expect(repairs).toHaveLength(1);
    expect(repairs[0]).toMatchObject({ code: 'cache-entry-damaged', clip: 'a' });
    expect(repairs[0]?.type === 'repair' ? repairs[0].message : '').toMatch(/last 3 s of clip `a`.*cut again/);
    expect(backend.renders).toEqual(['a', 'b']);
    expect(codeStrings(await videoCodes(tools, tail)).at(0)).toBe(`${clipTag('run-a')}:210`);
  });

  it('gives carry 2 and carry 3 different keys (the tail length counts), and the same upstream clip the same key for the same carry', async () => {
    const ws = await workspace();
    const backend = recordingBackend();
    const three = await ws.run(continuedPlan(3), backend);
    const two = await ws.run(continuedPlan(2), backend);
    expect(two.results.get('a')?.key).toBe(three.results.get('a')?.key);
    expect(two.results.get('b')?.key).not.toBe(three.results.get('b')?.key);
    const input = backend.sent.get('b')?.get('first_clip');
    expect(input && 'file' in input ? (await probeMedia(tools, input.file)).streams.find((s) => s.codecType === 'video')?.nbFrames : 0).toBe(60);
    // same length of new footage, so without the tail length in the key only expected.duration would tell them apart
    const cache = new ClipCache(join(ws.dir, 'cache'), tools);
    const same = { ...continuedPlan(2), jobs: continuedPlan(2).jobs.map((j) => (j.id === 'b' ? { ...j, expected: { ...j.expected, duration: 8 } } : j)) };
    const states = await clipStates(same, { backend, baseDir: ws.dir, cache });
    expect(states.get('b')?.key).not.toBe(three.results.get('b')?.key);
  });
});
