// The DashScope HTTP client over undici: create task, sync image generation, query task, list tasks, upload policy
// and OSS upload, with the API key kept out of every message.
import { request, type Dispatcher } from 'undici';
import { DashscopeError, errorFromException, errorFromResponse, parseRetryAfter } from './dashscope-error.js';
import { redact, redactFields } from './redact.js';

/** What the `onRequest` hook hears about each HTTP request (never headers, so never the key). */
export interface RequestInfo {
  readonly kind: 'create' | 'generate' | 'query' | 'list' | 'policy' | 'upload' | 'download';
  readonly method: 'GET' | 'POST';
  readonly url: string;
}

/** A task as `GET /tasks/{id}` reports it. */
export interface TaskState {
  readonly taskId: string;
  /** PENDING, RUNNING, SUCCEEDED, FAILED, CANCELED, UNKNOWN (SUSPENDED exists in the SDK). */
  readonly status: string;
  readonly code?: string;
  readonly message?: string;
  readonly videoUrl?: string;
  readonly actualPrompt?: string;
  readonly origPrompt?: string;
  /** The seed, when the service reports one. */
  readonly seed?: number;
  readonly usage: Readonly<Record<string, unknown>>;
  readonly requestId?: string;
  /** The whole `output` (images: `results[]` or `choices[]`), redacted. */
  readonly output: Readonly<Record<string, unknown>>;
}

/** One task as `GET /tasks` lists it (the fields the service chose to include). */
export interface ListedTask {
  readonly taskId: string;
  readonly status: string;
  readonly model?: string;
  /** `YYYY-MM-DD HH:mm:ss.SSS`, service time (UTC+8). */
  readonly submitTime?: string;
  readonly origPrompt?: string;
  readonly seed?: number;
  readonly usage: Readonly<Record<string, unknown>>;
}

/** What `GET /tasks` is asked for: one page of a model's tasks submitted since a time. */
export interface TaskListQuery {
  readonly model: string;
  /** `YYYYMMDDhhmmss`, service time. */
  readonly startTime: string;
  readonly pageNo: number;
  readonly pageSize: number;
}

/** The `data` of `GET /uploads?action=getPolicy`. */
export interface UploadPolicy {
  readonly policy: string;
  readonly signature: string;
  readonly uploadDir: string;
  readonly uploadHost: string;
  readonly ossAccessKeyId: string;
  readonly objectAcl: string;
  readonly forbidOverwrite: string;
  /** 0 can mean "no uploads for this model". */
  readonly maxFileSizeMb?: number;
}

/** Options of {@link DashscopeClient}. */
interface DashscopeClientOptions {
  readonly apiKey: string;
  /** `https://…/api/v1` */
  readonly baseUrl: string;
  readonly dispatcher?: Dispatcher;
  readonly onRequest?: (info: RequestInfo) => void;
  readonly now: () => number;
}

/** A response whose status the caller checks; the body must be consumed or dumped. */
type RawResponse = Dispatcher.ResponseData;

const API_TIMEOUT_MS = 60_000;
type Json = Record<string, unknown>;
const asObject = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const asText = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);
/** The first result of an image task (text2image's `results[]` carry `orig_prompt` and `actual_prompt` each). */
const firstResult = (o: Json): Json => asObject(Array.isArray(o.results) ? o.results[0] : undefined);
/** `seed` when it is an integer. */
const seedOf = (v: unknown): Json => (typeof v === 'number' && Number.isInteger(v) ? { seed: v } : {});

/** `{base}` joined with a plan path such as `/api/v1/services/…` (the base already ends in `/api/v1`). */
export function apiUrl(baseUrl: string, path: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  const rel = path.replace(/^\/api\/v1(?=\/)/, '');
  return `${base}${rel.startsWith('/') ? rel : `/${rel}`}`;
}

/** A base URL given as a bare origin gets `/api/v1`. */
export function normalizeBaseUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  const trimmed = baseUrl.replace(/\/+$/, '');
  return url.pathname === '/' || url.pathname === '' ? `${trimmed}/api/v1` : trimmed;
}

/**
 * The DashScope HTTP API. The key lives only here and goes only into the Authorization header of API
 * requests; {@link plain} requests (OSS upload host, video download) never carry it.
 */
export class DashscopeClient {
  readonly #apiKey: string;
  readonly #options: DashscopeClientOptions;

  constructor(options: DashscopeClientOptions) {
    this.#apiKey = options.apiKey;
    this.#options = options;
  }

  /** Secrets to redact from any message. */
  get secrets(): readonly string[] {
    return [this.#apiKey];
  }

  /** Creates a task; returns its id. */
  async createTask(path: string, body: unknown, ossResolve: boolean, signal?: AbortSignal): Promise<{ taskId: string; requestId?: string }> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-dashscope-async': 'enable' };
    if (ossResolve) headers['x-dashscope-ossresourceresolve'] = 'enable';
    const root = await this.#api('create', 'POST', apiUrl(this.#options.baseUrl, path), headers, JSON.stringify(body), signal);
    const output = asObject(root.output);
    const taskId = asText(output.task_id);
    if (!taskId) throw new DashscopeError(200, 'BadResponse', 'the create-task response has no output.task_id', asText(root.request_id));
    return { taskId, ...(asText(root.request_id) ? { requestId: asText(root.request_id) } : {}) };
  }

  /**
   * One synchronous call (no X-DashScope-Async: the multimodal-generation endpoint answers with the image at
   * once); returns the whole answer, redacted.
   */
  async generate(path: string, body: unknown, ossResolve: boolean, signal?: AbortSignal): Promise<Readonly<Record<string, unknown>>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (ossResolve) headers['x-dashscope-ossresourceresolve'] = 'enable';
    return this.#api('generate', 'POST', apiUrl(this.#options.baseUrl, path), headers, JSON.stringify(body), signal);
  }

  /** One `GET /tasks/{id}`. */
  async getTask(taskId: string, signal?: AbortSignal): Promise<TaskState> {
    const root = await this.#api('query', 'GET', apiUrl(this.#options.baseUrl, `/tasks/${encodeURIComponent(taskId)}`), {}, undefined, signal);
    const out = asObject(root.output);
    const first = firstResult(out);
    const pick = (k: string, v: unknown): Json => (asText(v) === undefined ? {} : { [k]: asText(v) });
    return {
      taskId: asText(out.task_id) ?? taskId, status: asText(out.task_status) ?? 'UNKNOWN', usage: asObject(root.usage), output: out,
      ...pick('code', this.#clean(out.code)), ...pick('message', this.#clean(out.message)), ...pick('videoUrl', out.video_url),
      ...pick('actualPrompt', out.actual_prompt ?? first.actual_prompt), ...pick('origPrompt', out.orig_prompt ?? first.orig_prompt),
      ...pick('requestId', root.request_id), ...seedOf(out.seed),
    } as TaskState;
  }

  /**
   * One page of `GET /tasks` (reference §1.2; the response shape is undocumented: the list is read from `data`,
   * `output.data`, `tasks` or `output.tasks`, and a body with none of them is a BadResponse).
   */
  async listTasks(query: TaskListQuery, signal?: AbortSignal): Promise<{ tasks: ListedTask[]; total?: number }> {
    const params = new URLSearchParams({ model_name: query.model, start_time: query.startTime, page_no: String(query.pageNo), page_size: String(query.pageSize) });
    const root = await this.#api('list', 'GET', `${apiUrl(this.#options.baseUrl, '/tasks')}?${params.toString()}`, {}, undefined, signal);
    const output = asObject(root.output);
    const items = [root.data, output.data, root.tasks, output.tasks].find(Array.isArray) as unknown[] | undefined;
    if (!items) throw new DashscopeError(200, 'BadResponse', 'the task list response has no list of tasks', asText(root.request_id));
    const tasks = items.map(asObject).flatMap((t): ListedTask[] => {
      const taskId = asText(t.task_id);
      if (!taskId) return [];
      const pick = (k: string, v: unknown): Json => (asText(v) === undefined ? {} : { [k]: asText(v) });
      return [{
        taskId, status: asText(t.task_status) ?? 'UNKNOWN', usage: asObject(t.usage), ...pick('model', t.model_name ?? t.model),
        ...pick('submitTime', t.submit_time), ...pick('origPrompt', t.orig_prompt ?? firstResult(t).orig_prompt), ...seedOf(t.seed),
      } as ListedTask];
    });
    const total = Number(root.total ?? output.total);
    return { tasks, ...(Number.isFinite(total) && (root.total ?? output.total) !== undefined ? { total } : {}) };
  }

  /** Provider text redacted (a message could echo a key). */
  #clean(v: unknown): string | undefined {
    const text = asText(v);
    return text === undefined ? undefined : redact(text, this.secrets);
  }

  /** `GET /uploads?action=getPolicy&model=…` (the SDK and QwenCloud CLI accept `data` or `output`). */
  async getUploadPolicy(model: string, signal?: AbortSignal): Promise<UploadPolicy> {
    const url = `${apiUrl(this.#options.baseUrl, '/uploads')}?action=getPolicy&model=${encodeURIComponent(model)}`;
    const root = await this.#api('policy', 'GET', url, { 'content-type': 'application/json' }, undefined, signal);
    const d = asObject(root.data ?? root.output);
    const need = (k: string): string => {
      const v = asText(d[k]);
      if (v === undefined) throw new DashscopeError(200, 'BadResponse', `the upload policy has no ${k}`, asText(root.request_id));
      return v;
    };
    const max = Number(d.max_file_size_mb);
    return {
      policy: need('policy'), signature: need('signature'), uploadDir: need('upload_dir').replace(/\/+$/, ''), uploadHost: need('upload_host'),
      ossAccessKeyId: need('oss_access_key_id'), objectAcl: asText(d.x_oss_object_acl) ?? 'private',
      forbidOverwrite: asText(d.x_oss_forbid_overwrite) ?? 'true', ...(Number.isFinite(max) && d.max_file_size_mb !== undefined ? { maxFileSizeMb: max } : {}),
    };
  }

  /** A request without the key (OSS upload host, video URL). Network failures become DashscopeError(0, code). */
  async plain(kind: RequestInfo['kind'], method: 'GET' | 'POST', url: string, init: { headers?: Record<string, string>; body?: Buffer; signal?: AbortSignal; timeoutMs?: number } = {}): Promise<RawResponse> {
    this.#options.onRequest?.({ kind, method, url });
    try {
      return await request(url, {
        method, headers: init.headers ?? {}, body: init.body, signal: init.signal, dispatcher: this.#options.dispatcher,
        headersTimeout: init.timeoutMs ?? API_TIMEOUT_MS, bodyTimeout: init.timeoutMs ?? API_TIMEOUT_MS,
      });
    } catch (e) {
      throw errorFromException(e, this.secrets);
    }
  }

  /** An authorised API call returning the JSON body; any non-200 becomes a DashscopeError. */
  async #api(kind: RequestInfo['kind'], method: 'GET' | 'POST', url: string, headers: Record<string, string>, body: string | undefined, signal?: AbortSignal): Promise<Json> {
    this.#options.onRequest?.({ kind, method, url });
    let text: string;
    let res: RawResponse;
    try {
      res = await request(url, {
        method, body, signal, dispatcher: this.#options.dispatcher, headersTimeout: API_TIMEOUT_MS, bodyTimeout: API_TIMEOUT_MS,
        headers: { ...headers, accept: 'application/json', authorization: `Bearer ${this.#apiKey}` },
      });
      text = await res.body.text();
    } catch (e) {
      throw errorFromException(e, this.secrets);
    }
    const retryAfter = parseRetryAfter(res.headers['retry-after'], this.#options.now());
    if (res.statusCode !== 200) throw errorFromResponse(res.statusCode, text, retryAfter, this.secrets);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new DashscopeError(res.statusCode, 'BadResponse', `the response is not JSON: ${redact(text.slice(0, 200), this.secrets)}`);
    }
    // any field (request_id, task_id, actual_prompt, usage…) may reach output, the journal or the lock file
    return redactFields(asObject(parsed), this.secrets);
  }
}
