// End to end: scenes continued by clip (`continues: { scene, carry }`) and a 40 s take written as `parts:`, compiled
// and rendered on the preview backend, proved on the film itself (helpers/continuation-proof.ts): every film frame is
// the right frame of the right clip (frame codes), each seam goes from the last frame of one clip straight to the
// first new frame of the next (the carried frames never appear), the film lasts exactly the planned new seconds, and
// its sound is as long as its picture. The same storyboards through the emulator: continuation-e2e-emulator.test.ts.
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPreviewBackend } from '../src/backends/preview/preview-backend.js';
import type { ClipJob } from '../src/compiler/plan/types.js';
import { codeTag } from '../src/media/frame-code.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { CHAIN, firstClips, newFrames, proveClips, proveFilm, renderOn, TAKE } from './helpers/continuation-proof.js';

let tools: FfmpegTools;
beforeAll(async () => {
  tools = await resolveFfmpeg();
});

describe('scenes continued by clip, on the preview backend', () => {
  it('plans first_clip inputs and carried seconds, and the film shows each new frame once, seamlessly, exactly 23 s long', async () => {
    const { r, dir } = await renderOn(tools, CHAIN, createPreviewBackend(), 'sb-carry-');
    expect(r.failures).toEqual([]);
    expect(firstClips(r.plan)).toEqual([
      ['climb', 'video', { clip: 'launch', tail: 3 }], ['stage', 'video', { clip: 'climb', tail: 2 }], ['orbit', 'video', { clip: 'stage', tail: 4 }],
    ]);
    expect(r.plan.jobs.map((j) => [j.id, j.expected.duration, j.carry?.frames ?? 0])).toEqual([['launch', 5, 0], ['climb', 15, 90], ['stage', 6, 60], ['orbit', 6, 120]]);
    expect(r.plan.stitch.duration).toBe(5 + 12 + 4 + 2);
    const tagOf = (job: ClipJob): number => codeTag(r.result.results.get(job.id)?.key ?? '');
    await proveClips(tools, r, tagOf);
    await proveFilm(tools, r, dir, tagOf);
    // the report places each clip where the film shows it: from its first new frame, for its new seconds
    const html = await readFile(r.report ?? '', 'utf8');
    expect(html).toContain('<dt>in the film</dt><dd>5 s – 17 s</dd>');
    expect(html).toContain('15 s: 3 s carried from the clip it continues (not shown again), 12 s new');
  }, 240_000);
});

describe('a 40 s take in parts, on the preview backend', () => {
  it('compiles to three continued clips with a prompt each, and renders exactly 40 s with every part where it belongs', async () => {
    const { r, dir } = await renderOn(tools, TAKE, createPreviewBackend(), 'sb-take-');
    expect(r.failures).toEqual([]);
    const plan = r.plan;
    expect(plan.jobs.map((j) => [j.id, j.prompt])).toEqual([
      ['lamp', 'A lighthouse keeper climbs the spiral stairs.'], ['lamp.part2', 'He lights the great lamp.'], ['lamp.part3', 'The beam sweeps across the night sea.'],
    ]);
    expect(firstClips(plan)).toEqual([['lamp.part2', 'video', { clip: 'lamp', tail: 2 }], ['lamp.part3', 'video', { clip: 'lamp.part2', tail: 2 }]]);
    for (const j of plan.jobs.slice(1)) expect((j.request.body.input as { media?: unknown }).media).toEqual([{ type: 'first_clip', url: '$input.first_clip' }]);
    expect(plan.jobs.map(newFrames).reduce((a, b) => a + b, 0)).toBe(1200);
    expect(newFrames(plan.jobs[1] as ClipJob)).toBe(12 * 30);
    expect(plan.stitch.duration).toBe(40);
    const tagOf = (job: ClipJob): number => codeTag(r.result.results.get(job.id)?.key ?? '');
    await proveClips(tools, r, tagOf);
    await proveFilm(tools, r, dir, tagOf);
  }, 240_000);
});
