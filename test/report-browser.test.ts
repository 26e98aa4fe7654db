// The render report in a real browser: render a small chained storyboard with the preview backend, write
// the report with the film's verification, open it in headless Chromium (playwright-core) and check what a
// user sees: the film check (verified, failed, not verified) and every join measured on the film; saves screenshots.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPreviewBackend } from '../src/backends/preview/preview-backend.js';
import type { Plan } from '../src/compiler/plan/types.js';
import { ClipCache } from '../src/runner/clip-cache.js';
import type { RunEvent } from '../src/runner/events.js';
import type { LockFile } from '../src/runner/lock-file.js';
import { ClipRenderError, runPlan, type RunResult } from '../src/runner/run-plan.js';
import { FileTaskJournal } from '../src/runner/task-journal.js';
import { SEAM_SSIM_THRESHOLD } from '../src/report/collect-film-check.js';
import type { FilmManifest } from '../src/assembly/film-manifest.js';
import type { FilmVerification } from '../src/assembly/verify-film.js';
import { writeReport } from '../src/report/write-report.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { runCli } from './helpers/run-cli.js';

const CHROMIUM = process.env.STORYBOARD_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const TRICKY_PROMPT = `A quiet street <at night> & "rain" on the shop's sign.`;
const STORYBOARD = `version: 1
title: Report demo
defaults: { resolution: 720P }
scenes:
  - { id: one, title: The red door, model: wan2.2-t2v-plus, size: "832*480", prompt: A red door. }
  - { id: two, model: wan2.2-i2v-flash, resolution: 480P, continues: one, prompt: The door opens. }
  - { id: three, model: wan2.2-i2v-flash, resolution: 480P, continues: two, prompt: A garden behind it. }
  - { id: other, model: wan2.2-t2v-plus, size: "832*480", prompt: '${TRICKY_PROMPT.replace(/'/g, "''")}' }
`;

/** playwright-core and Debian's Chromium: a missing one fails the file with how to install it, never a skip. */
async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The report browser test needs Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (or set STORYBOARD_CHROMIUM)`);
  }
  const playwright = await import('playwright-core').catch((e: unknown) => {
    throw new Error(`The report browser test needs playwright-core: \`npm install --save-dev playwright-core@1\` (${e instanceof Error ? e.message : String(e)})`);
  });
  // playwright gives every launch a fresh, empty user data dir of its own
  return playwright.chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** A page that records console errors, uncaught exceptions, failed requests and every non-data: request. */
async function openPage(browser: Browser, file: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  const url = pathToFileURL(file).href;
  page.on('console', (m) => void (m.type() === 'error' && errors.push(`console: ${m.text()}`)));
  page.on('pageerror', (e) => void errors.push(`page: ${e.message}`));
  page.on('requestfailed', (r) => void errors.push(`request failed: ${r.url().slice(0, 80)} ${r.failure()?.errorText ?? ''}`));
  page.on('request', (r) => void (r.url() !== url && !r.url().startsWith('data:') && requests.push(r.url())));
  await page.goto(url, { waitUntil: 'load' });
  return { page, errors, requests };
}

/** Natural widths of the images under `selector` (0 when an image did not decode). */
async function imageWidths(page: Page, selector: string): Promise<number[]> {
  return page.locator(selector).evaluateAll((els) => els.map((e) => (e as unknown as { naturalWidth: number }).naturalWidth));
}

describe('render report in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-report-'));
  const file = join(dir, 'demo.yaml');
  let tools: FfmpegTools;
  let browser: Browser | undefined;
  let plan: Plan;
  let result: RunResult;
  let events: RunEvent[];
  let lock: LockFile;
  let verification: FilmVerification;

  beforeAll(async () => {
    browser = await launchChromium();
    tools = await resolveFfmpeg();
    writeFileSync(file, STORYBOARD);
    plan = JSON.parse((await runCli(['compile', file])).stdout) as Plan;
    const r = await runCli(['render', '--json', file]);
    expect(r.code, r.stderr).toBe(0);
    events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as RunEvent | { type: 'summary' }).filter((e): e is RunEvent => e.type !== 'summary');
    lock = JSON.parse(readFileSync(join(dir, 'demo.lock.json'), 'utf8')) as LockFile;
    // what the render's verification of the film found, recorded next to it
    const manifest = JSON.parse(readFileSync(join(dir, plan.stitch.output.replace(/\.mp4$/, '.timeline.json')), 'utf8')) as FilmManifest;
    if (!manifest.verification) throw new Error('the render recorded no verification');
    verification = manifest.verification;
    // the render's RunResult again, from the cache it filled (a frozen run renders nothing)
    const cache = new ClipCache(join(dir, '.storyboard', 'cache'), tools);
    await cache.init();
    const journal = await FileTaskJournal.open(join(dir, '.storyboard', 'journal'));
    result = await runPlan(plan, { backend: createPreviewBackend(), ffmpeg: tools, cache, journal, baseDir: dir, frozen: true });
    expect(result.results.size).toBe(plan.jobs.length);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows every clip with decoded thumbnails, the verified film and every join measured on the film, and makes no request', async () => {
    const path = await writeReport(plan, result, events, lock.film, { tools, baseDir: dir, backend: 'preview', verification });
    expect(path).toBe(join(dir, plan.stitch.output.replace(/\.mp4$/, '.report.html')));
    const html = readFileSync(path, 'utf8');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    if (!browser) throw new Error('no browser');
    const { page, errors, requests } = await openPage(browser, path);
    for (const job of plan.jobs) {
      const card = page.locator(`[data-clip="${job.id}"]`);
      await expect(card.locator('h3').textContent()).resolves.toContain(job.id);
      const widths = await imageWidths(page, `[data-clip="${job.id}"] img.thumb`);
      expect(widths, job.id).toEqual([320, 320, 320]);
    }
    await expect(page.locator('[data-clip="other"] .prompt').textContent()).resolves.toBe(TRICKY_PROMPT);
    await expect(page.locator('.block').count()).resolves.toBe(plan.jobs.length);
    // the film check: 5 s clips at 30 fps, less the duplicated first frame of each of the two continuing clips
    const frames = 4 * 150 - 2;
    expect(verification).toMatchObject({ ok: true, frames: { expected: frames, decoded: frames, verified: frames, unchecked: 0 } });
    await expect(page.locator('[data-film-check]').textContent()).resolves.toBe(`Film check✓ verified ${frames} of ${frames} frames`);
    await expect(page.locator('[data-check="verified"] .verdict').textContent()).resolves.toBe(`✓ Verified: ${frames} of ${frames} frames checked by frame code`);
    await expect(page.locator('[data-check] .checkfacts').textContent()).resolves.toContain(`frames${frames} decoded · ${frames} expected`);
    // every join, measured on the film: continuity seams judged, the cut shown for information
    const seams = await page.locator('[data-seam]').evaluateAll((els) => els.map((e) => ({ id: e.getAttribute('data-seam'), type: e.getAttribute('data-type'), state: e.className, ssim: Number(e.getAttribute('data-ssim')), text: e.textContent ?? '' })));
    expect(seams.map((x) => [x.id, x.type])).toEqual([['one>two', 'seam'], ['two>three', 'seam'], ['three>other', 'cut']]);
    for (const [i, x] of seams.entries()) {
      const measured = verification.seams[i];
      expect(x.ssim, `${x.id}`).toBeCloseTo(measured?.ssim ?? -1, 4);
      expect(x.text).toContain(`film frame ${measured?.before}`);
      expect(x.text).toContain(`film frame ${measured?.after}`);
    }
    for (const x of seams.filter((y) => y.type === 'seam')) {
      expect(x.ssim, `seam ${x.id}`).toBeGreaterThanOrEqual(SEAM_SSIM_THRESHOLD);
      expect(x.state).toContain('ok');
      expect(x.text).toContain(`continues (≥ ${SEAM_SSIM_THRESHOLD})`);
    }
    expect(seams[2]?.state).toContain('info');
    expect(seams[2]?.text).toContain('not judged');
    expect(await imageWidths(page, '[data-seam] img')).toEqual([320, 320, 320, 320, 320, 320]);
    await expect(page.locator('header').textContent()).resolves.toMatch(/4 rendered · 0 cached/);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  }, 120_000);

  it('a failed verification is an error the user sees: every problem in red with its film frames and times, no green check', async () => {
    const failed: FilmVerification = {
      ...verification, ok: false,
      frames: { ...verification.frames, decoded: verification.frames.expected - 1, verified: 100 },
      problems: [
        { kind: 'skipped', first: 100, last: 148, message: 'film frames 100–148 (3.333–4.933 s): skipped: one frame 101 where one frame 100 belongs (first of the run)' },
        { kind: 'missing', first: 597, last: 597, message: 'film frame 597 (19.900 s): missing: the film ends after 597 frames; its timeline has 598' },
        { kind: 'audio', message: 'the film has a sound track its timeline does not expect' },
      ],
    };
    const path = await writeReport(plan, result, events, lock.film, { tools, baseDir: dir, backend: 'preview', verification: failed });
    if (!browser) throw new Error('no browser');
    const { page, errors } = await openPage(browser, path);
    await expect(page.locator('[data-film-check]').textContent()).resolves.toBe('Film check✗ failed 3 problems');
    await expect(page.locator('[data-check="failed"] .verdict').textContent()).resolves.toBe('✗ Verification failed: 3 problems');
    const items = await page.locator('[data-check="failed"] .problems li').evaluateAll((els) => els.map((e) => ({ kind: e.getAttribute('data-kind'), text: e.textContent, colour: (globalThis as unknown as { getComputedStyle: (el: unknown) => { color: string } }).getComputedStyle(e).color })));
    expect(items.map((i) => i.text)).toEqual([
      'film-skippedframes 100–148 · 3.333–4.933 sone frame 101 where one frame 100 belongs (first of the run)',
      'film-missingframe 597 · 19.900 sthe film ends after 597 frames; its timeline has 598',
      'film-audio the film has a sound track its timeline does not expect',
    ]);
    for (const i of items) expect(i.colour).toBe('rgb(140, 29, 36)');
    expect(await page.locator('body').textContent()).not.toContain('✓');
    await page.screenshot({ path: join(ARTIFACTS, 'report-failed.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('is deterministic: the same run gives the same bytes', async () => {
    const path = await writeReport(plan, result, events, lock.film, { tools, baseDir: dir, backend: 'preview', verification });
    const first = readFileSync(path);
    await writeReport(plan, result, events, lock.film, { tools, baseDir: dir, backend: 'preview', verification });
    expect(readFileSync(path).equals(first)).toBe(true);
  }, 120_000);

  it('after a partial run shows the failed clip with its error and YAML position, and the skipped one', async () => {
    const three = plan.jobs.find((j) => j.id === 'three');
    const two = plan.jobs.find((j) => j.id === 'two');
    if (!three || !two) throw new Error('plan lacks clips');
    const results = new Map([...result.results].filter(([id]) => id !== 'two' && id !== 'three'));
    const failure = new ClipRenderError('two', two.at, 'task failed: <InternalError> quota & "limits"');
    const partialEvents: RunEvent[] = [
      ...events.filter((e) => !('clip' in e) || (e.clip !== 'two' && e.clip !== 'three')).filter((e) => e.type !== 'stitched'),
      { type: 'failed', clip: 'two', message: failure.message, at: two.at },
      { type: 'skipped', clip: 'three', reason: 'its input clip `two` was not made' },
    ];
    const path = await writeReport(plan, { results, stills: new Map(), failures: [failure], skipped: ['three'] }, partialEvents, lock.film, { tools, baseDir: dir, backend: 'preview' });
    if (!browser) throw new Error('no browser');
    const { page, errors } = await openPage(browser, path);
    await expect(page.locator('header').textContent()).resolves.toMatch(/not assembled[\s\S]*1 failed · 1 skipped/);
    await expect(page.locator('[data-clip="two"] .error').textContent()).resolves.toBe(`${file}:${two.at.line}:${two.at.column} ${failure.message}`);
    await expect(page.locator('[data-clip="three"] .error').textContent()).resolves.toContain('its input clip two was not made');
    await expect(page.locator('[data-clip="two"] img').count()).resolves.toBe(0);
    // nothing was assembled, so nothing was verified: said so, never a green check
    await expect(page.locator('[data-film-check]').textContent()).resolves.toBe('Film checknot verified');
    await expect(page.locator('[data-check="not-verified"]').textContent()).resolves.toContain('the film was not assembled');
    await expect(page.locator('[data-seam="one>two"]').textContent()).resolves.toContain('SSIM n/a');
    await expect(page.locator('[data-seam="one>two"]').textContent()).resolves.toContain('not measured: the film was not assembled');
    expect(await page.locator('body').textContent()).not.toContain('✓');
    await page.screenshot({ path: join(ARTIFACTS, 'report-partial.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
