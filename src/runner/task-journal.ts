// The durable journal of submitted remote tasks (one file per clip key), so a killed run collects them
// instead of paying again; entries are checked when read, and a create whose answer may be lost is marked first.
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { JournalEntry, TaskJournal } from '../backends/backend.js';
import { writeFileAtomic } from '../io/atomic-write.js';

/** File names the journal writes: `<clip key>.json`, a clip key being hex. Anything else in the folder is not ours. */
const KEY = /^[0-9a-f]{16,128}$/;
/** What a task id looks like (DashScope's are UUIDs); anything else in an entry is damage, not a task. */
const TASK_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * The journal of submitted remote tasks, one durable file per clip key (`journal/<key>.json`). A backend marks a
 * create `maybe-submitted` before sending it and records the task id once it is answered, before it waits on
 * the task, so a run killed at any point resumes by collecting or reconciling, never by blindly resubmitting.
 * Entries are checked when the journal is opened: one that cannot be read, or names another key or no valid
 * task id, is kept as `damaged` so the backend can look for the clip's task before paying again.
 */
export class FileTaskJournal implements TaskJournal {
  private readonly entries = new Map<string, JournalEntry>();

  private constructor(private readonly dir: string) {}

  /** Opens (and loads and checks) the journal in `dir`. */
  static async open(dir: string): Promise<FileTaskJournal> {
    await mkdir(dir, { recursive: true });
    const journal = new FileTaskJournal(dir);
    for (const f of await readdir(dir)) {
      const key = f.endsWith('.json') ? f.slice(0, -'.json'.length) : '';
      if (!KEY.test(key)) continue;
      const entry = await readEntry(join(dir, f), key);
      if (entry) journal.entries.set(key, entry);
    }
    return journal;
  }

  submitted(key: string): string | undefined {
    const entry = this.entries.get(key);
    return entry?.state === 'submitted' ? entry.taskId : undefined;
  }

  entry(key: string): JournalEntry | undefined {
    return this.entries.get(key);
  }

  locate(key: string): string {
    return join(this.dir, `${key}.json`);
  }

  async record(key: string, taskId: string): Promise<void> {
    const since = Date.now();
    await this.write(key, { state: 'submitted', taskId, submittedAt: new Date(since).toISOString() });
    this.entries.set(key, { state: 'submitted', taskId, since });
  }

  async recordMaybe(key: string): Promise<void> {
    // an earlier unresolved attempt keeps its (earlier) time: the search for its task must reach back to it
    const earlier = this.entries.get(key);
    const since = earlier?.state === 'maybe-submitted' && earlier.since !== undefined ? earlier.since : Date.now();
    await this.write(key, { state: 'maybe-submitted', since: new Date(since).toISOString() });
    this.entries.set(key, { state: 'maybe-submitted', since });
  }

  async discard(key: string): Promise<void> {
    await this.complete(key);
  }

  /** Forgets a task once its clip is safely in the cache (or the task is known to be gone). */
  async complete(key: string): Promise<void> {
    this.entries.delete(key);
    await rm(this.locate(key), { force: true });
  }

  private async write(key: string, fields: Record<string, string>): Promise<void> {
    await writeFileAtomic(this.locate(key), JSON.stringify({ version: 2, key, ...fields }) + '\n');
  }
}

/** One entry file, checked: an entry that is not what the journal writes is `damaged`, never trusted. */
async function readEntry(file: string, key: string): Promise<JournalEntry | undefined> {
  let text: string;
  let modified: number | undefined;
  try {
    text = await readFile(file, 'utf8');
    modified = (await stat(file)).mtimeMs;
  } catch {
    // removed since the folder was listed
    return undefined;
  }
  const damaged = (problem: string): JournalEntry => ({ state: 'damaged', problem, ...(modified !== undefined ? { since: modified } : {}) });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return damaged('it is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return damaged('it is not a JSON object');
  const e = value as Record<string, unknown>;
  if (e.key !== key) return damaged(`it names another clip key (${shown(e.key)})`);
  const since = timeOf(e.submittedAt ?? e.since) ?? modified;
  const at = since !== undefined ? { since } : {};
  // entries written before version 2 have no state: a task id and its time
  const state = e.state ?? 'submitted';
  if (state === 'maybe-submitted') return { state, ...at };
  if (state !== 'submitted') return damaged(`its state ${shown(state)} is unknown`);
  if (typeof e.taskId !== 'string' || !TASK_ID.test(e.taskId)) return damaged(`its task id ${shown(e.taskId)} is not a task id`);
  return { state, taskId: e.taskId, ...at };
}

/** A value from a damaged entry, short enough for a message. */
const shown = (v: unknown): string => (JSON.stringify(v) ?? String(v)).slice(0, 60);

function timeOf(v: unknown): number | undefined {
  const ms = typeof v === 'string' ? Date.parse(v) : Number.NaN;
  return Number.isFinite(ms) ? ms : undefined;
}
