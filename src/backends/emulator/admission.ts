// What every paid request (video and image creates, sync image calls) goes through before its own checks:
// the model it names and whether the path is the one for that model, the model's submission rate, and the
// log of create bodies (credentials redacted).
import { findImageModel } from '../../compiler/models/image-registry.js';
import { findModel } from '../../compiler/models/registry.js';
import type { ImageModelSpec, ModelSpec } from '../../compiler/models/types.js';
import { redactFields } from '../dashscope/redact.js';
import { RATE_QUOTA, RETRY_AFTER, type EmulatorContext } from './context.js';
import type { Exchange } from './http-io.js';
import { requestSecrets } from './request-record.js';

/** An error answer: status, DashScope code and message, extra headers. */
export interface Rejection {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly headers?: Record<string, string>;
}

/** The model a create body names, with its registry, or why the request is refused (reference §3.2, §3.5). */
export type ModelLookup =
  | { readonly kind: 'video'; readonly model: ModelSpec; readonly body: Record<string, unknown> }
  | { readonly kind: 'image'; readonly model: ImageModelSpec; readonly body: Record<string, unknown> }
  | { readonly rejection: Rejection };

const TEXT2IMAGE = '/api/v1/services/aigc/text2image/image-synthesis';
const MESSAGES_PATHS: readonly string[] = ['/api/v1/services/aigc/image-generation/generation', '/api/v1/services/aigc/multimodal-generation/generation'];

/** A 400 InvalidParameter (or another code). */
export const reject = (status: number, code: string, message: string, headers?: Record<string, string>): Rejection => ({ status, code, message, ...(headers ? { headers } : {}) });

/**
 * Finds the model in the video or the image registry. A known model on another model family's path (a kf2v
 * model on video-synthesis, a legacy text-to-image model on image-generation, a messages model on text2image, a
 * video model on an image path and back) is `url error, please check url!`; an unknown one `Model not exist.`.
 * Messages models are taken on both the async image-generation path and the sync multimodal-generation path.
 */
export function lookupModel(body: unknown, path: string): ModelLookup {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { rejection: reject(400, 'InvalidParameter', 'The request body must be a JSON object.') };
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || b.model === '') return { rejection: reject(400, 'BadRequest.EmptyModel', 'Required parameter "model" missing from request.') };
  const video = findModel(b.model);
  const image = video ? undefined : findImageModel(b.model);
  if (!video && !image) return { rejection: reject(400, 'InvalidParameter', 'Model not exist.') };
  const urlError = { rejection: reject(400, 'InvalidParameter', 'url error, please check url!') };
  if (video) return video.endpoint === path ? { kind: 'video', model: video, body: b } : urlError;
  if (!image) return urlError;
  const fits = image.protocol === 'prompt' ? path === TEXT2IMAGE : MESSAGES_PATHS.includes(path);
  return fits ? { kind: 'image', model: image, body: b } : urlError;
}

/** Takes a submission slot of the model's per-second rate; a 429 when there is none. */
export function takeSubmitSlot(ctx: EmulatorContext, model: ModelSpec | ImageModelSpec): Rejection | undefined {
  if (ctx.submitWindows.of(model.id).tryAdd(ctx.submitRps(model))) return undefined;
  ctx.stats.throttled++;
  return reject(429, RATE_QUOTA.code, RATE_QUOTA.message, RETRY_AFTER);
}

/** Keeps a create body and what was answered; the log is served unauthenticated, so a key in the body is redacted too. */
export function logCreate(ctx: EmulatorContext, ex: Exchange, path: string, body: unknown, status: number, taskId?: string): void {
  const logged = redactFields(body, requestSecrets(ex.req, ctx.apiKey));
  ctx.creates.push({ path, body: logged, status, ...(taskId ? { taskId } : {}) }, JSON.stringify(logged).length);
}

/** True when the request carries `X-DashScope-Async: enable`. */
export function wantsAsync(ex: Exchange): boolean {
  return String(ex.req.headers['x-dashscope-async']).toLowerCase() === 'enable';
}

/** True when the request carries `X-DashScope-OssResourceResolve: enable`. */
export function resolvesOss(ex: Exchange): boolean {
  return String(ex.req.headers['x-dashscope-ossresourceresolve']).toLowerCase() === 'enable';
}
