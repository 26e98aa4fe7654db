// Which DashScope task a clip (or an async still) waits on: the journaled one (verified before use), one found in
// the task list, or a new one; a create whose answer was lost and a journal entry that cannot be trusted are
// settled through the task list before anything is paid for again.
import { repair } from '../../diagnostics/repair.js';
import { BackendError, type BackendNotice, type JournalEntry } from '../backend.js';
import type { ListedTask } from './dashscope-client.js';
import { DashscopeError } from './dashscope-error.js';
import { createTask, type CreateContext } from './create-task.js';
import { Outage, OutageGiveUp, type OutagePolicy } from './outage.js';
import { findClipTask, type ReconcileContext } from './reconcile-task.js';
import { redactedMessage } from './redact.js';
import type { PreparedBody } from './resolve-body.js';
import type { TaskFacts } from './task-facts.js';
import type { Subject, TaskRequest } from './task-request.js';

/** Tasks and results live 24 h: a search for a task of unknown age reaches back this far. */
const RETENTION_MS = 24 * 3600 * 1000;

/** Everything one clip's (or still's) task handling needs. */
export interface ClipContext {
  readonly req: TaskRequest;
  /** What is made, for messages. */
  readonly what: Subject;
  readonly facts: TaskFacts;
  readonly create: CreateContext;
  /** `rejected` there is {@link ClipContext.rejected}. */
  readonly reconcile: ReconcileContext;
  readonly outage: OutagePolicy;
  /** Tasks found not to be this clip's. */
  readonly rejected: Set<string>;
  readonly notify: (kind: BackendNotice['kind'], message: string) => void;
}

/**
 * A task the clip waits on. `trusted` when this run knows it is the clip's (it created the task, or matched its
 * prompt and length in the task list); a task named by the journal is checked when it finishes. `since` is
 * when it was journaled.
 */
export interface ClipTask {
  readonly id: string;
  readonly trusted: boolean;
  readonly since?: number;
}

/** The clip's task as the journal has it, checked; undefined when the clip has no task and must be submitted. */
export async function journaledTask(c: ClipContext): Promise<ClipTask | undefined> {
  const { journal, key } = c.req;
  const entry = journal.entry?.(key) ?? submittedEntry(journal.submitted(key));
  if (!entry) return undefined;
  if (entry.state === 'submitted') {
    const task = { id: entry.taskId, trusted: false, ...(entry.since !== undefined ? { since: entry.since } : {}) };
    return c.create.claims.otherOwner(entry.taskId, key) === undefined ? task : setAside(c, task, `another ${c.what} of this render has it`);
  }
  if (entry.state === 'maybe-submitted') {
    c.notify('waiting', `an earlier create of this ${c.what}${at(entry.since)} got no answer: looking for its task in the task list before submitting anything`);
    const found = await settled(c, () => findClipTask(c.reconcile, c.facts, entry.since ?? c.outage.now() - RETENTION_MS), 'an earlier create of it got no answer');
    return found && adopt(c, found, 'the unanswered create');
  }
  const where = locate(c);
  const damaged = `${entryName(c)} of ${c.what} \`${c.req.job.id}\` cannot be read (${entry.problem})`;
  c.notify('waiting', `${damaged}: looking for this ${c.what}'s task in the task list before paying again`);
  const found = await settled(c, () => findClipTask(c.reconcile, c.facts, c.outage.now() - RETENTION_MS), `${entryName(c)} could not be read`);
  if (found) {
    const task = await adopt(c, found, `${entryName(c)}, which could not be read`);
    c.req.onRepair?.(repair('journal-entry-damaged', where, `${damaged}: replaced by its task ${found.taskId}, found in the task list and collected`, c.req.job.id));
    return task;
  }
  await journal.discard?.(key);
  c.req.onRepair?.(repair('journal-entry-damaged', where, `${damaged}: discarded; DashScope holds no paid task for this ${c.what}, so it is made again, once`, c.req.job.id));
  return undefined;
}

/**
 * A task that turned out not to be the clip's: its journal entry is discarded (the task is left alone, it is
 * someone else's) and the clip's own task is looked for; undefined when there is none and the clip must be made.
 */
export async function setAside(c: ClipContext, task: ClipTask, why: string): Promise<ClipTask | undefined> {
  const where = locate(c);
  c.rejected.add(task.id);
  await c.req.journal.discard?.(c.req.key);
  c.req.onRepair?.(repair('journal-task-mismatch', where, `${entryName(c)} of ${c.what} \`${c.req.job.id}\` names task ${task.id}, which is not this ${c.what}'s (${why}): `
    + `discarded, and that task is left alone and never used; this ${c.what}'s own task is looked for in the task list`, c.req.job.id));
  const found = await settled(c, () => findClipTask(c.reconcile, c.facts, c.outage.now() - RETENTION_MS), `${entryName(c)} named another ${c.what}'s task`);
  if (found) return adopt(c, found, 'the task list');
  c.notify('journal', `DashScope holds no paid task for this ${c.what}: it is made again, once`);
  return undefined;
}

/**
 * A journaled task ended without a video (FAILED or UNKNOWN) before it was known to be the clip's: the clip's
 * own task may still exist (the entry may have been wrong), so it is looked for before a new one is paid for.
 */
export async function lookBeyond(c: ClipContext, task: ClipTask): Promise<ClipTask | undefined> {
  c.rejected.add(task.id);
  const since = task.since !== undefined ? task.since : c.outage.now() - RETENTION_MS;
  const found = await settled(c, () => findClipTask(c.reconcile, c.facts, since), `its journaled task ${task.id} ended without a video`);
  return found && adopt(c, found, 'the task list');
}

/**
 * Submits the clip's task. An answer lost after sending is settled through the task list (the task found is
 * collected, never paid for twice); only when the list shows no such task is the create sent again, after a
 * visible backoff, until the service has refused or failed for the give-up time.
 */
export async function submitTask(c: ClipContext, prepared: PreparedBody): Promise<ClipTask> {
  const outage = new Outage(c.outage, `submitting this ${c.what}'s task`);
  const started = c.outage.now();
  for (;;) {
    let created;
    try {
      created = await createTask(c.create, c.req, prepared, outage);
    } catch (e) {
      if (e instanceof OutageGiveUp) throw new BackendError(`${e.message}: nothing was submitted`, false, 'Unreachable');
      throw e;
    }
    if ('taskId' in created) return { id: created.taskId, trusted: true };
    const why = describe(c, created.lost);
    c.notify('waiting', `the create request got no answer to rely on (${why}): DashScope may have created the task, so the task list is searched before anything is sent again`);
    const since = Math.min(started, c.req.journal.entry?.(c.req.key)?.since ?? started);
    const found = await settled(c, () => findClipTask(c.reconcile, c.facts, since), `its create request got no answer to rely on: ${why}`);
    if (found) return adopt(c, found, 'the unanswered create');
    c.notify('waiting', 'DashScope holds no task from that request: submitting it again');
    outage.reached();
    try {
      await outage.failed(created.lost);
    } catch (e) {
      if (e instanceof OutageGiveUp) throw new BackendError(`${e.message}: nothing was submitted`, false, 'Unreachable');
      throw e;
    }
  }
}

/** Runs a search of the task list; when it cannot conclude, the clip fails saying a paid task may exist. */
async function settled(c: ClipContext, search: () => Promise<ListedTask | undefined>, cause: string): Promise<ListedTask | undefined> {
  try {
    return await search();
  } catch (e) {
    if (c.req.signal.aborted) throw new BackendError('the run was stopped', true, 'Aborted');
    const what = e instanceof OutageGiveUp || e instanceof BackendError ? e.message : redactedMessage(e, c.create.client.secrets);
    throw new BackendError(`${what}: DashScope may have created a task for this ${c.what} (${cause}) and it could not be found out; `
      + `the ${c.what} stays marked maybe submitted in the journal and the next run looks for its task before submitting anything `
      + `(deleting ${entryName(c)} submits it anew, which may pay twice)`, true, e instanceof BackendError && e.code === 'Undecidable' ? 'Undecidable' : 'MaybeSubmitted');
  }
}

/** Takes a task found in the task list as the clip's: claimed and journaled before it is waited on. */
async function adopt(c: ClipContext, found: ListedTask, from: string): Promise<ClipTask> {
  c.create.claims.claim(found.taskId, c.req.key);
  await c.req.journal.record(c.req.key, found.taskId);
  c.notify('journal', `found this ${c.what}'s task ${found.taskId} (${found.status}) in the task list for ${from}: collecting it instead of paying again`);
  return { id: found.taskId, trusted: true };
}

function submittedEntry(taskId: string | undefined): JournalEntry | undefined {
  return taskId === undefined ? undefined : { state: 'submitted', taskId };
}

/** Where the clip's journal entry is kept (its file), for repairs and messages. */
const locate = (c: ClipContext): string => c.req.journal.locate?.(c.req.key) ?? 'the task journal';
const entryName = (c: ClipContext): string => (c.req.journal.locate ? `the journal entry ${locate(c)}` : 'the journal entry');
const at = (since: number | undefined): string => (since === undefined ? '' : ` (${new Date(since).toISOString()})`);
const describe = (c: ClipContext, e: unknown): string => (e instanceof DashscopeError ? e.describe() : redactedMessage(e, c.create.client.secrets));
