// The task journal checks its entries when it opens: what it wrote is trusted as written, anything else is
// `damaged` (never a task id to collect), and a create about to be sent is marked maybe-submitted first.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileTaskJournal } from '../src/runner/task-journal.js';

const KEY = (n: number): string => n.toString(16).padStart(32, '0');

describe('FileTaskJournal', () => {
  it('reads back what it wrote, legacy entries included, and marks every other entry damaged', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sb-journal-'));
    const files: Record<string, string> = {
      [KEY(1)]: JSON.stringify({ key: KEY(1), taskId: '0385dc79-5ff8-4d82-bcb6-000000000001', submittedAt: '2026-01-02T03:04:05.000Z' }),
      [KEY(2)]: '{"key": "',
      [KEY(3)]: JSON.stringify({ key: KEY(4), taskId: 'abc' }),
      [KEY(5)]: JSON.stringify({ key: KEY(5), taskId: '../../etc/passwd' }),
      [KEY(6)]: JSON.stringify({ key: KEY(6), state: 'paid', taskId: 'abc' }),
      [KEY(7)]: JSON.stringify([KEY(7)]),
    };
    for (const [k, text] of Object.entries(files)) await writeFile(join(dir, `${k}.json`), text);
    await writeFile(join(dir, 'notes.json'), 'not an entry of ours');
    const journal = await FileTaskJournal.open(dir);
    expect(journal.entry(KEY(1))).toEqual({ state: 'submitted', taskId: '0385dc79-5ff8-4d82-bcb6-000000000001', since: Date.parse('2026-01-02T03:04:05.000Z') });
    expect(journal.submitted(KEY(1))).toBe('0385dc79-5ff8-4d82-bcb6-000000000001');
    for (const k of [2, 3, 5, 6, 7]) {
      expect(journal.entry(KEY(k))?.state, KEY(k)).toBe('damaged');
      expect(journal.submitted(KEY(k))).toBeUndefined();
    }
    expect(journal.entry('notes')).toBeUndefined();
  });

  it('marks a create maybe-submitted before it is sent, keeps the earliest unanswered attempt, and records the task over it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sb-journal-'));
    const journal = await FileTaskJournal.open(dir);
    await journal.recordMaybe(KEY(9));
    const first = journal.entry(KEY(9));
    expect(first?.state).toBe('maybe-submitted');
    expect(journal.submitted(KEY(9))).toBeUndefined();
    await new Promise((r) => setTimeout(r, 5));
    await journal.recordMaybe(KEY(9));
    expect((await FileTaskJournal.open(dir)).entry(KEY(9))).toEqual(first);
    await journal.record(KEY(9), 'task-1');
    const reopened = await FileTaskJournal.open(dir);
    expect(reopened.submitted(KEY(9))).toBe('task-1');
    expect(JSON.parse(await readFile(journal.locate(KEY(9)), 'utf8'))).toMatchObject({ version: 2, key: KEY(9), state: 'submitted', taskId: 'task-1' });
    await reopened.discard(KEY(9));
    expect((await FileTaskJournal.open(dir)).entry(KEY(9))).toBeUndefined();
  });
});
