// A still made by one synchronous call (the multimodal-generation endpoint: no task, no task list). A call whose
// answer is lost cannot be reconciled, so it is never repeated in the same run; the next run makes it once more, saying so.
import { repair } from '../../diagnostics/repair.js';
import { BackendError, type JournalEntry, type StillOutcome, type StillRenderRequest } from '../backend.js';
import type { Shared } from './backend-shared.js';
import { createOutcome, DashscopeError } from './dashscope-error.js';
import { firstImage, saveStill } from './deliver-still.js';
import { billedImages, imagesOf } from './image-result.js';
import { Outage, OutageGiveUp } from './outage.js';
import { redactedMessage } from './redact.js';
import { prepareBody } from './resolve-body.js';

type Json = Readonly<Record<string, unknown>>;

/** What the next run does about a still whose call may have been billed. */
const NEXT_RUN = 'the next run makes the still once more (a sync call has no task to collect)';

/**
 * Makes the still with one call. The journal marks it `maybe-submitted` before sending; a definite refusal fails it
 * (nothing billed), a throttled or undelivered request is sent again after a visible wait, and an answer lost after
 * sending fails it keeping the entry, so the next run (told by a notice) makes it once more instead of this one.
 */
export async function syncStill(s: Shared, req: StillRenderRequest): Promise<StillOutcome> {
  announceEarlierCall(req);
  const prepared = await prepareBody(req, s.uploader, 'still');
  const answer = await call(s, req, () => s.client.generate(req.job.request.path, prepared.body, prepared.ossResolve, req.signal));
  const source = `the ${req.job.request.body.model} call`;
  const output = asObject(answer.output);
  const image = firstImage(req, imagesOf(output), source, s.client.secrets);
  await saveStill(s, req, image, source, `the image was billed; ${NEXT_RUN}`);
  return { billedImages: billedImages(asObject(answer.usage)) };
}

/** An earlier run's call for this still may have been billed: say so (and repair a damaged entry) before calling again. */
function announceEarlierCall(req: StillRenderRequest): void {
  const { journal, key } = req;
  const taskId = journal.submitted(key);
  const entry: JournalEntry | undefined = journal.entry?.(key) ?? (taskId === undefined ? undefined : { state: 'submitted', taskId });
  if (!entry) return;
  const when = entry.since === undefined ? '' : ` (${new Date(entry.since).toISOString()})`;
  const where = journal.locate?.(key) ?? 'the task journal';
  if (entry.state === 'damaged') {
    req.onRepair?.(repair('journal-entry-damaged', where, `the journal entry ${where} of still \`${req.job.id}\` cannot be read (${entry.problem}): `
      + 'discarded; an earlier call for it may have been billed, and it is made again, once', req.job.id));
  }
  req.onNotice?.({
    kind: 'journal',
    message: `an earlier call for still \`${req.job.id}\`${when} got no answer to rely on and may have been billed; `
      + 'the sync endpoint has no task list to look in, so the still is made again, once',
  });
}

/** Sends the call, retrying only where nothing can have been made (429 throttling, a request that never left). */
async function call(s: Shared, req: StillRenderRequest, send: () => Promise<Json>): Promise<Json> {
  const { model } = req.job.request.body;
  const outage = new Outage({
    retry: s.retry, now: s.now, giveUpMs: s.giveUpMs, signal: req.signal, secrets: s.client.secrets,
    notify: (message) => req.onNotice?.({ kind: 'waiting', message }),
  }, `making still \`${req.job.id}\``);
  for (;;) {
    if (req.signal.aborted) throw stopped();
    try {
      await s.submitLimiter(model).acquire(req.signal);
      // from here a paid image may exist until an answer says otherwise
      await req.journal.recordMaybe?.(req.key);
      const answer = await send();
      outage.ok();
      return answer;
    } catch (e) {
      if (req.signal.aborted) throw stopped();
      const why = e instanceof DashscopeError ? e.describe() : redactedMessage(e, s.client.secrets);
      const outcome = createOutcome(e);
      if (outcome === 'rejected') throw new BackendError(`DashScope did not make still \`${req.job.id}\` with ${model}: ${why}`, false, e instanceof DashscopeError ? e.code : undefined);
      if (outcome === 'unknown') {
        throw new BackendError(`the ${model} call for still \`${req.job.id}\` got no answer to rely on (${why}): a paid image may exist; `
          + `it is not requested again in this run, and ${NEXT_RUN}, which may pay for it twice`, true, 'MaybeBilled');
      }
      await waitOut(outage, e);
    }
  }
}

/** Backs off before sending again; gives up (nothing was made) after the outage time. */
async function waitOut(outage: Outage, error: unknown): Promise<void> {
  try {
    await outage.failed(error);
  } catch (e) {
    if (e instanceof OutageGiveUp) throw new BackendError(`${e.message}: nothing was made`, false, 'Unreachable');
    throw stopped();
  }
}

const stopped = (): BackendError => new BackendError('the run was stopped', true, 'Aborted');
const asObject = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
