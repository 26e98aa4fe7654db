// POST /services/aigc/{video-generation|image2video}/video-synthesis: the envelope is checked at
// once (400/403/429), parameters only when the task is scheduled (reference §3.2: a known model with
// bad parameters is accepted, then the task FAILS with InvalidParameter).
import { checkRequest } from '../../compiler/models/check-request.js';
import { findModel } from '../../compiler/models/registry.js';
import { redactFields } from '../dashscope/redact.js';
import type { EndpointPath } from '../../compiler/models/types.js';
import { RATE_QUOTA, RETRY_AFTER, type EmulatorContext } from './context.js';
import { inputOf } from './emulated-job.js';
import { BodyTooLargeError, readBody, sendError, sendJson, type Exchange } from './http-io.js';
import { checkInputUrls, inputMedia } from './input-urls.js';
import { requestSecrets } from './request-record.js';
import type { PlannedFailure, Task } from './task-store.js';

/** Largest accepted JSON body. */
const MAX_JSON_BYTES = 1024 * 1024;
/** The prompt text that makes a task fail moderation, so tests can fail one clip on purpose. */
const MODERATION_TRIGGER = '[[moderation]]';

type Obj = Record<string, unknown>;
type Outcome =
  | { readonly status: number; readonly code: string; readonly message: string; readonly headers?: Record<string, string> }
  | { readonly status: 200; readonly task: Task };

const reject = (status: number, code: string, message: string, headers?: Record<string, string>): Outcome => ({ status, code, message, headers });

/** Handles one create request. */
export async function handleCreate(ctx: EmulatorContext, ex: Exchange, path: EndpointPath): Promise<void> {
  if (String(ex.req.headers['x-dashscope-async']).toLowerCase() !== 'enable') {
    return sendError(ex, 403, 'AccessDenied', 'current user api does not support synchronous calls');
  }
  const body = await readJsonBody(ex);
  if (body === undefined) return;
  const outcome = admit(ctx, ex, path, body);
  const taskId = 'task' in outcome ? outcome.task.id : undefined;
  // the log is served unauthenticated: a key the client put in its body is not kept either
  const logged = redactFields(body, requestSecrets(ex.req, ctx.apiKey));
  ctx.creates.push({ path, body: logged, status: outcome.status, ...(taskId ? { taskId } : {}) }, JSON.stringify(logged).length);
  if ('task' in outcome) return sendJson(ex, 200, { output: { task_status: 'PENDING', task_id: outcome.task.id } });
  sendError(ex, outcome.status, outcome.code, outcome.message, outcome.headers);
}

/** The parsed JSON body, or undefined after answering 413/400. */
async function readJsonBody(ex: Exchange): Promise<unknown> {
  let raw: Buffer;
  try {
    raw = await readBody(ex.req, MAX_JSON_BYTES);
  } catch (e) {
    if (!(e instanceof BodyTooLargeError)) throw e;
    sendError(ex, 413, 'BadRequest.TooLarge', `Request body exceeds ${MAX_JSON_BYTES} bytes.`, { Connection: 'close' });
    return undefined;
  }
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    sendError(ex, 400, 'InvalidParameter', 'The request body is not valid JSON.');
    return undefined;
  }
}

function admit(ctx: EmulatorContext, ex: Exchange, path: EndpointPath, body: unknown): Outcome {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return reject(400, 'InvalidParameter', 'The request body must be a JSON object.');
  const b = body as Obj;
  if (typeof b.model !== 'string' || b.model === '') return reject(400, 'BadRequest.EmptyModel', 'Required parameter "model" missing from request.');
  const model = findModel(b.model);
  if (!model) return reject(400, 'InvalidParameter', 'Model not exist.');
  if (model.endpoint !== path) return reject(400, 'InvalidParameter', 'url error, please check url!');
  const problems = checkRequest(b, path);
  const envelope = problems.find((p) => p.code !== 'InvalidParameter');
  if (envelope) return reject(400, envelope.code, envelope.message);
  if (!ctx.submitWindows.of(model.id).tryAdd(ctx.submitRps(model))) {
    ctx.stats.throttled++;
    return reject(429, RATE_QUOTA.code, RATE_QUOTA.message, RETRY_AFTER);
  }
  const ossResolve = String(ex.req.headers['x-dashscope-ossresourceresolve']).toLowerCase() === 'enable';
  const urlProblem = checkInputUrls(inputOf(b), { ossResolve, uploads: ctx.uploads, model: model.id, nowMs: ctx.clock() });
  if (urlProblem) return reject(400, 'InvalidParameter', urlProblem);
  const media = inputMedia(inputOf(b), { uploads: ctx.uploads, model: model.id, nowMs: ctx.clock() });
  const task = ctx.store.add(model, b, planFailure(ctx, b, problems[0]?.message), media);
  if (!task) return reject(429, 'Throttling', 'Requests throttling triggered.', RETRY_AFTER);
  ctx.stats.submitted_tasks++;
  return { status: 200, task };
}

/** How an accepted task will fail, if it will: bad parameters, the moderation trigger, or an injected fault. */
function planFailure(ctx: EmulatorContext, body: Obj, problem: string | undefined): PlannedFailure | undefined {
  if (problem) return { code: 'InvalidParameter', message: problem, at: 'start' };
  const prompt = inputOf(body).prompt;
  if (typeof prompt === 'string' && prompt.includes(MODERATION_TRIGGER)) {
    return { code: 'DataInspectionFailed', message: 'Input data may contain inappropriate content.', at: 'end' };
  }
  if (ctx.faults.roll('task')) return { code: 'InternalError', message: 'An internal error has occured, please try again later.', at: 'end' };
  return undefined;
}
