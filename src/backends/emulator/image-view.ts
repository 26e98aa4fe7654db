// How an image task and a sync image call read, per protocol, as the official reference shows them
// (text-to-image API reference, zh, Dec 2025): legacy text2image tasks give `output.results[]` (`{orig_prompt,
// actual_prompt, url}` or `{code, message}` per image), `output.task_metrics` {TOTAL, SUCCEEDED, FAILED} and
// `usage.image_count` (succeeded images only); messages models give `output.choices[]` (one per image:
// `{finish_reason: "stop", message: {role: "assistant", content: [{image, type: "image"}]}}`), `output.finished`
// and `usage` {image_count, size, input_tokens, output_tokens, total_tokens}.
import { inputOf, parametersOf } from './emulated-job.js';
import type { ImageResult, ImageTask } from './task-store.js';
import type { ImageJob } from './types.js';

/** What prompt rewriting (prompt_extend, on by default) appends to a legacy image prompt in the emulator; deterministic. */
const IMAGE_EXTENSION = 'Highly detailed, balanced composition, soft natural light.';

const succeededOf = (results: readonly ImageResult[]): number => results.filter((r) => 'url' in r).length;

/** The image-specific `output` fields of a task in its current state. */
export function imageOutputFields(task: ImageTask): Record<string, unknown> {
  const n = task.job.n;
  if (task.model.protocol === 'messages') {
    return task.status === 'SUCCEEDED' && task.images ? { finished: true, choices: messagesChoices(task.images) } : {};
  }
  if (task.status === 'RUNNING') return { task_metrics: { TOTAL: n, SUCCEEDED: 0, FAILED: 0 } };
  if (task.status === 'FAILED') return { task_metrics: { TOTAL: n, SUCCEEDED: 0, FAILED: n } };
  if (task.status !== 'SUCCEEDED' || !task.images) return {};
  const ok = succeededOf(task.images);
  return { results: legacyResults(task.job, task.images), task_metrics: { TOTAL: n, SUCCEEDED: ok, FAILED: n - ok } };
}

/** `usage` of a SUCCEEDED image task: only succeeded images count. */
export function imageUsage(task: ImageTask): Record<string, unknown> {
  const count = task.images ? succeededOf(task.images) : 0;
  return task.model.protocol === 'messages' ? messagesUsage(task.job, count) : { image_count: count };
}

/** The body of a sync call's answer (without request_id). */
export function syncImageResponse(job: ImageJob, images: readonly ImageResult[]): Record<string, unknown> {
  return { output: { choices: messagesChoices(images), finished: true }, usage: messagesUsage(job, succeededOf(images)) };
}

function legacyResults(job: ImageJob, images: readonly ImageResult[]): Record<string, unknown>[] {
  const extend = parametersOf(job.body).prompt_extend !== false;
  const sent = inputOf(job.body).prompt;
  const prompts = { orig_prompt: typeof sent === 'string' ? sent : job.prompt, ...(extend ? { actual_prompt: `${job.prompt} ${IMAGE_EXTENSION}` } : {}) };
  return images.map((r) => ('url' in r ? { ...prompts, url: r.url } : { code: r.code, message: r.message }));
}

function messagesChoices(images: readonly ImageResult[]): Record<string, unknown>[] {
  return images
    .filter((r): r is { readonly url: string } => 'url' in r)
    .map((r) => ({ finish_reason: 'stop', message: { role: 'assistant', content: [{ image: r.url, type: 'image' }] } }));
}

function messagesUsage(job: ImageJob, count: number): Record<string, unknown> {
  return { image_count: count, size: `${job.width}*${job.height}`, input_tokens: 0, output_tokens: 0, total_tokens: 0 };
}
