// Drives one DashScope task to success for a clip or an async still: the journaled task (checked when it finishes)
// or a new one, resubmitted a bounded number of times on InternalError or an expired task.
import { BackendError, type BackendNotice } from '../backend.js';
import type { Shared } from './backend-shared.js';
import { lookBeyond, journaledTask, setAside, submitTask, type ClipContext, type ClipTask } from './clip-task.js';
import type { TaskState } from './dashscope-client.js';
import type { OutagePolicy } from './outage.js';
import { pollTask, type PollContext } from './poll-task.js';
import type { PreparedBody } from './resolve-body.js';
import { taskMismatch, type TaskFacts } from './task-facts.js';
import type { Subject, TaskRequest } from './task-request.js';

/** The per-item contexts: submitting, reconciling and waiting, all telling the item's notices. */
export function taskContext(s: Shared, req: TaskRequest, facts: TaskFacts, what: Subject): ClipContext {
  const notify = (kind: BackendNotice['kind'], message: string): void => req.onNotice?.({ kind, message });
  const outage: OutagePolicy = { retry: s.retry, now: s.now, giveUpMs: s.giveUpMs, signal: req.signal, secrets: s.client.secrets, notify: (m) => notify('waiting', m) };
  const rejected = new Set<string>();
  return {
    req, what, facts, outage, rejected, notify,
    create: { client: s.client, submitLimiter: s.submitLimiter(req.job.request.body.model), claims: s.claims },
    reconcile: {
      client: s.client, queryLimiter: s.queryLimiter, outage, schedule: s.schedule, timeoutMs: s.timeoutMs, claims: s.claims,
      key: req.key, what, rejected, notify: (m) => notify('waiting', m),
    },
  };
}

/**
 * Collects the journaled task (checked against the item when it finishes) or submits one, resubmitting bounded
 * times on InternalError or an expired task; a task that turns out to be another item's is set aside and the
 * item's own looked for, never used. Returns the SUCCEEDED task, claimed, with the service's slot released.
 */
export async function runTask(s: Shared, c: ClipContext, prepare: () => Promise<PreparedBody>, expectedMs: number): Promise<TaskState> {
  const { req } = c;
  let task: ClipTask | undefined = await journaledTask(c);
  let prepared: PreparedBody | undefined;
  let internalRetries = 0;
  let unknownRetried = false;
  for (;;) {
    if (!task) {
      prepared ??= await prepare();
      task = await submitTask(c, prepared);
    }
    const state = await pollTask(pollContext(s, c, expectedMs), task.id);
    if (state.status === 'SUCCEEDED') {
      const wrong = task.trusted ? undefined : taskMismatch(c.facts, state);
      if (wrong) {
        task = await setAside(c, task, wrong);
        continue;
      }
      s.claims.claim(task.id, req.key);
      // the service's slot is free once the task is done: the next item can go while this one downloads
      req.releaseSlot?.();
      return state;
    }
    if (state.status === 'FAILED' && /^InternalError/.test(state.code ?? '') && internalRetries < s.maxResubmits) internalRetries++;
    else if (state.status === 'UNKNOWN' && !unknownRetried) unknownRetried = true;
    else throw taskFailure(state, c.what === 'clip' ? '' : ` for ${c.what} \`${req.job.id}\``);
    // a task only the journal named may not have been the item's: its own may still exist
    task = task.trusted ? undefined : await lookBeyond(c, task);
  }
}

function pollContext(s: Shared, c: ClipContext, expectedMs: number): PollContext {
  const { onProgress } = c.req;
  return {
    client: s.client, queryLimiter: s.queryLimiter, outage: c.outage, schedule: s.schedule, timeoutMs: s.timeoutMs,
    expectedMs, ...(onProgress ? { onProgress } : {}),
  };
}

/** FAILED (code and provider message), CANCELED, or UNKNOWN twice: the task is over, the next run submits anew. */
function taskFailure(state: TaskState, label: string): BackendError {
  if (state.status === 'FAILED') {
    const code = state.code ?? 'Unknown';
    return new BackendError(`DashScope task ${state.taskId}${label} FAILED with ${code}: ${state.message ?? 'no message'}`, false, code);
  }
  if (state.status === 'UNKNOWN') return new BackendError(`DashScope task ${state.taskId}${label} is UNKNOWN (expired or never existed), also after resubmitting`, false, 'UNKNOWN');
  return new BackendError(`DashScope task ${state.taskId}${label} ended ${state.status}`, false, state.status);
}
