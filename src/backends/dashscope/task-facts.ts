// What the service says a task is (its prompt, seed and billed seconds) against what a clip or still asked for, so a
// task named by the journal or found in the task list is used only when it is theirs; and the service's clock formats.
import type { RenderRequest, StillRenderRequest } from '../backend.js';

/** What a clip's or still's task must show: its model, the prompt and seed sent, the seconds of video asked for (clips). */
export interface TaskFacts {
  readonly model: string;
  readonly prompt?: string;
  readonly seed?: number;
  /** Seconds of video (clips only): the new seconds of a continued clip. */
  readonly duration?: number;
  /**
   * Seconds of a `first_clip` the output repeats (clip continuation): whether the service counts them in its output
   * seconds is uncertain (reference §10.13), so a task showing `duration` or `duration + carried` fits.
   */
  readonly carried?: number;
}

/** What the service reports about a task (from `GET /tasks/{id}` or the task list). */
interface ReportedTask {
  readonly origPrompt?: string;
  readonly model?: string;
  readonly seed?: number;
  readonly usage: Readonly<Record<string, unknown>>;
}

/** The facts a clip's task must show. */
export function clipFacts(req: RenderRequest): TaskFacts {
  const prompt = req.job.request.body.input.prompt;
  const carried = req.job.carry?.seconds;
  return {
    model: req.job.request.body.model, duration: req.job.expected.duration - (carried ?? 0),
    ...(carried ? { carried } : {}), ...(typeof prompt === 'string' ? { prompt } : {}),
  };
}

/** The facts a still's task must show: the prompt as sent (`input.prompt`, or the text of the message) and the seed. */
export function stillFacts(req: StillRenderRequest): TaskFacts {
  const { body } = req.job.request;
  const prompt = typeof body.input.prompt === 'string' ? body.input.prompt : messageText(body.input.messages) ?? req.job.prompt;
  const seed = body.parameters.seed;
  return { model: body.model, prompt, ...(typeof seed === 'number' ? { seed } : {}) };
}

/** The text of the first message's content (`input.messages[0].content[].text`), if any. */
function messageText(messages: unknown): string | undefined {
  const first: unknown = Array.isArray(messages) ? messages[0] : undefined;
  const content: unknown = typeof first === 'object' && first !== null ? (first as Record<string, unknown>).content : undefined;
  if (!Array.isArray(content)) return undefined;
  const texts = content.flatMap((c: unknown) => (typeof c === 'object' && c !== null && typeof (c as Record<string, unknown>).text === 'string' ? [(c as Record<string, string>).text] : []));
  return texts.length > 0 ? texts.join('\n') : undefined;
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
 * Seconds a finished video task billed, as its `usage` says: `duration` (input + output video seconds, r2v and
 * wan2.6+), else output plus input video seconds, else ≤wan2.5's `video_duration`.
 */
export function billedSeconds(usage: Readonly<Record<string, unknown>>): number | undefined {
  const total = firstNumber(usage.duration);
  if (total !== undefined) return total;
  const output = firstNumber(usage.output_video_duration);
  if (output !== undefined) return output + (firstNumber(usage.input_video_duration) ?? 0);
  return firstNumber(usage.video_duration);
}

/**
 * Why a reported task is not this clip's or still's (another model, prompt, seed or length), or undefined when
 * everything it reports fits. What the service leaves out cannot be compared and does not count against it.
 */
export function taskMismatch(facts: TaskFacts, task: ReportedTask): string | undefined {
  if (task.model !== undefined && task.model !== facts.model) return `it is a ${task.model} task, not ${facts.model}`;
  if (task.origPrompt !== undefined && facts.prompt !== undefined && task.origPrompt.trim() !== facts.prompt.trim()) {
    return `its prompt is "${shorten(task.origPrompt)}"`;
  }
  if (task.seed !== undefined && facts.seed !== undefined && task.seed !== facts.seed) return `its seed is ${task.seed}, not ${facts.seed}`;
  if (facts.duration === undefined) return undefined;
  const seconds = outputSeconds(task.usage);
  const fits = (expected: number): boolean => seconds === undefined || Math.abs(seconds - expected) <= 0.5;
  if (!fits(facts.duration) && !(facts.carried !== undefined && fits(facts.duration + facts.carried))) {
    return `it made ${seconds} s of video, not ${facts.duration} s`;
  }
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
