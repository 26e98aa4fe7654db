// The durable journal of submitted remote tasks (one file per clip key), so a killed run collects them
// instead of paying again.
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskJournal } from '../backends/backend.js';
import { writeFileAtomic } from '../io/atomic-write.js';

/**
 * The journal of submitted remote tasks, one durable file per clip key (`journal/<key>.json`), written
 * before the runner waits on the task, so a run killed at any point resumes by collecting, never resubmitting.
 */
export class FileTaskJournal implements TaskJournal {
  private readonly tasks = new Map<string, string>();

  private constructor(private readonly dir: string) {}

  /** Opens (and loads) the journal in `dir`. */
  static async open(dir: string): Promise<FileTaskJournal> {
    await mkdir(dir, { recursive: true });
    const journal = new FileTaskJournal(dir);
    for (const f of await readdir(dir)) {
      if (!f.endsWith('.json')) continue;
      try {
        const entry = JSON.parse(await readFile(join(dir, f), 'utf8')) as { key: string; taskId: string };
        journal.tasks.set(entry.key, entry.taskId);
      } catch {
        // a torn write cannot happen (atomic rename); anything unreadable is not ours
      }
    }
    return journal;
  }

  submitted(key: string): string | undefined {
    return this.tasks.get(key);
  }

  async record(key: string, taskId: string): Promise<void> {
    await writeFileAtomic(join(this.dir, `${key}.json`), JSON.stringify({ key, taskId, submittedAt: new Date().toISOString() }) + '\n');
    this.tasks.set(key, taskId);
  }

  /** Forgets a task once its clip is safely in the cache (or the task is known to be gone). */
  async complete(key: string): Promise<void> {
    this.tasks.delete(key);
    await rm(join(this.dir, `${key}.json`), { force: true });
  }
}
