// An in-memory task journal with the file journal's semantics (maybe-submitted keeps its earliest time), for
// backend tests that resume a "killed" run with the same journal.
import { BackendError, type JournalEntry, type TaskJournal } from '../../src/backends/backend.js';

/** The journal, its entries, and what the runner does after an item. */
export interface MemJournal extends TaskJournal {
  readonly entries: Map<string, JournalEntry>;
  /** What the runner does after a clip or still: clears the entry unless the failure keeps the task. */
  settle(key: string, error?: unknown): void;
}

/** A fresh journal; `onRecord` hears each task recorded (e.g. to stop the run right after). */
export function memJournal(onRecord?: (taskId: string) => void): MemJournal {
  const entries = new Map<string, JournalEntry>();
  return {
    entries,
    submitted: (key) => {
      const e = entries.get(key);
      return e?.state === 'submitted' ? e.taskId : undefined;
    },
    entry: (key) => entries.get(key),
    async record(key, taskId) {
      entries.set(key, { state: 'submitted', taskId, since: Date.now() });
      onRecord?.(taskId);
    },
    async recordMaybe(key) {
      const earlier = entries.get(key);
      entries.set(key, { state: 'maybe-submitted', since: earlier?.state === 'maybe-submitted' && earlier.since !== undefined ? earlier.since : Date.now() });
    },
    async discard(key) {
      entries.delete(key);
    },
    locate: (key) => `journal/${key}.json`,
    settle(key, error) {
      if (!(error instanceof BackendError && error.keepTask)) entries.delete(key);
    },
  };
}
