// End to end: a two-character, four-scene storyboard whose character sheets are generated stills sent as
// references, and whose first scene starts on a still; rendered on the preview backend and through the
// emulator. Re-rendering makes nothing; editing one still's prompt re-makes that still and exactly the clips
// that use it (and what continues from them), as `plan` says beforehand.
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/backends/emulator/emulator-server.js';
import { previewRender } from '../src/backends/emulator/preview-render.js';
import { createPreviewBackend } from '../src/backends/preview/preview-backend.js';
import type { Plan } from '../src/compiler/plan/types.js';
import { probeMedia } from '../src/media/ffmpeg.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { planRender } from '../src/render/plan-render.js';
import { renderStoryboard, type RenderedStoryboard } from '../src/render/render-storyboard.js';
import type { RunEvent } from '../src/runner/events.js';
import { lockPathFor, readLock } from '../src/runner/lock-file.js';
import { compileFile } from './helpers/compile.js';
import { renderPaid, storyboardDir } from './helpers/paid-render.js';
import { runCli } from './helpers/run-cli.js';

const STORYBOARD = `version: 1
title: Two couriers
defaults: { resolution: 720P }
characters:
  mara:
    description: a courier with silver hair and a green coat
    image: { still: mara-sheet }
  keeper:
    description: an old lighthouse keeper in a yellow raincoat
    image: { still: keeper-sheet }
stills:
  - id: mara-sheet
    model: wan2.6-t2i
    size: "960*1696"
    prompt: "Full-body character sheet of {{characters.mara.description}}, plain grey background."
  - id: keeper-sheet
    model: wan2.5-t2i-preview
    size: "1152*1536"
    prompt: "Full-body character sheet of {{characters.keeper.description}}, plain grey background."
  - id: quay-dawn
    model: wan2.7-image
    size: 1K
    prompt: A small stone quay at dawn, fishing boats, soft pink light.
scenes:
  - id: quay
    model: wan2.7-i2v
    first_frame: { still: quay-dawn }
    duration: 2
    prompt: The boats leave the quay one by one.
  - id: arrival
    model: wan2.7-r2v
    duration: 3
    prompt: "{{characters.mara}} steps off the train; {{characters.keeper}} waits under the clock."
  - id: walk
    model: wan2.6-r2v
    size: "1280*720"
    duration: 2
    prompt: "{{characters.keeper}} walks {{characters.mara}} to the lighthouse."
  - id: lamp
    model: wan2.7-i2v
    continues: arrival
    duration: 2
    prompt: The great lamp is lit at the top of the tower.
output:
  resolution: "1280*720"
  fit: contain
`;

let tools: FfmpegTools;
beforeAll(async () => {
  tools = await resolveFfmpeg();
});

/** Ids of the stills and clips that events say were made, and those taken from the cache. */
function madeAndCached(events: readonly RunEvent[]): { made: string[]; cached: string[] } {
  const ids = (type: 'rendered' | 'cached'): string[] => events.flatMap((e) => (e.type === type ? [e.clip] : [])).sort();
  return { made: ids('rendered'), cached: ids('cached') };
}

function rendered(outcome: Awaited<ReturnType<typeof renderStoryboard>>): RenderedStoryboard {
  if (outcome.status !== 'rendered') throw new Error(`render ${outcome.status}: ${'message' in outcome ? outcome.message : JSON.stringify(outcome.diagnostics)}`);
  return outcome;
}

const ALL_STILLS = ['keeper-sheet', 'mara-sheet', 'quay-dawn'];
const ALL_CLIPS = ['arrival', 'lamp', 'quay', 'walk'];
// keeper-sheet is the keeper's image: both r2v scenes send it, and lamp continues arrival's last frame
const AFTER_KEEPER_EDIT = ['arrival', 'keeper-sheet', 'lamp', 'walk'];

/** The storyboard with keeper-sheet's prompt edited. */
async function editKeeperSheet(file: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.replace('{{characters.keeper.description}}, plain grey background.', '{{characters.keeper.description}}, three-quarter view, plain grey background.'));
}

describe('characters and stills end to end on the preview backend', () => {
  it('makes the stills first, sends the sheets as references, starts a scene on a still, and verifies the film', async () => {
    const { dir, file } = await storyboardDir(STORYBOARD, 'sb-stills-');
    const backend = createPreviewBackend();
    const events: RunEvent[] = [];
    const first = rendered(await renderStoryboard(file, { backend, tools, onEvent: (e) => events.push(e) }));
    expect(first.failures).toEqual([]);
    expect(madeAndCached(events)).toEqual({ made: [...ALL_CLIPS, ...ALL_STILLS].sort(), cached: [] });
    // every clip that uses a still started after that still was made
    const at = (type: string, id: string): number => events.findIndex((e) => e.type === type && 'clip' in e && e.clip === id);
    for (const job of first.plan.jobs) for (const s of job.stills ?? []) expect(at('rendered', s), `${s} before ${job.id}`).toBeLessThan(at('started', job.id));
    const prompts = Object.fromEntries(first.plan.jobs.map((j) => [j.id, j.prompt]));
    expect(prompts.arrival).toBe('Image 1 steps off the train; Image 2 waits under the clock.');
    expect(prompts.walk).toBe('character1 walks character2 to the lighthouse.');
    expect(first.plan.jobs.find((j) => j.id === 'walk')?.references?.map((r) => r.character)).toEqual(['keeper', 'mara']);
    expect(first.verification?.ok, JSON.stringify(first.verification?.problems)).toBe(true);
    expect(first.verification?.frames.verified).toBe(9 * 30);
    // each still is a PNG of its planned size, recorded in the lock with its key and hash
    const lock = await readLock(lockPathFor(file));
    expect(Object.keys(lock?.stills ?? {}).sort()).toEqual(ALL_STILLS);
    for (const s of first.plan.stills) {
      const r = first.result.stills.get(s.id);
      const v = r ? (await probeMedia(tools, r.file)).streams[0] : undefined;
      expect([v?.codecName, v?.width, v?.height], s.id).toEqual(['png', s.expected.width, s.expected.height]);
      expect(lock?.stills?.[s.id]?.sha256).toBe(r?.sha256);
    }
    // the report shows the stills
    const report = await readFile(first.report ?? '', 'utf8');
    for (const id of ALL_STILLS) expect(report).toContain(`data-still="${id}"`);
    expect(report).toContain('Image 1 = mara (image)');

    // a second render makes nothing
    const again: RunEvent[] = [];
    const second = rendered(await renderStoryboard(file, { backend, tools, onEvent: (e) => again.push(e) }));
    expect(madeAndCached(again)).toEqual({ made: [], cached: [...ALL_CLIPS, ...ALL_STILLS].sort() });
    expect(second.film?.sha256).toBe(first.film?.sha256);

    // an edited still: plan says what will be made, and the render makes exactly that
    await editKeeperSheet(file);
    const { plan } = rendered(await renderStoryboard(file, { backend, tools, stillsOnly: true }));
    const predicted = await planRender(plan, { backend: 'preview', baseDir: dir, lockPath: lockPathFor(file) });
    // --stills made the new sheet already; the plan now reuses it and re-renders the clips that use it
    expect(predicted.stills.filter((s) => s.action === 'render')).toEqual([]);
    expect(predicted.clips.filter((c) => c.action === 'render').map((c) => c.clip).sort()).toEqual(['arrival', 'lamp', 'walk']);
    const third: RunEvent[] = [];
    const after = rendered(await renderStoryboard(file, { backend, tools, onEvent: (e) => third.push(e) }));
    expect(madeAndCached(third)).toEqual({ made: ['arrival', 'lamp', 'walk'], cached: ['keeper-sheet', 'mara-sheet', 'quay', 'quay-dawn'] });
    expect(after.verification?.ok).toBe(true);
  }, 300_000);

  it('render --stills makes only the stills, and a following plan prices only the clips', async () => {
    const { dir, file } = await storyboardDir(STORYBOARD, 'sb-stills-only-');
    const before = await runCli(['plan', file]);
    expect(before.stdout).toMatch(/To render: 3 of 3 stills and 4 of 4 clips, 9 s of video, estimated \$0\.99/);
    expect(before.stdout).toMatch(/stills first: \$0\.09 \(`storyboard render --stills`/);
    const cli = await runCli(['render', '--stills', '--json', file]);
    expect(cli.code, cli.stderr).toBe(0);
    const events = cli.stdout.trim().split('\n').map((l) => JSON.parse(l) as RunEvent | { type: 'summary'; output: string | null; stills: unknown });
    expect(madeAndCached(events as RunEvent[])).toEqual({ made: ALL_STILLS, cached: [] });
    expect(events.at(-1)).toMatchObject({ type: 'summary', rendered: 0, output: null, stills: { made: 3, cached: 0 } });
    const plan = await planRender((await compileFile(file)), { backend: 'preview', baseDir: dir, lockPath: lockPathFor(file) });
    expect(plan.stills.every((s) => s.action === 'reuse')).toBe(true);
    expect(plan.render.stills).toBe(0);
    expect(plan.render.usd).toBeCloseTo(0.99 - 0.09, 6);
    expect(Object.keys((await readLock(lockPathFor(file)))?.stills ?? {}).sort()).toEqual(ALL_STILLS);
  }, 120_000);
});

describe('characters and stills end to end through the emulator', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ latency: 0.2, render: previewRender(tools), ffmpeg: tools });
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('pays for every still and clip once, never again on a re-render, and only for what an edited still changes', async () => {
    const { file } = await storyboardDir(STORYBOARD, 'sb-stills-ds-');
    const first = await renderPaid(file, emulator.baseUrl, tools);
    const r = rendered(first.outcome);
    expect(r.failures).toEqual([]);
    const plan: Plan = r.plan;
    const seconds = plan.jobs.reduce((s, j) => s + j.expected.duration, 0);
    expect(emulator.stats()).toMatchObject({ submitted_tasks: plan.stills.length + plan.jobs.length, billed_images: 3, billed_seconds: seconds });
    // every film frame checked against its clip's frame codes (clips that take stills as inputs included)
    expect(r.verification?.problems ?? ['not verified']).toEqual([]);
    expect(r.verification?.frames.verified).toBe(seconds * 30);
    // async stills are tasks (their ids locked, like clips'); a sync still is one call with no task
    const locked = (await readLock(lockPathFor(file)))?.stills;
    for (const s of plan.stills) expect(locked?.[s.id]?.taskId !== undefined, s.id).toBe(s.request.mode === 'async');

    const again = await renderPaid(file, emulator.baseUrl, tools);
    expect(madeAndCached(again.events).made).toEqual([]);
    expect(emulator.stats()).toMatchObject({ submitted_tasks: 7, billed_images: 3, billed_seconds: seconds });

    await editKeeperSheet(file);
    const edited = await renderPaid(file, emulator.baseUrl, tools);
    expect(madeAndCached(edited.events).made).toEqual(AFTER_KEEPER_EDIT);
    const changed = plan.jobs.filter((j) => ['arrival', 'walk', 'lamp'].includes(j.id)).reduce((s, j) => s + j.expected.duration, 0);
    expect(emulator.stats()).toMatchObject({ submitted_tasks: 11, billed_images: 4, billed_seconds: seconds + changed });
  }, 300_000);
});
