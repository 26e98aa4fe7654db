// Issue 13, point 6: with the DashScope endpoint down, render says what it is waiting for, backs off visibly and
// gives up after the configured time (--unreachable-timeout) with its tasks journaled; the next run collects them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { journalFiles, shortClips, storyboardDir } from './helpers/paid-render.js';
import { runCli } from './helpers/run-cli.js';
import { useLossyEmulator } from './helpers/lossy-emulator.js';

const lossy = useLossyEmulator();

describe('the endpoint goes down after accepting the tasks', () => {
  it('render prints what it waits for and when it tries again, gives up after --unreachable-timeout with the tasks journaled, and the next run collects them', async () => {
    const { dir, file } = await storyboardDir(shortClips(2, 'Down'));
    const before = lossy.emulator.stats();
    lossy.proxy.decide = ({ kind }) => (kind === 'create' ? 'pass' : 'reset-before');
    const args = ['render', '--backend', 'dashscope', '--api-key', 'sk-paid-once', '--base-url', lossy.proxy.baseUrl, '--yes', '--unreachable-timeout', '2', file];
    const down = await runCli(args);
    expect(down.code).toBe(1);
    const waiting = down.stderr.split('\n').filter((l) => l.startsWith('waiting'));
    expect(waiting.length).toBeGreaterThanOrEqual(2);
    expect(waiting.join('\n')).toMatch(/waiting +c0: DashScope unreachable .* while waiting for task [0-9a-f-]{36}; trying again in \d+(\.\d)? s/);
    expect(down.stderr).toMatch(/error render-failed: clip `c\d`: gave up after DashScope was unreachable for \d+ s .*stays journaled/);
    const entries = (await journalFiles(dir)).map((f) => JSON.parse(readFileSync(join(dir, '.storyboard', 'journal', f), 'utf8')) as { state?: string; taskId?: string });
    expect(entries.map((e) => e.state)).toEqual(['submitted', 'submitted']);
    expect(lossy.emulator.stats().submitted_tasks - before.submitted_tasks).toBe(2);
    lossy.proxy.decide = () => 'pass';
    const back = await runCli(args);
    expect(back.code, back.stderr).toBe(0);
    expect(lossy.emulator.stats().submitted_tasks - before.submitted_tasks).toBe(2);
    expect(lossy.emulator.stats().billed_seconds - before.billed_seconds).toBe(4);
  });

  it('the endpoint unreachable from the start: nothing is submitted twice, the render gives up with a message', async () => {
    const { dir, file } = await storyboardDir(shortClips(2, 'Never up'));
    const before = lossy.emulator.stats();
    lossy.proxy.decide = () => 'reset-before';
    const r = await runCli(['render', '--backend', 'dashscope', '--api-key', 'sk-paid-once', '--base-url', lossy.proxy.baseUrl, '--yes', '--unreachable-timeout', '1', file]);
    lossy.proxy.decide = () => 'pass';
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/waiting +c0: DashScope unreachable .*; trying again in/);
    expect(r.stderr).toMatch(/error render-failed: clip `c0`: gave up after DashScope was unreachable/);
    expect(lossy.emulator.stats().submitted_tasks - before.submitted_tasks).toBe(0);
    // nothing reached the service, yet nothing proves it: the next run reconciles before submitting
    const again = await runCli(['render', '--backend', 'dashscope', '--api-key', 'sk-paid-once', '--base-url', lossy.proxy.baseUrl, '--yes', file]);
    expect(again.code, again.stderr).toBe(0);
    expect(lossy.emulator.stats().submitted_tasks - before.submitted_tasks).toBe(2);
    expect(await journalFiles(dir)).toEqual([]);
  });
});
