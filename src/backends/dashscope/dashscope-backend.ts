// The `dashscope` backend: makes clips with the Wan models through the DashScope HTTP API (journal, submit,
// reconcile, poll, download), with rate limits, retries and resubmission; also its timing for `storyboard plan`.
import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { findModel } from '../../compiler/models/registry.js';
import { BackendError, type Backend, type BackendNotice, type BackendTiming, type RenderOutcome, type RenderRequest } from '../backend.js';
import { ClipSignals } from './clip-signal.js';
import { journaledTask, lookBeyond, setAside, submitTask, type ClipContext, type ClipTask } from './clip-task.js';
import { DashscopeClient, normalizeBaseUrl, type RequestInfo, type TaskState } from './dashscope-client.js';
import { describeDownloadError, downloadVideo } from './download-video.js';
import { OutageGiveUp, type OutagePolicy } from './outage.js';
import { expectedGenerationMs, SDK_POLL_SCHEDULE } from './poll-schedule.js';
import { pollTask, type PollContext } from './poll-task.js';
import { SlidingWindowLimiter } from './rate-limiter.js';
import { prepareBody, type PreparedBody } from './resolve-body.js';
import { TaskClaims } from './task-claims.js';
import { clipFacts, firstNumber, taskMismatch } from './task-facts.js';
import { UploadCache } from './upload-cache.js';
import { InputUploader, type UploadMode } from './upload-input.js';
import { type RetryPolicy, type Sleep } from './with-retry.js';

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
  /**
   * How long the service may stay unreachable (no answer, 5xx, or throttling without end) before a clip gives
   * up, its task journaled for the next run; default 600 (10 minutes).
   */
  readonly unreachableTimeoutSeconds?: number;
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
  readonly giveUpMs: number;
  readonly maxResubmits: number;
  /** Which clip each task this backend created or verified belongs to. */
  readonly claims: TaskClaims;
  /** Each clip's own abort signal, off one listener on the run's. */
  readonly signals: ClipSignals;
}

/** Default of {@link DashscopeBackendOptions.unreachableTimeoutSeconds}: ten minutes without an answer. */
const DEFAULT_UNREACHABLE_TIMEOUT_SECONDS = 600;

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
    giveUpMs: (options.unreachableTimeoutSeconds ?? DEFAULT_UNREACHABLE_TIMEOUT_SECONDS) * 1000,
    maxResubmits: options.maxResubmits ?? 2,
    claims: new TaskClaims(),
    signals: new ClipSignals(),
  };
}

/** Makes one clip; anything that is not already a BackendError becomes one (a stopped run keeps its task). */
async function renderClip(s: Shared, request: RenderRequest): Promise<RenderOutcome> {
  const own = s.signals.child(request.signal);
  const req: RenderRequest = { ...request, signal: own.signal };
  try {
    return await runClip(s, clipContext(s, req));
  } catch (e) {
    if (e instanceof BackendError) throw e;
    if (req.signal.aborted) throw new BackendError('the run was stopped', true, 'Aborted');
    if (e instanceof OutageGiveUp) throw new BackendError(`${e.message}: the clip's task (if any) stays journaled`, true, 'Unreachable');
    throw e;
  } finally {
    own.done();
  }
}

/**
 * Collects the journaled task (checked against the clip when it finishes) or submits one, resubmitting bounded
 * times on InternalError or an expired task; a task that turns out to be another clip's is set aside and the
 * clip's own looked for, never stitched.
 */
async function runClip(s: Shared, c: ClipContext): Promise<RenderOutcome> {
  const { req } = c;
  let task: ClipTask | undefined = await journaledTask(c);
  let prepared: PreparedBody | undefined;
  let internalRetries = 0;
  let unknownRetried = false;
  for (;;) {
    if (!task) {
      prepared ??= await prepareBody(req, s.uploader);
      task = await submitTask(c, prepared);
    }
    const state = await pollTask(pollContext(s, c), task.id);
    if (state.status === 'SUCCEEDED') {
      const wrong = task.trusted ? undefined : taskMismatch(c.facts, state);
      if (wrong) {
        task = await setAside(c, task, wrong);
        continue;
      }
      s.claims.claim(task.id, req.key);
      // the service's slot is free once the task is done: the next clip can go while this one downloads
      req.releaseSlot?.();
      return collect(s, req, state);
    }
    if (state.status === 'FAILED' && /^InternalError/.test(state.code ?? '') && internalRetries < s.maxResubmits) internalRetries++;
    else if (state.status === 'UNKNOWN' && !unknownRetried) unknownRetried = true;
    else throw taskFailure(state);
    // a task only the journal named may not have been the clip's: its own may still exist
    task = task.trusted ? undefined : await lookBeyond(c, task);
  }
}

/** The per-clip contexts: submitting, reconciling and waiting, all telling the clip's notices. */
function clipContext(s: Shared, req: RenderRequest): ClipContext {
  const notify = (kind: BackendNotice['kind'], message: string): void => req.onNotice?.({ kind, message });
  const outage: OutagePolicy = { retry: s.retry, now: s.now, giveUpMs: s.giveUpMs, signal: req.signal, secrets: s.client.secrets, notify: (m) => notify('waiting', m) };
  const rejected = new Set<string>();
  return {
    req, facts: clipFacts(req), outage, rejected, notify,
    create: { client: s.client, submitLimiter: s.submitLimiter(req.job.request.body.model), claims: s.claims },
    reconcile: {
      client: s.client, queryLimiter: s.queryLimiter, outage, schedule: s.schedule, timeoutMs: s.timeoutMs, claims: s.claims,
      key: req.key, rejected, notify: (m) => notify('waiting', m),
    },
  };
}

/** Downloads the video at once (the URL lives 24 h) and reports what the provider said. */
async function collect(s: Shared, req: RenderRequest, state: TaskState): Promise<RenderOutcome> {
  if (!state.videoUrl) throw new BackendError(`DashScope task ${state.taskId} SUCCEEDED without a video_url`, false, 'BadResponse');
  try {
    await downloadVideo({ client: s.client, ffmpeg: req.ffmpeg, retry: { ...s.retry, retries: 4 }, signal: req.signal }, state.videoUrl, req.outFile);
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

function pollContext(s: Shared, c: ClipContext): PollContext {
  return {
    client: s.client, queryLimiter: s.queryLimiter, outage: c.outage, schedule: s.schedule, timeoutMs: s.timeoutMs,
    expectedMs: expectedGenerationMs(c.req.job.expected.duration), ...optional({ onProgress: c.req.onProgress }),
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

/** The defined properties of `o` only (the options types forbid explicit undefined in places). */
function optional<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
