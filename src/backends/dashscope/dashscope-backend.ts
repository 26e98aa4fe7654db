// The `dashscope` backend: makes clips with the Wan models through the DashScope HTTP API (submit, journal,
// poll, download), with rate limits, retries and resubmission; also its timing for `storyboard plan`.
import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { findModel } from '../../compiler/models/registry.js';
import { BackendError, type Backend, type BackendTiming, type RenderOutcome, type RenderRequest } from '../backend.js';
import { DashscopeClient, normalizeBaseUrl, type RequestInfo, type TaskState } from './dashscope-client.js';
import { DashscopeError, isCreateRetryable } from './dashscope-error.js';
import { describeDownloadError, downloadVideo } from './download-video.js';
import { expectedGenerationMs, SDK_POLL_SCHEDULE } from './poll-schedule.js';
import { pollTask, type PollContext } from './poll-task.js';
import { SlidingWindowLimiter } from './rate-limiter.js';
import { redactedMessage } from './redact.js';
import { prepareBody, type PreparedBody } from './resolve-body.js';
import { UploadCache } from './upload-cache.js';
import { InputUploader, type UploadMode } from './upload-input.js';
import { withRetry, type RetryPolicy, type Sleep } from './with-retry.js';

/** Singapore ("intl"). */
const DASHSCOPE_INTL_BASE_URL = 'https://dashscope-intl.aliyuncs.com/api/v1';
/** Task queries allowed per second per account. */
const TASK_QUERIES_PER_SECOND = 20;

/** Options of {@link createDashscopeBackend}. */
export interface DashscopeBackendOptions {
  readonly apiKey: string;
  /** Default {@link DASHSCOPE_INTL_BASE_URL}; ends in `/api/v1`. */
  readonly baseUrl?: string;
  /** Seconds between task queries, last entry repeating; default the SDK's 1, 1, 2, 2, 2, 4, 4, 4, 5, … */
  readonly pollSchedule?: readonly number[];
  /** Longest wait for one task before giving up (it stays journaled); default 3 h. */
  readonly timeoutSeconds?: number;
  /** Default `auto`: temporary OSS upload, base64 data URI for images when the policy endpoint fails. */
  readonly uploadMode?: UploadMode;
  /** JSON file remembering uploads for their 48 h validity (e.g. next to the runner's cache). */
  readonly uploadCacheFile?: string;
  /** Resubmissions of a task that FAILED with InternalError*; default 2. */
  readonly maxResubmits?: number;
  /** Retries of one HTTP call on 429/5xx/network errors; default 5. */
  readonly retries?: number;
  readonly dispatcher?: Dispatcher;
  readonly sleep?: Sleep;
  readonly now?: () => number;
  /** Jitter source, uniform [0, 1). */
  readonly random?: () => number;
  readonly onRequest?: (info: RequestInfo) => void;
}

/** How this backend makes clips, part of every clip key: bump it when results would differ. */
const BACKEND_VERSION = '1';
const DEFAULT_LIMITS = { rps: 1, concurrency: 1 } as const;
const defaultSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

/** DashScope: the expected task time (90 s + 6 s per second of video), the registry's per-model limits. */
export const DASHSCOPE_TIMING: BackendTiming = {
  latency: (job) => expectedGenerationMs(job.expected.duration) / 1000,
  concurrency: (model) => findModel(model)?.limits.concurrency ?? DEFAULT_LIMITS.concurrency,
  rps: (model) => findModel(model)?.limits.rps ?? DEFAULT_LIMITS.rps,
  overall: Number.POSITIVE_INFINITY,
  assumption: 'each DashScope task takes 90 s + 6 s per second of video; per-model concurrency and submissions per second from the model registry',
};

/** Everything one backend instance shares between its clips. */
interface Shared {
  readonly client: DashscopeClient;
  readonly retry: RetryPolicy;
  readonly now: () => number;
  readonly queryLimiter: SlidingWindowLimiter;
  readonly submitLimiter: (model: string) => SlidingWindowLimiter;
  readonly uploader: InputUploader;
  readonly schedule: readonly number[];
  readonly timeoutMs: number;
  readonly maxResubmits: number;
}

/** The real backend: Wan models through the DashScope HTTP API (async tasks, polling, signed-URL download). */
export function createDashscopeBackend(options: DashscopeBackendOptions): Backend {
  if (!options.apiKey) throw new Error('the DashScope backend needs an API key (--api-key or DASHSCOPE_API_KEY)');
  const shared = createShared(options);
  return {
    name: 'dashscope', paid: true, version: BACKEND_VERSION,
    concurrency: DASHSCOPE_TIMING.concurrency,
    timing: DASHSCOPE_TIMING,
    render: (req) => renderClip(shared, req),
  };
}

function createShared(options: DashscopeBackendOptions): Shared {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const baseUrl = normalizeBaseUrl(options.baseUrl ?? DASHSCOPE_INTL_BASE_URL);
  const client = new DashscopeClient({ apiKey: options.apiKey, baseUrl, now, ...optional({ dispatcher: options.dispatcher, onRequest: options.onRequest }) });
  const retry: RetryPolicy = { retries: options.retries ?? 5, baseDelayMs: 1000, maxDelayMs: 30_000, maxRetryAfterMs: 300_000, sleep, random: options.random ?? Math.random };
  const clock = { now, sleep };
  const submitLimiters = new Map<string, SlidingWindowLimiter>();
  // uploads are bound to the account (and region): the cache tells keys apart by a short one-way hash
  const accountTag = createHash('sha256').update(`${baseUrl}\n${options.apiKey}`).digest('hex').slice(0, 12);
  return {
    client, retry, now,
    // a 5 % longer window than the service's second: network jitter must not push a burst over its limit
    queryLimiter: new SlidingWindowLimiter(TASK_QUERIES_PER_SECOND, 1050, clock),
    submitLimiter: (model) => {
      let limiter = submitLimiters.get(model);
      if (!limiter) submitLimiters.set(model, (limiter = new SlidingWindowLimiter(findModel(model)?.limits.rps ?? DEFAULT_LIMITS.rps, 1000, clock)));
      return limiter;
    },
    uploader: new InputUploader({ client, retry, cache: new UploadCache(options.uploadCacheFile, now), mode: options.uploadMode ?? 'auto', accountTag }),
    schedule: options.pollSchedule && options.pollSchedule.length > 0 ? options.pollSchedule : SDK_POLL_SCHEDULE,
    timeoutMs: (options.timeoutSeconds ?? 3 * 3600) * 1000,
    maxResubmits: options.maxResubmits ?? 2,
  };
}

/** Collects the journaled task or submits one, resubmitting bounded times on InternalError or an expired task. */
async function renderClip(s: Shared, req: RenderRequest): Promise<RenderOutcome> {
  let taskId = req.journal.submitted(req.key);
  let prepared: PreparedBody | undefined;
  let internalRetries = 0;
  let unknownRetried = false;
  for (;;) {
    if (!taskId) {
      prepared ??= await prepareBody(req, s.uploader);
      taskId = await submit(s, req, prepared);
    }
    const state = await pollTask(pollContext(s, req), taskId);
    if (state.status === 'SUCCEEDED') {
      // the service's slot is free once the task is done: the next clip can go while this one downloads
      req.releaseSlot?.();
      return collect(s, req, state);
    }
    if (state.status === 'FAILED' && /^InternalError/.test(state.code ?? '') && internalRetries < s.maxResubmits) internalRetries++;
    else if (state.status === 'UNKNOWN' && !unknownRetried) unknownRetried = true;
    else throw taskFailure(state);
    taskId = undefined;
  }
}

/** Creates the task (rate limited, retried) and journals it before anything else happens. */
async function submit(s: Shared, req: RenderRequest, prepared: PreparedBody): Promise<string> {
  if (req.signal.aborted) throw new BackendError('the run was stopped', false, 'Aborted');
  const { model } = req.job.request.body;
  let taskId: string;
  try {
    ({ taskId } = await withRetry(async () => {
      await s.submitLimiter(model).acquire(req.signal);
      return s.client.createTask(req.job.request.path, prepared.body, prepared.ossResolve, req.signal);
    }, s.retry, { shouldRetry: isCreateRetryable, retryAfterMs: retryAfterMs, signal: req.signal }));
  } catch (e) {
    const why = e instanceof DashscopeError ? e.describe() : redactedMessage(e, s.client.secrets);
    throw new BackendError(`DashScope did not accept the task for ${model}: ${why}`, false, e instanceof DashscopeError ? e.code : undefined);
  }
  try {
    await req.journal.record(req.key, taskId);
  } catch (e) {
    throw new BackendError(`DashScope task ${taskId} was submitted but could not be journaled: ${redactedMessage(e, s.client.secrets)}`);
  }
  return taskId;
}

/** Downloads the video at once (the URL lives 24 h) and reports what the provider said. */
async function collect(s: Shared, req: RenderRequest, state: TaskState): Promise<RenderOutcome> {
  if (!state.videoUrl) throw new BackendError(`DashScope task ${state.taskId} SUCCEEDED without a video_url`, false, 'BadResponse');
  try {
    await downloadVideo({ client: s.client, ffmpeg: req.ffmpeg, retry: { ...s.retry, retries: 2 }, signal: req.signal }, state.videoUrl, req.outFile);
  } catch (e) {
    // the task succeeded (and was billed): keep it journaled so the next run downloads instead of paying again
    throw new BackendError(`could not download the video of DashScope task ${state.taskId}: ${describeDownloadError(e, s.client.secrets)}`, true, 'DownloadFailed');
  }
  req.onProgress?.(1);
  const sent = req.job.request.body.input.prompt;
  const actualPrompt = state.actualPrompt ?? (state.origPrompt !== undefined && state.origPrompt !== sent ? state.origPrompt : undefined);
  const billedSeconds = firstNumber(state.usage.duration, state.usage.video_duration, state.usage.output_video_duration);
  return { taskId: state.taskId, ...optional({ actualPrompt, billedSeconds }) };
}

function pollContext(s: Shared, req: RenderRequest): PollContext {
  return {
    client: s.client, queryLimiter: s.queryLimiter, retry: s.retry, now: s.now, schedule: s.schedule, timeoutMs: s.timeoutMs,
    expectedMs: expectedGenerationMs(req.job.expected.duration), signal: req.signal, ...optional({ onProgress: req.onProgress }),
  };
}

/** FAILED (code and provider message), CANCELED, or UNKNOWN twice: the task is over, the next run submits anew. */
function taskFailure(state: TaskState): BackendError {
  if (state.status === 'FAILED') {
    const code = state.code ?? 'Unknown';
    return new BackendError(`DashScope task ${state.taskId} FAILED with ${code}: ${state.message ?? 'no message'}`, false, code);
  }
  if (state.status === 'UNKNOWN') return new BackendError(`DashScope task ${state.taskId} is UNKNOWN (expired or never existed), also after resubmitting`, false, 'UNKNOWN');
  return new BackendError(`DashScope task ${state.taskId} ended ${state.status}`, false, state.status);
}

const retryAfterMs = (e: unknown): number | undefined => (e instanceof DashscopeError && e.retryAfter !== undefined ? e.retryAfter * 1000 : undefined);

function firstNumber(...values: unknown[]): number | undefined {
  for (const v of values) {
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n === 'number' && Number.isFinite(n)) return n;
  }
  return undefined;
}

/** The defined properties of `o` only (the options types forbid explicit undefined in places). */
function optional<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
