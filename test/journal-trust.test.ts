// Issue 13, point 4: the journal is verified before use. A journal entry naming another clip's task, or one that
// cannot be read, is discarded with a message naming it; the clip's own task is found through the task list
// and collected, and a clip is made again (once) only when the service is known to hold nothing paid for it.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../src/runner/events.js';
import { journalFiles, renderPaid, shortClips, storyboardDir, verifyOwnClips } from './helpers/paid-render.js';
import { previewRender } from '../src/backends/emulator/preview-render.js';
import { startEmulator } from '../src/backends/emulator/emulator-server.js';
import { startLossyProxy, type LossyProxy } from './helpers/lossy-proxy.js';
import { useLossyEmulator } from './helpers/lossy-emulator.js';

const lossy = useLossyEmulator();

type Entry = Record<string, unknown> & { key: string; taskId?: string };

/** A first run whose every task is created and journaled, but whose answers to task queries are all lost. */
async function journaledRun(title: string, via: LossyProxy, clips: number): Promise<{ dir: string; file: string; entries: Map<string, Entry> }> {
  const { dir, file } = await storyboardDir(shortClips(clips, title));
  via.decide = ({ kind }) => (kind === 'query' ? 'reset-before' : 'pass');
  const { outcome } = await renderPaid(file, via.baseUrl, lossy.tools, { unreachableTimeoutSeconds: 1, timeoutSeconds: 3 });
  via.decide = () => 'pass';
  expect(outcome.status === 'rendered' && outcome.result.failures.length).toBe(clips);
  const entries = new Map<string, Entry>();
  for (const f of await journalFiles(dir)) entries.set(f, JSON.parse(await readFile(join(dir, '.storyboard', 'journal', f), 'utf8')) as Entry);
  expect([...entries.values()].every((e) => typeof e.taskId === 'string')).toBe(true);
  return { dir, file, entries };
}

/** The journal repairs a run reported: `<code> <clip>: <message>`. */
const journalNotices = (events: readonly RunEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'repair' && e.code.startsWith('journal-') ? [`${e.code} ${e.clip ?? ''}: ${e.message}`] : []));

describe('journal entries are verified before use', () => {
  it('two entries with swapped task ids and one unreadable entry: each clip still gets its own video, nothing is paid again, the entries are named', async () => {
    const before = lossy.emulator.stats();
    const { dir, file, entries } = await journaledRun('Swapped', lossy.proxy, 3);
    const [a, b, c] = [...entries.keys()] as [string, string, string];
    const [ea, eb] = [entries.get(a) as Entry, entries.get(b) as Entry];
    await writeFile(join(dir, '.storyboard', 'journal', a), JSON.stringify({ ...ea, taskId: eb.taskId }));
    await writeFile(join(dir, '.storyboard', 'journal', b), JSON.stringify({ ...eb, taskId: ea.taskId }));
    await writeFile(join(dir, '.storyboard', 'journal', c), '{"key": "', 'utf8');
    const { outcome, events } = await renderPaid(file, lossy.emulator.baseUrl, lossy.tools);
    expect(outcome.status === 'rendered' && outcome.result.failures.map((f) => f.message)).toEqual([]);
    if (outcome.status !== 'rendered') return;
    expect(lossy.emulator.stats().submitted_tasks - before.submitted_tasks).toBe(3);
    expect(lossy.emulator.stats().billed_seconds - before.billed_seconds).toBe(6);
    const own = await verifyOwnClips(lossy.tools, join(dir, outcome.plan.stitch.output), outcome.plan);
    expect(own.problems).toEqual([]);
    expect(own.frames).toBe(3 * 60);
    const notices = journalNotices(events).join('\n');
    expect(notices).toMatch(new RegExp(`journal-task-mismatch c\\d: .*(${a}|${b}).* names task .*, which is not this clip's`));
    expect(notices).toMatch(new RegExp(`journal-entry-damaged c\\d: .*${c}.* cannot be read \\(it is not JSON\\): replaced by its task`));
    expect(await journalFiles(dir)).toEqual([]);
  });

  it('an unreadable entry with nothing paid behind it is discarded with a message and its clip made once', async () => {
    // the first run's tasks live on a service that is then replaced: the new one holds nothing for these clips
    const first = await startEmulator({ latency: 0.3, render: previewRender(lossy.tools), ffmpeg: lossy.tools });
    const via = await startLossyProxy(first.url);
    let run: Awaited<ReturnType<typeof journaledRun>>;
    try {
      run = await journaledRun('Nothing behind', via, 2);
    } finally {
      await via.close();
      await first.close();
    }
    const [a] = [...run.entries.keys()] as [string];
    await writeFile(join(run.dir, '.storyboard', 'journal', a), 'not json at all', 'utf8');
    const before = lossy.emulator.stats();
    const { outcome, events } = await renderPaid(run.file, lossy.emulator.baseUrl, lossy.tools);
    expect(outcome.status === 'rendered' && outcome.result.failures.map((f) => f.message)).toEqual([]);
    if (outcome.status !== 'rendered') return;
    expect(lossy.emulator.stats().submitted_tasks - before.submitted_tasks).toBe(2);
    expect(lossy.emulator.stats().billed_seconds - before.billed_seconds).toBe(4);
    expect(outcome.verification?.ok).toBe(true);
    expect(journalNotices(events).join('\n')).toMatch(new RegExp(`journal-entry-damaged c\\d: .*${a}.* cannot be read .*: discarded; DashScope holds no paid task`));
  });
});
