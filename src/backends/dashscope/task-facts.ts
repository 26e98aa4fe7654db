// What the service says a task is (its prompt and billed seconds) against what a clip asked for, so a task named
// by the journal or found in the task list is used only when it is this clip's; and the service's clock formats.
import type { RenderRequest } from '../backend.js';

/** What a clip's task must show: its model, the prompt sent and the seconds of video asked for. */
export interface ClipFacts {
  readonly model: string;
  readonly prompt?: string;
  readonly duration: number;
}

/** What the service reports about a task (from `GET /tasks/{id}` or the task list). */
interface ReportedTask {
  readonly origPrompt?: string;
  readonly model?: string;
  readonly usage: Readonly<Record<string, unknown>>;
}

/** The facts a clip's task must show. */
export function clipFacts(req: RenderRequest): ClipFacts {
  const prompt = req.job.request.body.input.prompt;
  return { model: req.job.request.body.model, duration: req.job.expected.duration, ...(typeof prompt === 'string' ? { prompt } : {}) };
}

/** The first finite number among `values` (numbers or numeric strings). */
export function firstNumber(...values: unknown[]): number | undefined {
  for (const v of values) {
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n === 'number' && Number.isFinite(n)) return n;
  }
  return undefined;
}

/** Seconds of video a finished task made, as its `usage` says (the three generations' field names). */
export function outputSeconds(usage: Readonly<Record<string, unknown>>): number | undefined {
  return firstNumber(usage.output_video_duration, usage.video_duration, usage.duration);
}

const shorten = (text: string): string => (text.length > 60 ? `${text.slice(0, 57)}…` : text);

/**
 * Why a reported task is not this clip's (another model, prompt or length), or undefined when everything it
 * reports fits. What the service leaves out cannot be compared and does not count against it.
 */
export function taskMismatch(facts: ClipFacts, task: ReportedTask): string | undefined {
  if (task.model !== undefined && task.model !== facts.model) return `it is a ${task.model} task, not ${facts.model}`;
  if (task.origPrompt !== undefined && facts.prompt !== undefined && task.origPrompt.trim() !== facts.prompt.trim()) {
    return `its prompt is "${shorten(task.origPrompt)}"`;
  }
  const seconds = outputSeconds(task.usage);
  if (seconds !== undefined && Math.abs(seconds - facts.duration) > 0.5) return `it made ${seconds} s of video, not ${facts.duration} s`;
  return undefined;
}

/** The service runs on China/Singapore time (UTC+8), which is how its times read and are written. */
const SERVICE_OFFSET_MS = 8 * 3600 * 1000;

/** `YYYYMMDDhhmmss` in service time, the format of the task list's `start_time`. */
export function compactServiceTime(ms: number): string {
  return new Date(ms + SERVICE_OFFSET_MS).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

/** Epoch ms of a service time `YYYY-MM-DD HH:mm:ss(.SSS)`, or undefined when it does not read as one. */
export function parseServiceTime(text: string | undefined): number | undefined {
  const m = text === undefined ? null : /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s, Number((m[7] ?? '0').padEnd(3, '0'))) - SERVICE_OFFSET_MS;
}
