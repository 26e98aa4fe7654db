// End to end through the emulator: the storyboards of continuation-e2e.test.ts rendered by the DashScope backend
// against the local DashScope emulator (which draws its results with the preview renderer): each continued clip is
// sent its first_clip (the upstream's last seconds, uploaded), paid once for its new seconds, and the film is proved
// frame by frame exactly as on the preview (helpers/continuation-proof.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/backends/emulator/emulator-server.js';
import { previewRender } from '../src/backends/emulator/preview-render.js';
import type { ClipJob } from '../src/compiler/plan/types.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import type { RenderedStoryboard } from '../src/render/render-storyboard.js';
import { CHAIN, firstClips, newFrames, proveClips, proveFilm, rendered, TAKE } from './helpers/continuation-proof.js';
import { renderPaid, storyboardDir } from './helpers/paid-render.js';
import { videoCodes } from './helpers/video-codes.js';

let tools: FfmpegTools;
let emulator: Emulator;
beforeAll(async () => {
  tools = await resolveFfmpeg();
  emulator = await startEmulator({ latency: 0.2, render: previewRender(tools), ffmpeg: tools });
});
afterAll(async () => {
  await emulator.close();
});

/**
 * The frame-code tag of each clip as the emulator drew it (a hash of the body it received, upload URLs included, so
 * not known beforehand): read from the clip's first own frame. A clip showing another's frames there fails the proofs.
 */
async function tags(r: RenderedStoryboard): Promise<(job: ClipJob) => number> {
  const byId = new Map<string, number>();
  for (const job of r.plan.jobs) {
    const file = r.result.results.get(job.id)?.file;
    const codes = file ? await videoCodes(tools, file) : [];
    const own = codes[job.carry?.frames ?? 0];
    if (!own) throw new Error(`${job.id}: no frame code on its first new frame`);
    byId.set(job.id, own.tag);
  }
  return (job) => byId.get(job.id) ?? -1;
}

/** Renders through the emulator and returns the render, its folder and what the emulator billed for it. */
async function renderThroughEmulator(text: string, prefix: string): Promise<{ r: RenderedStoryboard; dir: string; billed: number; carried: number }> {
  const { dir, file } = await storyboardDir(text, prefix);
  const before = emulator.stats();
  const r = rendered((await renderPaid(file, emulator.baseUrl, tools)).outcome);
  const after = emulator.stats();
  return { r, dir, billed: after.billed_seconds - before.billed_seconds, carried: after.first_clip_seconds - before.first_clip_seconds };
}

describe('clip continuation through the emulator', () => {
  it('scenes continued by clip: first_clip sent, the new seconds billed, the film seamless and exactly 23 s', async () => {
    const { r, dir, billed, carried } = await renderThroughEmulator(CHAIN, 'sb-carry-ds-');
    expect(r.failures).toEqual([]);
    expect(firstClips(r.plan).map(([id, , from]) => [id, from])).toEqual([['climb', { clip: 'launch', tail: 3 }], ['stage', { clip: 'climb', tail: 2 }], ['orbit', { clip: 'stage', tail: 4 }]]);
    // the emulator bills the new seconds only and counts the carried ones apart (reference §2.4: uncertain)
    expect([billed, carried]).toEqual([23, 3 + 2 + 4]);
    const tagOf = await tags(r);
    await proveClips(tools, r, tagOf);
    await proveFilm(tools, r, dir, tagOf);
  }, 240_000);

  it('the 40 s take in parts: three tasks with a prompt each, the film exactly 1200 frames with every part in place', async () => {
    const { r, dir, billed, carried } = await renderThroughEmulator(TAKE, 'sb-take-ds-');
    expect(r.failures).toEqual([]);
    expect(r.plan.jobs.map((j) => j.id)).toEqual(['lamp', 'lamp.part2', 'lamp.part3']);
    expect(r.plan.jobs.map(newFrames).reduce((a, b) => a + b, 0)).toBe(1200);
    expect([billed, carried]).toEqual([40, 4]);
    const tagOf = await tags(r);
    await proveClips(tools, r, tagOf);
    await proveFilm(tools, r, dir, tagOf);
  }, 240_000);
});
