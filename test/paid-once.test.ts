// Issue 13, points 1 and 12: a create whose answer is lost is never paid twice. Through the lossy proxy, a create
// the service accepted but whose answer became a 504 or a reset is reconciled with the task list, not resubmitted;
// and a 7-clip render leaves no abort listener behind (it used to warn "MaxListenersExceededWarning … 11").
import { getEventListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../src/backends/emulator/emulator-server.js';
import { journalFiles, renderPaid, shortClips, storyboardDir, verifyOwnClips } from './helpers/paid-render.js';
import { runCli } from './helpers/run-cli.js';
import { useLossyEmulator } from './helpers/lossy-emulator.js';

const lossy = useLossyEmulator();

describe('a 7-clip render whose every create answer is lost (504 after the service accepted the task)', () => {
  let file = '';
  let run: Awaited<ReturnType<typeof renderPaid>>;
  const warnings: string[] = [];
  const controller = new AbortController();
  let before: ReturnType<Emulator['stats']>;

  beforeAll(async () => {
    ({ file } = await storyboardDir(shortClips(7, 'Lost answers')));
    before = lossy.emulator.stats();
    lossy.proxy.decide = ({ kind }) => (kind === 'create' ? 'answer-504' : 'pass');
    const onWarning = (w: Error): void => void warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      run = await renderPaid(file, lossy.proxy.baseUrl, lossy.tools, { signal: controller.signal });
      // warnings are emitted on a later tick
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
      lossy.proxy.decide = () => 'pass';
    }
  }, 180_000);

  it('is paid once (point 1): 7 tasks, billed seconds are the clips\' seconds, every frame is its own clip\'s', async () => {
    const { outcome } = run;
    expect(outcome.status).toBe('rendered');
    if (outcome.status !== 'rendered') return;
    expect(outcome.result.failures.map((f) => f.message)).toEqual([]);
    expect(lossy.proxy.counts.create['answer-504']).toBeGreaterThanOrEqual(7);
    expect(lossy.emulator.stats().submitted_tasks - before.submitted_tasks).toBe(7);
    expect(lossy.emulator.stats().billed_seconds - before.billed_seconds).toBe(14);
    expect(outcome.verification?.ok).toBe(true);
    const own = await verifyOwnClips(lossy.tools, join(file, '..', outcome.plan.stitch.output), outcome.plan);
    expect(own.problems).toEqual([]);
    expect(own.frames).toBe(7 * 60);
  });

  it('raises no MaxListenersExceededWarning and leaves no abort listener on its signal (point 12)', () => {
    expect(warnings.filter((w) => w.includes('MaxListenersExceeded'))).toEqual([]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});

describe('a create whose answer is lost to a reset', () => {
  it('reset after sending while the task list is unreachable: the clip fails saying a paid task may exist; the next run reconciles and pays nothing more', async () => {
    const { dir, file } = await storyboardDir(shortClips(3, 'Reset'));
    const before = lossy.emulator.stats();
    // the first create reaches the service and its answer is lost to a reset; the task list is out of reach
    let reset = false;
    lossy.proxy.decide = ({ kind }) => {
      if (kind === 'create' && !reset) {
        reset = true;
        return 'reset-after';
      }
      return kind === 'list' ? 'reset-before' : 'pass';
    };
    const args = ['render', '--backend', 'dashscope', '--api-key', 'sk-paid-once', '--base-url', lossy.proxy.baseUrl, '--yes', '--unreachable-timeout', '2', file];
    const first = await runCli(args);
    expect(first.code).toBe(1);
    expect(lossy.proxy.counts.create['reset-after']).toBe(1);
    expect(first.stderr).toMatch(/error render-failed: clip `c\d`: .*may have created a task/);
    expect(first.stderr).toContain('maybe submitted');
    const entries = (await journalFiles(dir)).map((f) => JSON.parse(readFileSync(join(dir, '.storyboard', 'journal', f), 'utf8')) as { state?: string });
    expect(entries.map((e) => e.state)).toEqual(['maybe-submitted']);
    expect(lossy.emulator.stats().submitted_tasks - before.submitted_tasks).toBe(3);
    lossy.proxy.decide = () => 'pass';
    const second = await runCli(args);
    expect(second.code, second.stderr).toBe(0);
    expect(lossy.emulator.stats().submitted_tasks - before.submitted_tasks).toBe(3);
    expect(lossy.emulator.stats().billed_seconds - before.billed_seconds).toBe(6);
    expect(await journalFiles(dir)).toEqual([]);
  });
});
