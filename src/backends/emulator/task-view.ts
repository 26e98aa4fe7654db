// How a task reads in `GET /tasks/{id}` and `GET /tasks`: fields appear as the task progresses
// (reference §3.3): PENDING → submit_time; RUNNING → + scheduled_time; finished → + end_time and
// the result (video: video_url, orig_prompt, actual_prompt for ≤ wan2.5, usage; images: image-view.ts)
// or code/message.
import { formatTime } from './clock.js';
import { inputOf, parametersOf } from './emulated-job.js';
import { imageOutputFields, imageUsage } from './image-view.js';
import type { Task, VideoTask } from './task-store.js';
import { isLegacyFamily, usageFor } from './usage.js';

/** What prompt rewriting (prompt_extend) appends in the emulator; deterministic. */
const EXTENSION = 'Cinematic lighting, smooth camera motion, rich detail.';

/** The `output` object of a task. */
function taskOutput(task: Task): Record<string, unknown> {
  const out: Record<string, unknown> = { task_id: task.id, task_status: task.status, submit_time: formatTime(task.submitMs) };
  if (task.scheduledMs !== undefined) out.scheduled_time = formatTime(task.scheduledMs);
  if (task.endMs !== undefined) out.end_time = formatTime(task.endMs);
  if (task.kind === 'video' && task.status === 'SUCCEEDED') Object.assign(out, resultFields(task));
  if (task.status === 'FAILED' && task.error) Object.assign(out, task.error);
  if (task.kind === 'image') Object.assign(out, imageOutputFields(task));
  return out;
}

function resultFields(task: VideoTask): Record<string, unknown> {
  const prompt = inputOf(task.job.body).prompt;
  const orig = typeof prompt === 'string' ? prompt : undefined;
  const extend = parametersOf(task.job.body).prompt_extend !== false;
  const actual = isLegacyFamily(task.model) && extend ? { actual_prompt: `${orig ?? ''} ${EXTENSION}`.trim() } : {};
  return { ...(orig !== undefined ? { orig_prompt: orig } : {}), ...actual, video_url: task.videoUrl };
}

/** `usage` of a task once SUCCEEDED. */
function usageOf(task: Task): { usage?: Record<string, unknown> } {
  if (task.status !== 'SUCCEEDED') return {};
  return { usage: task.kind === 'video' ? usageFor(task.model, task.job) : imageUsage(task) };
}

/** The whole query response body (without request_id): output, plus usage once SUCCEEDED. */
export function taskResponse(task: Task): Record<string, unknown> {
  return { output: taskOutput(task), ...usageOf(task) };
}

/** One entry of the emulator's `GET /tasks` list: the output fields plus `model_name` (and usage when done). */
export function taskListItem(task: Task): Record<string, unknown> {
  return { ...taskOutput(task), model_name: task.model.id, ...usageOf(task) };
}
