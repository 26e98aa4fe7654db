// The three image endpoints (reference §1.2, §8): POST text2image/image-synthesis (legacy models, async) and
// image-generation/generation (messages models, async) queue a task like a video create — X-DashScope-Async
// required, parameters checked when the task is scheduled (FAILED InvalidParameter); multimodal-generation/
// generation (messages models, sync) answers at once with the images, a bad request with a 400, and refuses
// X-DashScope-Async with 403 AccessDenied "current user api does not support asynchronous calls" (the official
// SDK never sends it there; third-party reports say sync endpoints refuse the header with that message).
import { randomUUID } from 'node:crypto';
import { stillPixels } from '../../compiler/models/image-registry.js';
import type { ImageModelSpec } from '../../compiler/models/types.js';
import { lookupModel, logCreate, reject, resolvesOss, takeSubmitSlot, wantsAsync, type Rejection } from './admission.js';
import { mediaSource, type EmulatorContext } from './context.js';
import { MODERATION_FAILURE, MODERATION_TRIGGER, planFailure, TASK_FAULT } from './create-route.js';
import { readJsonBody, sendError, sendJson, type Exchange } from './http-io.js';
import { syncImageResponse } from './image-view.js';
import { readImageRequest, type ImageRequest } from './image-request.js';
import { checkUrls, fetchMedia } from './input-urls.js';
import type { Task } from './task-store.js';
import type { ImageJob } from './types.js';

/** The sync path; the other two image paths are async. */
export const SYNC_IMAGE_PATH = '/api/v1/services/aigc/multimodal-generation/generation';

type Obj = Record<string, unknown>;
type Outcome = Rejection | { readonly status: 200; readonly task: Task } | { readonly status: 200; readonly sync: Record<string, unknown> };

/** An image request the envelope checks accepted: model, body, what it asks for, the input images' bytes. */
interface Admitted {
  readonly model: ImageModelSpec;
  readonly body: Obj;
  readonly request: ImageRequest;
  readonly inputImages: (Buffer | undefined)[];
}

/** Handles one request on an image path. */
export async function handleImageCreate(ctx: EmulatorContext, ex: Exchange, path: string): Promise<void> {
  const sync = path === SYNC_IMAGE_PATH;
  if (sync && wantsAsync(ex)) return sendError(ex, 403, 'AccessDenied', 'current user api does not support asynchronous calls');
  if (!sync && !wantsAsync(ex)) return sendError(ex, 403, 'AccessDenied', 'current user api does not support synchronous calls');
  const body = await readJsonBody(ex);
  if (body === undefined) return;
  const admitted = await admit(ctx, ex, path, body);
  const outcome = 'rejection' in admitted ? admitted.rejection : sync ? await answerNow(ctx, admitted) : queue(ctx, admitted);
  const taskId = 'task' in outcome ? outcome.task.id : undefined;
  logCreate(ctx, ex, path, body, outcome.status, taskId);
  if ('task' in outcome) return sendJson(ex, 200, { output: { task_status: 'PENDING', task_id: outcome.task.id } });
  if ('sync' in outcome) return sendJson(ex, 200, outcome.sync);
  sendError(ex, outcome.status, outcome.code, outcome.message, outcome.headers);
}

/** Model and path, input present, submission rate, input image URLs; then the input images are read. */
async function admit(ctx: EmulatorContext, ex: Exchange, path: string, body: unknown): Promise<Admitted | { rejection: Rejection }> {
  const found = lookupModel(body, path);
  if ('rejection' in found) return found;
  if (found.kind !== 'image') return { rejection: reject(400, 'InvalidParameter', 'url error, please check url!') };
  const { model, body: b } = found;
  const request = readImageRequest(model, b);
  if (request.emptyInput) return { rejection: reject(400, 'BadRequest.EmptyInput', 'Required input is missing.') };
  const throttled = takeSubmitSlot(ctx, model);
  if (throttled) return { rejection: throttled };
  const urlProblem = checkUrls(request.imageUrls, { ossResolve: resolvesOss(ex), uploads: ctx.uploads, model: model.id, nowMs: ctx.clock() });
  if (urlProblem) return { rejection: reject(400, 'InvalidParameter', urlProblem) };
  const source = mediaSource(ctx, model.id);
  const inputImages: (Buffer | undefined)[] = [];
  for (const url of request.imageUrls) inputImages.push(await fetchMedia(url, source));
  return { model, body: b, request, inputImages };
}

function imageJob(a: Admitted, taskId: string): ImageJob {
  const { width, height } = stillPixels(a.model, a.request.size);
  const negative = a.request.negativePrompt !== undefined ? { negativePrompt: a.request.negativePrompt } : {};
  return { taskId, model: a.model.id, body: a.body, prompt: a.request.prompt, ...negative, n: a.request.n, width, height, inputImages: a.inputImages };
}

/** An async request becomes a PENDING task; an injected `image` fault fails single images of a legacy task. */
function queue(ctx: EmulatorContext, a: Admitted): Outcome {
  const planned = planFailure(ctx, a.body, a.request.problems[0], a.request.prompt);
  const job = imageJob(a, randomUUID());
  const failedImages = !planned && a.model.protocol === 'prompt' ? Array.from({ length: job.n }, (_, i) => i).filter(() => ctx.faults.roll('image')) : [];
  const task = ctx.store.add({ kind: 'image', model: a.model, job, failedImages }, planned);
  if (!task) return reject(429, 'Throttling', 'Requests throttling triggered.', { 'Retry-After': '1' });
  ctx.stats.submitted_tasks++;
  return { status: 200, task };
}

/** A sync call: a bad request is a 400 (not billed); an accepted one is billed once its images are made. */
async function answerNow(ctx: EmulatorContext, a: Admitted): Promise<Outcome> {
  const problem = a.request.problems[0];
  if (problem) return reject(400, 'InvalidParameter', problem);
  if (a.request.prompt.includes(MODERATION_TRIGGER)) return reject(400, MODERATION_FAILURE.code, MODERATION_FAILURE.message);
  ctx.stats.submitted_tasks++;
  const job = imageJob(a, randomUUID());
  try {
    if (ctx.faults.roll('task')) throw new Error(TASK_FAULT.message);
    const images = await ctx.store.makeImagesNow(job);
    ctx.stats.succeeded++;
    ctx.stats.billed_images += images.length;
    return { status: 200, sync: syncImageResponse(job, images) };
  } catch (e) {
    ctx.stats.failed++;
    const message = e instanceof Error && e.message === TASK_FAULT.message ? e.message : `Render failed: ${e instanceof Error ? e.message : String(e)}`;
    return reject(500, TASK_FAULT.code, message);
  }
}
