// POST /services/aigc/{video-generation|image2video}/video-synthesis: the envelope is checked at
// once (400/403/429), parameters only when the task is scheduled (reference §3.2: a known model with
// bad parameters is accepted, then the task FAILS with InvalidParameter). Reference-to-video requests
// also have their references read, checked against the model's rules and labelled for the render; a continued clip
// (`first_clip`) has its clip checked against the model's limits (first-clip.ts).
import { randomUUID } from 'node:crypto';
import { checkRequest, type RequestProblem } from '../../compiler/models/check-request.js';
import type { ModelSpec } from '../../compiler/models/types.js';
import { lookupModel, logCreate, reject, resolvesOss, takeSubmitSlot, wantsAsync, type Rejection } from './admission.js';
import { mediaSource, type EmulatorContext } from './context.js';
import { describeJob, inputOf, parametersOf, type JobMedia } from './emulated-job.js';
import { readJsonBody, sendError, sendJson, type Exchange } from './http-io.js';
import { checkInputUrls, inputMedia } from './input-urls.js';
import { checkFirstClip } from './first-clip.js';
import { probeSeconds, probeVideo } from './probe-bytes.js';
import { analyzeReferences } from './references.js';
import type { PlannedFailure, Task } from './task-store.js';

/** The prompt text that makes a task fail moderation, so tests can fail one clip on purpose. */
export const MODERATION_TRIGGER = '[[moderation]]';
/** The failure of a prompt with the moderation trigger. */
export const MODERATION_FAILURE = { code: 'DataInspectionFailed', message: 'Input data may contain inappropriate content.' } as const;
/** The failure of an injected `task` fault. */
export const TASK_FAULT = { code: 'InternalError', message: 'An internal error has occured, please try again later.' } as const;

type Obj = Record<string, unknown>;
type Outcome = Rejection | { readonly status: 200; readonly task: Task };

/** Handles one create request on a video path. */
export async function handleCreate(ctx: EmulatorContext, ex: Exchange, path: string): Promise<void> {
  if (!wantsAsync(ex)) return sendError(ex, 403, 'AccessDenied', 'current user api does not support synchronous calls');
  const body = await readJsonBody(ex);
  if (body === undefined) return;
  const outcome = await admit(ctx, ex, path, body);
  const taskId = 'task' in outcome ? outcome.task.id : undefined;
  logCreate(ctx, ex, path, body, outcome.status, taskId);
  if ('task' in outcome) return sendJson(ex, 200, { output: { task_status: 'PENDING', task_id: outcome.task.id } });
  sendError(ex, outcome.status, outcome.code, outcome.message, outcome.headers);
}

async function admit(ctx: EmulatorContext, ex: Exchange, path: string, body: unknown): Promise<Outcome> {
  const found = lookupModel(body, path);
  if ('rejection' in found) return found.rejection;
  if (found.kind !== 'video') return reject(400, 'InvalidParameter', 'url error, please check url!');
  const { model, body: b } = found;
  const problems = parameterProblems(model, b, path);
  const envelope = problems.find((p) => p.code !== 'InvalidParameter');
  if (envelope) return reject(400, envelope.code, envelope.message);
  const throttled = takeSubmitSlot(ctx, model);
  if (throttled) return throttled;
  const urlProblem = checkInputUrls(inputOf(b), { ossResolve: resolvesOss(ex), uploads: ctx.uploads, model: model.id, nowMs: ctx.clock() });
  if (urlProblem) return reject(400, 'InvalidParameter', urlProblem);
  // drawn before reading media, so the fault sequence follows the order requests arrive in
  const planned = planFailure(ctx, b, problems[0]?.message);
  const taskId = randomUUID();
  const extra = await readMedia(ctx, model, b);
  const referenceFailure = extra.problem && planned?.code !== 'InvalidParameter' ? { code: 'InvalidParameter', message: extra.problem, at: 'start' as const } : undefined;
  const task = ctx.store.add({ kind: 'video', model, job: describeJob(taskId, model, b, extra) }, referenceFailure ?? planned);
  if (!task) return reject(429, 'Throttling', 'Requests throttling triggered.', { 'Retry-After': '1' });
  ctx.stats.submitted_tasks++;
  return { status: 200, task };
}

/**
 * The registry's parameter problems. Reference-to-video models take their references in `input.media` or
 * `input.reference_urls`, which references.ts checks, so the frame checks of their `media` are left out here.
 */
function parameterProblems(model: ModelSpec, body: Obj, path: string): RequestProblem[] {
  if (!model.references || model.references.field !== 'media') return checkRequest(body, path);
  const input = inputOf(body);
  const frames = Array.isArray(input.media) ? (input.media as unknown[]).filter((m) => (m as Obj | null)?.type === 'first_frame') : [];
  const problems = checkRequest({ ...body, input: { ...input, media: frames } }, path);
  return problems.filter((p) => !p.message.startsWith('Field required: input.media') && !p.message.startsWith('input.media has a type more than once'));
}

/** Frames, first clip, references (with the first rule they break) and billed input seconds of a request. */
async function readMedia(ctx: EmulatorContext, model: ModelSpec, body: Obj): Promise<JobMedia & { readonly problem?: string }> {
  const source = mediaSource(ctx, model.id);
  const media = await inputMedia(inputOf(body), source);
  const clip = await checkFirstClip(model, inputOf(body), { bytes: media.first_clip, probe: async (bytes) => probeVideo(await ctx.tools(), ctx.dir, bytes) });
  if (!model.references) return { media, ...(clip?.facts ? { firstClip: clip.facts } : {}), ...(clip?.problem ? { problem: clip.problem } : {}) };
  const d = parametersOf(body).duration;
  const facts = await analyzeReferences(model, model.references, inputOf(body), {
    source,
    duration: typeof d === 'number' ? d : model.duration.default,
    probe: async (bytes, kind) => probeSeconds(await ctx.tools(), ctx.dir, bytes, kind),
  });
  return { media, references: facts.references, inputVideoSeconds: facts.inputVideoSeconds, ...(facts.problem ? { problem: facts.problem } : {}) };
}

/** How an accepted task will fail, if it will: bad parameters, the moderation trigger, or an injected fault. */
export function planFailure(ctx: EmulatorContext, body: Obj, problem: string | undefined, prompt: unknown = inputOf(body).prompt): PlannedFailure | undefined {
  if (problem) return { code: 'InvalidParameter', message: problem, at: 'start' };
  if (typeof prompt === 'string' && prompt.includes(MODERATION_TRIGGER)) return { ...MODERATION_FAILURE, at: 'end' };
  if (ctx.faults.roll('task')) return { ...TASK_FAULT, at: 'end' };
  return undefined;
}
