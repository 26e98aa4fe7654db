// The `dashscope` backend: makes clips and stills with the Wan models through the DashScope HTTP API (journal,
// submit, reconcile, poll, download), with rate limits, retries and resubmission; also its timing for `storyboard plan`.
import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { findImageModel } from '../../compiler/models/image-registry.js';
import { BackendError, type Backend, type BackendTiming, type RenderOutcome, type RenderRequest } from '../backend.js';
import type { Shared } from './backend-shared.js';
import { checkFirstClip } from './check-first-clip.js';
import { ClipSignals } from './clip-signal.js';
import { DashscopeClient, normalizeBaseUrl, type RequestInfo, type TaskState } from './dashscope-client.js';
import { describeDownloadError, downloadVideo } from './download-video.js';
import { makeStill, STILL_EXPECTED_MS } from './make-still.js';
import { modelLimits } from './model-limits.js';
import { OutageGiveUp } from './outage.js';
import { expectedGenerationMs, SDK_POLL_SCHEDULE } from './poll-schedule.js';
import { SlidingWindowLimiter } from './rate-limiter.js';
import { prepareBody, type PreparedBody } from './resolve-body.js';
import { runTask, taskContext } from './run-task.js';
import { TaskClaims } from './task-claims.js';
import { billedSeconds, clipFacts } from './task-facts.js';
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
const defaultSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

/**
 * DashScope: the expected task time (90 s + 6 s per second of video; a still about 30 s), the registries' per-model
 * limits (video and image models; one at a time for an id neither knows).
 */
export const DASHSCOPE_TIMING: BackendTiming = {
  latency: (job) => (findImageModel(job.model) ? STILL_EXPECTED_MS : expectedGenerationMs(job.expected.duration)) / 1000,
  concurrency: (model) => modelLimits(model).concurrency,
  rps: (model) => modelLimits(model).rps,
  overall: Number.POSITIVE_INFINITY,
  assumption: 'each DashScope task takes 90 s + 6 s per second of video, a still 30 s; per-model concurrency and submissions per second from the model registries',
};

/** Default of {@link DashscopeBackendOptions.unreachableTimeoutSeconds}: ten minutes without an answer. */
const DEFAULT_UNREACHABLE_TIMEOUT_SECONDS = 600;

/** The real backend: Wan models through the DashScope HTTP API (async tasks, polling, sync image calls, signed-URL download). */
export function createDashscopeBackend(options: DashscopeBackendOptions): Backend {
  if (!options.apiKey) throw new Error('the DashScope backend needs an API key (--api-key or DASHSCOPE_API_KEY)');
  const shared = createShared(options);
  return {
    name: 'dashscope', paid: true, version: BACKEND_VERSION,
    concurrency: DASHSCOPE_TIMING.concurrency,
    timing: DASHSCOPE_TIMING,
    render: (req) => renderClip(shared, req),
    makeStill: (req) => makeStill(shared, req),
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
      if (!limiter) submitLimiters.set(model, (limiter = new SlidingWindowLimiter(modelLimits(model).rps, 1000, clock)));
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
    // a first_clip the model would refuse is caught before it is uploaded or paid for
    const prepare = async (): Promise<PreparedBody> => {
      await checkFirstClip(req);
      return prepareBody(req, s.uploader);
    };
    const state = await runTask(s, taskContext(s, req, clipFacts(req), 'clip'), prepare, expectedGenerationMs(req.job.expected.duration));
    return await collect(s, req, state);
  } catch (e) {
    if (e instanceof BackendError) throw e;
    if (req.signal.aborted) throw new BackendError('the run was stopped', true, 'Aborted');
    if (e instanceof OutageGiveUp) throw new BackendError(`${e.message}: the clip's task (if any) stays journaled`, true, 'Unreachable');
    throw e;
  } finally {
    own.done();
  }
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
  return { taskId: state.taskId, ...optional({ actualPrompt, billedSeconds: billedSeconds(state.usage) }) };
}

/** The defined properties of `o` only (the options types forbid explicit undefined in places). */
function optional<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
