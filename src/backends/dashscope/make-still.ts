// Makes one still (a generated image, written as a PNG): an async image task handled exactly like a clip's (journal,
// submit, reconcile, poll), or one sync call (wan2.6-t2i) that can be lost but never silently repeated.
import { BackendError, type StillOutcome, type StillRenderRequest } from '../backend.js';
import type { Shared } from './backend-shared.js';
import type { TaskState } from './dashscope-client.js';
import { firstImage, saveStill } from './deliver-still.js';
import { billedImages, imagesOf } from './image-result.js';
import { OutageGiveUp } from './outage.js';
import { prepareBody } from './resolve-body.js';
import { runTask, taskContext } from './run-task.js';
import { syncStill } from './sync-still.js';
import { stillFacts } from './task-facts.js';

/** About how long an image task takes (the docs' examples: 13 s to a few minutes), for progress and plan estimates. */
export const STILL_EXPECTED_MS = 30_000;

/** Makes one still; anything that is not already a BackendError becomes one (a stopped run keeps its task). */
export async function makeStill(s: Shared, request: StillRenderRequest): Promise<StillOutcome> {
  const own = s.signals.child(request.signal);
  const req: StillRenderRequest = { ...request, signal: own.signal };
  try {
    if (req.job.request.mode === 'sync') return await syncStill(s, req);
    // a create left unanswered by an earlier run, which that run could not match in the task list either
    const earlier = req.journal.entry?.(req.key)?.state === 'maybe-submitted';
    const run = (): Promise<TaskState> => runTask(s, taskContext(s, req, stillFacts(req), 'still'), () => prepareBody(req, s.uploader, 'still'), STILL_EXPECTED_MS);
    let state: TaskState;
    try {
      state = await run();
    } catch (e) {
      // image-generation tasks do not report their prompt, so a lost create can never be told apart from another
      // image of the same model: like a lost sync call, the next run makes the still once more (at most one image)
      if (!(earlier && e instanceof BackendError && e.code === 'Undecidable')) throw e;
      await req.journal.discard?.(req.key);
      req.onNotice?.({ kind: 'journal', message: `an earlier run's create of still \`${req.job.id}\` got no answer and the task list cannot tell which image task is its `
        + `(${e.message}); it is made once more, so one extra image ($${req.job.cost.perImage.toFixed(3)}) may have been billed` });
      state = await run();
    }
    return await collectStill(s, req, state);
  } catch (e) {
    if (e instanceof BackendError) throw e;
    if (req.signal.aborted) throw new BackendError('the run was stopped', true, 'Aborted');
    if (e instanceof OutageGiveUp) throw new BackendError(`${e.message}: the still's task (if any) stays journaled`, true, 'Unreachable');
    throw e;
  } finally {
    own.done();
  }
}

/** Downloads the first image the task made (the URL lives 24 h) and reports the task, the images billed and the prompt used. */
async function collectStill(s: Shared, req: StillRenderRequest, state: TaskState): Promise<StillOutcome> {
  const source = `DashScope task ${state.taskId}`;
  const image = firstImage(req, imagesOf(state.output), source, s.client.secrets);
  // the task succeeded (and was billed): a failed download keeps it journaled for the next run to download
  await saveStill(s, req, image, source, 'the task stays journaled and the next run downloads it instead of paying again');
  const actualPrompt = image.actualPrompt ?? state.actualPrompt;
  return {
    taskId: state.taskId, billedImages: billedImages(state.usage),
    ...(actualPrompt !== undefined && actualPrompt !== stillFacts(req).prompt ? { actualPrompt } : {}),
  };
}
