// The issue-15 must-show for colour matching: a simulated 6-hop chain (7 wan2.7-i2v scenes, each continuing the one
// before, on the preview backend with drift on) assembled with colour matching off, on toward the first clip, and on
// toward an image file (an approved frame: the first clip's first frame). The chain's clips are rendered once; each variant is the same plan with the
// chain's drift settings set, assembled and verified frame by frame (frame codes still read after grading) and
// measured with collectDrift on the film. Measure: colour error against the anchor = mean over R,G,B of |Δmean| +
// mean over R,G,B of |Δstd|, pooled over 5 frames of each clip's kept footage (DRIFT_MEASURE).
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest } from '../src/assembly/film-manifest.js';
import { createPreviewBackend } from '../src/backends/preview/preview-backend.js';
import type { PreviewDrift } from '../src/backends/preview/preview-drift.js';
import { planStoryboard } from '../src/compiler/plan-storyboard.js';
import type { AnchorSource, ClipJob, Plan } from '../src/compiler/plan/types.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { runFfmpeg } from '../src/media/ffmpeg.js';
import { assembleFilm } from '../src/render/assemble-film.js';
import { loadStoryboard } from '../src/render/load-storyboard.js';
import { collectDrift, type DriftReport } from '../src/report/collect-drift.js';
import { renderReport } from '../src/report/render-report.js';
import { ClipCache } from '../src/runner/clip-cache.js';
import { runPlan, type RunResult } from '../src/runner/run-plan.js';
import { FileTaskJournal } from '../src/runner/task-journal.js';
import type { RunEvent } from '../src/runner/events.js';

const HOPS = 6;
const DRIFT: PreviewDrift = { cast: [6, -2, -5], gain: 1.04, blur: 0.6 };

/** 7 scenes of 2 s: the first on the keyframe, each continuing the one before (6 hops). */
function chainStoryboard(): string {
  const scenes = Array.from({ length: HOPS + 1 }, (_, k) => (k === 0
    ? '  - { id: hop0, first_frame: keyframe.png, duration: 2, prompt: "hop 0, a long take along a mossy wall." }'
    : `  - { id: hop${k}, continues: hop${k - 1}, duration: 2, prompt: "hop ${k}, the take goes on." }`));
  return ['version: 1', 'title: Colour drift', 'defaults: { model: wan2.7-i2v, resolution: 720P }', 'scenes:', ...scenes].join('\n') + '\n';
}

let tools: FfmpegTools;
let dir: string;
let plan: Plan;
let result: RunResult;
/** The first test's drift with matching on toward the first clip (the second test renders it again). */
let onFirstDrift: DriftReport;

/** The plan with every clip in one chain rooted at hop0 (what the compiler emits for `continues`), drift settings set. */
function chained(colourMatch: boolean, anchor: AnchorSource, output: string): Plan {
  const jobs = plan.jobs.map((j, hop): ClipJob => ({ ...j, chain: { root: 'hop0', hop, anchor, anchorAt: j.at, colourMatch, seamFrame: 'last' } }));
  return { ...plan, jobs, stitch: { ...plan.stitch, output } };
}

/** Assembles and verifies the variant's film, then measures its chain. */
async function variant(name: string, colourMatch: boolean, anchor: AnchorSource): Promise<{ drift: DriftReport; ok: boolean; problems: unknown[] }> {
  const p = chained(colourMatch, anchor, `${name}.mp4`);
  const events: RunEvent[] = [];
  const { film, verification } = await assembleFilm(p, result, {
    tools, baseDir: dir, normalizedDir: join(dir, '.storyboard', 'cache', 'normalized'), backend: 'preview', previous: undefined, onEvent: (e) => events.push(e),
  });
  const path = join(dir, film.file);
  const manifest = await readManifest(path);
  if (!manifest) throw new Error('no manifest');
  const drift = await collectDrift(p, result, { tools, baseDir: dir, film: path, manifest });
  if (!drift) throw new Error('no chain measured');
  return { drift, ok: verification.ok, problems: [...verification.problems] };
}

const clipsOf = (d: DriftReport): DriftReport['chains'][number]['clips'] => d.chains[0]?.clips ?? [];
const f2 = (v: number | undefined): string => (v === undefined ? '   —  ' : v.toFixed(2).padStart(6));

beforeAll(async () => {
  tools = await resolveFfmpeg();
  dir = await mkdtemp(join(tmpdir(), 'sb-colour-drift-'));
  // the drift simulation's keyframe: mid tones, a 32 px checkerboard and ripples (edges for sharpness, spread histograms)
  const checker = (a: number): string => `if(mod(floor(X/32)+floor(Y/32),2),${a},-${a})`;
  const texture = `geq=r='118+${checker(18)}+22*sin(X*0.9)*cos(Y*0.7)':g='104+${checker(16)}+20*sin(X*0.6+Y*0.4)':b='92+${checker(14)}+18*cos(X*0.8-Y*0.5)'`;
  await runFfmpeg(tools, ['-v', 'error', '-f', 'lavfi', '-i', `nullsrc=s=1280x720,format=gbrp,${texture}`, '-frames:v', '1', '-pix_fmt', 'rgb24', join(dir, 'keyframe.png')]);
  const file = join(dir, 'film.yaml');
  await writeFile(file, chainStoryboard());
  const loaded = await loadStoryboard(file);
  if (!loaded.result.ok) throw new Error(JSON.stringify(loaded.result.diagnostics));
  plan = planStoryboard(loaded.result.value);
  const cache = new ClipCache(join(dir, '.storyboard', 'cache'), tools);
  await cache.init();
  const journal = await FileTaskJournal.open(join(dir, '.storyboard', 'journal'));
  result = await runPlan(plan, { backend: createPreviewBackend({ drift: DRIFT }), ffmpeg: tools, cache, journal, baseDir: dir });
  expect(result.failures).toEqual([]);
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('colour matching a simulated 6-hop chain toward its anchor', () => {
  it('cuts the last hop\'s colour error to under a quarter, keeps the seams, and the film still verifies', async () => {
    const off = await variant('off', false, { clip: 'hop0' });
    const onFirst = await variant('on-first', true, { clip: 'hop0' });
    onFirstDrift = onFirst.drift;
    // an approved frame as the anchor image: hop0's first frame, as a user would pick it from the first clip
    const hop0 = result.results.get('hop0');
    if (!hop0) throw new Error('hop0 missing');
    await runFfmpeg(tools, ['-v', 'error', '-i', hop0.file, '-frames:v', '1', '-pix_fmt', 'rgb24', join(dir, 'approved.png')]);
    const onStill = await variant('on-still', true, { file: 'approved.png' });
    for (const [name, v] of [['off', off], ['on, anchor first clip', onFirst], ['on, anchor approved.png', onStill]] as const) expect([name, v.ok, v.problems]).toEqual([name, true, []]);
    const [a, b, c] = [clipsOf(off.drift), clipsOf(onFirst.drift), clipsOf(onStill.drift)];
    const rows = a.map((x, i) => `  hop ${x.hop}  ${f2(x.colourError)}  ${f2(b[i]?.colourErrorMatched ?? b[i]?.colourError)}  ${f2(c[i]?.colourError)}  ${f2(c[i]?.colourErrorMatched)}   ${x.seamSsim?.toFixed(4) ?? '  —   '}  ${b[i]?.seamSsim?.toFixed(4) ?? '  —   '}  ${c[i]?.seamSsim?.toFixed(4) ?? '  —   '}   ${f2(x.seamColourError)} ${f2(b[i]?.seamColourError)} ${f2(c[i]?.seamColourError)}  sharp ${x.sharpnessRatio.toFixed(2)}`);
    console.log(`colour error vs anchor (levels) and seam SSIM; anchor first clip: off | on, anchor approved.png: off | on; seam SSIM off | on-first | on-image; seam colour jump the same\n${rows.join('\n')}`);
    expect(a.map((x) => x.hop)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // off: the error against the first clip grows hop by hop
    for (let k = 2; k <= HOPS; k++) expect(a[k]?.colourError, `hop ${k} drifts further`).toBeGreaterThan((a[k - 1]?.colourError ?? 0) + 1);
    const lastOff = a[HOPS]?.colourError ?? 0;
    expect(lastOff).toBeGreaterThan(15);
    // on: the anchor clip is left alone, every other clip matched; the target: < 0.25 × off at the last hop
    expect(b[0]?.colourMatched).toBe(false);
    expect(b[0]?.mean).toEqual(a[0]?.mean);
    expect(b[HOPS]?.colourErrorMatched).toBeLessThan(0.25 * lastOff);
    for (let k = 1; k <= HOPS; k++) expect(b[k]?.colourErrorMatched, `hop ${k} matched`).toBeLessThan(0.25 * (a[k]?.colourError ?? 0) + 0.5);
    // toward an image anchor: the root is matched too
    const lastOffStill = c[HOPS]?.colourError ?? 0;
    expect(c[HOPS]?.colourErrorMatched).toBeLessThan(0.25 * lastOffStill);
    expect(c[0]?.colourMatched).toBe(true);
    // seams: matching removes the drift without making a jump at the seams between matched clips (a ramped grade, not
    // one LUT a clip). The seam out of the anchor clip is the exception: hop0 is left as made, and on the preview it
    // drifts one hop within itself, so its end and hop1's matched start differ by about half a hop (~4 levels)
    for (let k = 1; k <= HOPS; k++) {
      const [ssimSlack, jump] = k === 1 ? [0.02, 5] : [0.01, Math.max(1.5, 2 * (a[k]?.seamColourError ?? 0))];
      expect(b[k]?.seamSsim, `seam into hop ${k}`).toBeGreaterThan((a[k]?.seamSsim ?? 1) - ssimSlack);
      expect(b[k]?.seamColourError, `colour jump into hop ${k}`).toBeLessThan(jump);
      expect(c[k]?.seamSsim, `seam into hop ${k} (image anchor)`).toBeGreaterThan((a[k]?.seamSsim ?? 1) - 0.01);
      expect(c[k]?.seamColourError, `colour jump into hop ${k} (image anchor)`).toBeLessThan(Math.max(1.5, 2 * (a[k]?.seamColourError ?? 0)));
    }
    // the report draws a chart per chain
    const html = renderReport({ ...({} as Parameters<typeof renderReport>[0]), title: 't', storyboard: 's', backend: 'preview', film: { file: 'f', duration: 1, assembled: true },
      totals: { clips: 0, rendered: 0, cached: 0, failed: 0, skipped: 0, seconds: 0, costUsd: 0, planSeconds: 0, planCostUsd: 0 }, scenes: [], stills: [], joins: [],
      filmCheck: { state: 'not-verified', reason: 'n/a', problems: [], fps: 30 } as never, seams: [], ssimThreshold: 0.5, drift: onFirst.drift });
    expect(html).toMatch(/<svg class="chart"[^>]*>.*data-series="made".*data-series="matched".*data-series="ssim"/s);
    expect(html.match(/<tr data-clip=/g)).toHaveLength(HOPS + 1);
  }, 400_000);

  it('keeps grades with the normalised clips: a damaged LUT is not trusted, its grade is made again to the same bytes', async () => {
    const gradesDir = join(dir, '.storyboard', 'cache', 'normalized', 'grades');
    const cubes = (await readdir(gradesDir)).filter((f) => f.endsWith('.cube'));
    const texts = new Map(await Promise.all(cubes.map(async (f) => [f, await readFile(join(gradesDir, f), 'utf8')] as const)));
    for (const f of cubes) await writeFile(join(gradesDir, f), (texts.get(f) ?? '').replace('LUT_1D_SIZE', 'LUT_1D_SIZE 9'));
    const again = await variant('on-first-again', true, { clip: 'hop0' });
    expect([again.ok, again.problems]).toEqual([true, []]);
    // the same curves again (same names, same bytes) for every clip of that chain; the numbers are the first run's
    const intact = (await Promise.all(cubes.map(async (f) => (await readFile(join(gradesDir, f), 'utf8')) === texts.get(f)))).filter(Boolean).length;
    expect(intact).toBeGreaterThanOrEqual(HOPS);
    expect((await readdir(gradesDir)).filter((f) => f.endsWith('.cube')).sort()).toEqual([...cubes].sort());
    expect(clipsOf(again.drift).map((c) => c.colourErrorMatched)).toEqual(clipsOf(onFirstDrift).map((c) => c.colourErrorMatched));
  }, 180_000);
});
