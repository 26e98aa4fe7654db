// Submits one DashScope task: marks the clip "maybe submitted" in the journal first, sends the create (rate
// limited), and tells apart a definite refusal, a safe retry and an answer that was lost after sending.
import { BackendError } from '../backend.js';
import type { DashscopeClient } from './dashscope-client.js';
import { createOutcome, DashscopeError } from './dashscope-error.js';
import type { Outage } from './outage.js';
import type { SlidingWindowLimiter } from './rate-limiter.js';
import { redactedMessage } from './redact.js';
import type { PreparedBody } from './resolve-body.js';
import type { TaskClaims } from './task-claims.js';
import type { TaskRequest } from './task-request.js';

/** What submitting needs. */
export interface CreateContext {
  readonly client: DashscopeClient;
  readonly submitLimiter: SlidingWindowLimiter;
  readonly claims: TaskClaims;
}

/** A create's result: the task id, or an error after which the task may or may not exist. */
export type Created = { readonly taskId: string } | { readonly lost: unknown };

/**
 * Creates the clip's task. Before sending, the journal marks the clip `maybe-submitted`, so that a run killed
 * while the request is in flight looks for the task instead of paying again; the answered task id is claimed
 * and journaled before anything else happens. 429s and requests that never left are retried through `outage`
 * (which gives up after its time); a definite refusal throws (nothing was created); an answer lost after sending
 * (5xx, reset, timeout, a 200 without a task id) returns `lost`: the caller must reconcile before sending again.
 */
export async function createTask(ctx: CreateContext, req: TaskRequest, prepared: PreparedBody, outage: Outage): Promise<Created> {
  const { model } = req.job.request.body;
  await req.journal.recordMaybe?.(req.key);
  for (;;) {
    if (req.signal.aborted) throw new BackendError('the run was stopped', true, 'Aborted');
    let taskId: string;
    try {
      await ctx.submitLimiter.acquire(req.signal);
      ({ taskId } = await ctx.client.createTask(req.job.request.path, prepared.body, prepared.ossResolve, req.signal));
    } catch (e) {
      // stopped while the request was in flight: the service may have the task; the journal says maybe
      if (req.signal.aborted) throw new BackendError('the run was stopped', true, 'Aborted');
      const outcome = createOutcome(e);
      if (outcome === 'unknown') return { lost: e };
      if (outcome === 'rejected') {
        const why = e instanceof DashscopeError ? e.describe() : redactedMessage(e, ctx.client.secrets);
        throw new BackendError(`DashScope did not accept the task for ${model}: ${why}`, false, e instanceof DashscopeError ? e.code : undefined);
      }
      await outage.failed(e);
      continue;
    }
    outage.ok();
    ctx.claims.claim(taskId, req.key);
    try {
      await req.journal.record(req.key, taskId);
    } catch (e) {
      throw new BackendError(`DashScope task ${taskId} was submitted but could not be journaled: ${redactedMessage(e, ctx.client.secrets)}`, true);
    }
    return { taskId };
  }
}
