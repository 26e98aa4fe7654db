// The render report in a real browser: render a small chained storyboard with the preview backend, write
// the report, open it in headless Chromium (playwright-core) and check what a user sees; saves a screenshot.
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
import { SEAM_SSIM_THRESHOLD } from '../src/report/collect-report.js';
import { writeReport } from '../src/report/write-report.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/stitch/ffmpeg-binaries.js';
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

  beforeAll(async () => {
    browser = await launchChromium();
    tools = await resolveFfmpeg();
    writeFileSync(file, STORYBOARD);
    plan = JSON.parse((await runCli(['compile', file])).stdout) as Plan;
    const r = await runCli(['render', '--json', file]);
    expect(r.code, r.stderr).toBe(0);
    events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as RunEvent | { type: 'summary' }).filter((e): e is RunEvent => e.type !== 'summary');
    lock = JSON.parse(readFileSync(join(dir, 'demo.lock.json'), 'utf8')) as LockFile;
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

  it('shows every clip with decoded thumbnails, the seams with their SSIM, and makes no request', async () => {
    const path = await writeReport(plan, result, events, lock.film, { tools, baseDir: dir, backend: 'preview' });
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
    const seams = await page.locator('[data-seam]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-seam'), e.textContent ?? '']));
    expect(seams.map(([id]) => id)).toEqual(['one>two', 'two>three']);
    for (const [id, text] of seams) {
      const ssim = Number(/SSIM (\d\.\d+)/.exec(text)?.[1]);
      expect(ssim, `seam ${id}`).toBeGreaterThanOrEqual(SEAM_SSIM_THRESHOLD);
    }
    expect(await imageWidths(page, '[data-seam] img')).toEqual([320, 320, 320, 320]);
    await expect(page.locator('header').textContent()).resolves.toMatch(/4 rendered · 0 cached/);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  }, 120_000);

  it('is deterministic: the same run gives the same bytes', async () => {
    const path = await writeReport(plan, result, events, lock.film, { tools, baseDir: dir, backend: 'preview' });
    const first = readFileSync(path);
    await writeReport(plan, result, events, lock.film, { tools, baseDir: dir, backend: 'preview' });
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
    const path = await writeReport(plan, { results, failures: [failure], skipped: ['three'] }, partialEvents, lock.film, { tools, baseDir: dir, backend: 'preview' });
    if (!browser) throw new Error('no browser');
    const { page, errors } = await openPage(browser, path);
    await expect(page.locator('header').textContent()).resolves.toMatch(/not assembled[\s\S]*1 failed · 1 skipped/);
    await expect(page.locator('[data-clip="two"] .error').textContent()).resolves.toBe(`${file}:${two.at.line}:${two.at.column} ${failure.message}`);
    await expect(page.locator('[data-clip="three"] .error').textContent()).resolves.toContain('its input clip two was not made');
    await expect(page.locator('[data-clip="two"] img').count()).resolves.toBe(0);
    await expect(page.locator('[data-seam="one>two"]').textContent()).resolves.toContain('SSIM n/a');
    await page.screenshot({ path: join(ARTIFACTS, 'report-partial.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
