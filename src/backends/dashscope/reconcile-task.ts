// Finds a clip's or still's task in the DashScope task list when nothing else can say whether it exists (a create
// whose answer was lost, a journal entry that cannot be trusted): by model, submission time, prompt, seed and length.
import { BackendError } from '../backend.js';
import type { DashscopeClient, ListedTask } from './dashscope-client.js';
import { DashscopeError, isRetryable } from './dashscope-error.js';
import { Outage, type OutagePolicy } from './outage.js';
import { pollDelayMs } from './poll-schedule.js';
import { TERMINAL_STATUSES } from './poll-task.js';
import type { SlidingWindowLimiter } from './rate-limiter.js';
import { redactedMessage } from './redact.js';
import type { TaskClaims } from './task-claims.js';
import { compactServiceTime, parseServiceTime, taskMismatch, type TaskFacts } from './task-facts.js';
import type { Subject } from './task-request.js';

/** Our clock and the service's may disagree: the search reaches this much further back. */
const CLOCK_SKEW_MS = 5 * 60_000;
const PAGE_SIZE = 100;
/** A task list longer than this many pages is not read to its end (nothing can be concluded from part of it). */
const MAX_PAGES = 100;

/** What reconciling needs. */
export interface ReconcileContext {
  readonly client: DashscopeClient;
  /** Task-API calls share the 20-per-second limit with task queries. */
  readonly queryLimiter: SlidingWindowLimiter;
  readonly outage: OutagePolicy;
  /** Waits between looks while unclaimed tasks are still running (seconds, last repeats). */
  readonly schedule: readonly number[];
  /** Longest wait for unclaimed running tasks to finish. */
  readonly timeoutMs: number;
  readonly claims: TaskClaims;
  /** The clip (or still) key looked for. */
  readonly key: string;
  /** What is looked for, for messages. */
  readonly what: Subject;
  /** Tasks already found not to be this clip's. */
  readonly rejected: ReadonlySet<string>;
  readonly notify: (message: string) => void;
}

/**
 * The clip's task, or undefined when it is certain that the service holds no paid task for the clip: every task
 * of the model submitted since `since` (less a clock margin) has finished, and none that succeeded shows this
 * clip's prompt and length. Tasks another clip has are skipped; while some other task of the model is still
 * pending or running (it may be this clip's; the service shows a prompt only once a task has succeeded) it
 * waits and looks again. Throws OutageGiveUp when the list stays out of reach, BackendError (keepTask) when
 * the list cannot settle the question.
 */
export async function findClipTask(ctx: ReconcileContext, facts: TaskFacts, since: number): Promise<ListedTask | undefined> {
  const from = since - CLOCK_SKEW_MS;
  const started = ctx.outage.now();
  for (let round = 0; ; round++) {
    const candidates = (await listSince(ctx, facts.model, from)).filter((t) =>
      !ctx.rejected.has(t.taskId) && ctx.claims.otherOwner(t.taskId, ctx.key) === undefined && (t.model === undefined || t.model === facts.model)
      && (parseServiceTime(t.submitTime) ?? from) >= from);
    for (const t of candidates) {
      if (t.status === 'SUCCEEDED' && (await isClipTask(ctx, facts, t))) return t;
    }
    const open = candidates.filter((t) => !TERMINAL_STATUSES.has(t.status));
    if (open.length === 0) return undefined;
    if (ctx.outage.now() - started >= ctx.timeoutMs) {
      throw new BackendError(`${open.length} unclaimed ${facts.model} task(s) are still ${open[0]?.status ?? 'running'} after ${Math.round(ctx.timeoutMs / 1000)} s; one may be this ${ctx.what}'s`, true, 'WaitTaskTimeout');
    }
    ctx.notify(`looking for this ${ctx.what}'s task in the task list: ${open.length} unclaimed ${facts.model} task${open.length === 1 ? ' is' : 's are'} still ${open[0]?.status ?? 'running'} `
      + `(${open.map((t) => t.taskId).slice(0, 3).join(', ')}${open.length > 3 ? ', …' : ''}); one may be this ${ctx.what}'s, so nothing is submitted until they finish`);
    await ctx.outage.retry.sleep(pollDelayMs(ctx.schedule, round), ctx.outage.signal);
  }
}

/** Whether a succeeded task is the clip's (still's): its prompt, seed and length, read from the task itself when the list omits the prompt. */
async function isClipTask(ctx: ReconcileContext, facts: TaskFacts, t: ListedTask): Promise<boolean> {
  let reported: { origPrompt?: string; model?: string; seed?: number; usage: Readonly<Record<string, unknown>> } = t;
  if (t.origPrompt === undefined && facts.prompt !== undefined) {
    reported = await call(ctx, `reading task ${t.taskId} while looking for this ${ctx.what}'s task`, () => ctx.client.getTask(t.taskId, ctx.outage.signal));
    if (reported.origPrompt === undefined) {
      throw new BackendError(`the task list shows a succeeded ${facts.model} task ${t.taskId} whose prompt the service does not report, so it cannot tell whether it is this ${ctx.what}'s`, true, 'Undecidable');
    }
  }
  return taskMismatch(facts, { ...reported, ...(t.model !== undefined ? { model: t.model } : {}) }) === undefined;
}

/** Every task of `model` submitted since `from`, all pages. */
async function listSince(ctx: ReconcileContext, model: string, from: number): Promise<ListedTask[]> {
  const all: ListedTask[] = [];
  for (let pageNo = 1; pageNo <= MAX_PAGES; pageNo++) {
    const page = await call(ctx, `reading the task list to find this ${ctx.what}'s task`, () =>
      ctx.client.listTasks({ model, startTime: compactServiceTime(from), pageNo, pageSize: PAGE_SIZE }, ctx.outage.signal));
    all.push(...page.tasks);
    if (page.tasks.length < PAGE_SIZE || (page.total !== undefined && pageNo * PAGE_SIZE >= page.total)) return all;
  }
  throw new BackendError(`the task list holds more than ${MAX_PAGES * PAGE_SIZE} ${model} tasks since ${new Date(from).toISOString()}; too many to look through`, true, 'Undecidable');
}

/** One task-API call, rate limited, waiting out outages. */
async function call<T>(ctx: ReconcileContext, doing: string, fn: () => Promise<T>): Promise<T> {
  const outage = new Outage(ctx.outage, doing);
  for (;;) {
    try {
      await ctx.queryLimiter.acquire(ctx.outage.signal);
      const value = await fn();
      outage.ok();
      return value;
    } catch (e) {
      if (ctx.outage.signal.aborted) throw new BackendError('the run was stopped', true, 'Aborted');
      if (!isRetryable(e)) {
        const why = e instanceof DashscopeError ? e.describe() : redactedMessage(e, ctx.outage.secrets);
        throw new BackendError(`the task list could not be read (${why})`, true, e instanceof DashscopeError ? e.code : undefined);
      }
      await outage.failed(e);
    }
  }
}
