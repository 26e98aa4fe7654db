// A small fake DashScope on 127.0.0.1 for backend tests: answers creates, sync image calls, task queries, the task
// list, upload policy, OSS uploads and result downloads in the official shapes, and records what it received.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;

/** One request as the server received it. */
export interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** What a finished task or a sync call answers: `output` fields (results or choices, or code/message) and usage. */
export interface FakeResult {
  readonly status?: 'SUCCEEDED' | 'FAILED';
  readonly output: Json;
  readonly usage?: Json;
}

/**
 * How the server handles one create or sync call: `reply` answers; `drop` does the work (the task exists, the image
 * is billed) and then cuts the connection; `hold` does the work and never answers; `{ status, body }` answers that
 * instead without doing any work (a refusal or throttling).
 */
export type CallAction = 'reply' | 'drop' | 'hold' | { readonly status: number; readonly body: Json };

/** A task the fake holds. */
interface FakeTask {
  readonly id: string;
  readonly model: string;
  readonly submitted: number;
  readonly result: FakeResult;
}

/** Options of {@link startFakeDashscope}. */
export interface FakeOptions {
  /** The answer of a task or sync call, by its request body and path. */
  readonly result: (body: Json, path: string) => FakeResult;
  /** How the n-th (1-based) create or sync call is handled; default `reply`. */
  readonly onCall?: (kind: 'create' | 'sync', n: number) => CallAction;
  /** The upload-policy endpoint answers this status instead of a policy. */
  readonly policyStatus?: number;
}

/** The running fake: its base URL, what it received, what it did. */
export interface FakeDashscope {
  readonly url: string;
  readonly received: Received[];
  readonly tasks: FakeTask[];
  /** Images made: by succeeded tasks and answered-or-not sync calls (what would be billed). */
  billedImages(): number;
  syncCalls(): number;
  /** Files to serve under `/files/<name>`. */
  readonly files: Map<string, { readonly data: Buffer; readonly type: string }>;
  fileUrl(name: string): string;
  close(): Promise<void>;
}

const SYNC_PATH = '/api/v1/services/aigc/multimodal-generation/generation';
/** Service time (UTC+8) as `YYYY-MM-DD HH:mm:ss.SSS`. */
const serviceTime = (ms: number): string => new Date(ms + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 23);

/** Starts the fake on an ephemeral loopback port. */
export async function startFakeDashscope(options: FakeOptions): Promise<FakeDashscope> {
  const received: Received[] = [];
  const tasks: FakeTask[] = [];
  const files = new Map<string, { data: Buffer; type: string }>();
  const held: ServerResponse[] = [];
  let calls = 0;
  let sync = 0;
  let billed = 0;
  let url = '';

  const bill = (r: FakeResult): void => {
    if ((r.status ?? 'SUCCEEDED') === 'SUCCEEDED') billed += Number(r.usage?.image_count ?? (r.output.results || r.output.choices ? 1 : 0));
  };
  const json = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const act = (res: ServerResponse, action: CallAction, work: () => unknown): void => {
    if (typeof action === 'object') return json(res, action.status, action.body);
    const answer = work();
    if (action === 'drop') res.socket?.destroy();
    else if (action === 'hold') held.push(res);
    else json(res, 200, answer);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const r: Received = { method: req.method ?? '', url: req.url ?? '', headers, body: Buffer.concat(chunks) };
      received.push(r);
      route(r, res);
    });
  });

  const route = (r: Received, res: ServerResponse): void => {
    const path = r.url.split('?')[0] ?? '';
    const query = new URLSearchParams(r.url.split('?')[1] ?? '');
    if (r.method === 'POST' && path.startsWith('/api/v1/services/')) {
      const body = JSON.parse(r.body.toString('utf8')) as Json;
      const isSync = path === SYNC_PATH && r.headers['x-dashscope-async'] !== 'enable';
      const action = options.onCall?.(isSync ? 'sync' : 'create', ++calls) ?? 'reply';
      if (isSync) {
        return act(res, action, () => {
          sync++;
          const result = options.result(body, path);
          bill(result);
          return { output: result.output, usage: result.usage ?? {}, request_id: `sync-${sync}` };
        });
      }
      return act(res, action, () => {
        const task: FakeTask = { id: `task-${tasks.length + 1}`, model: String(body.model), submitted: Date.now(), result: options.result(body, path) };
        tasks.push(task);
        bill(task.result);
        return { output: { task_id: task.id, task_status: 'PENDING' }, request_id: `create-${task.id}` };
      });
    }
    if (r.method === 'GET' && path.startsWith('/api/v1/tasks/')) {
      const task = tasks.find((t) => t.id === path.slice('/api/v1/tasks/'.length));
      return json(res, 200, { request_id: 'q', output: task ? view(task) : { task_id: path.slice(14), task_status: 'UNKNOWN' }, ...(task?.result.usage ? { usage: task.result.usage } : {}) });
    }
    if (r.method === 'GET' && path === '/api/v1/tasks') {
      const model = query.get('model_name');
      const data = tasks.filter((t) => model === null || t.model === model).map((t) => ({ ...view(t), model_name: t.model, ...(t.result.usage ? { usage: t.result.usage } : {}) }));
      return json(res, 200, { request_id: 'l', data, total: data.length });
    }
    if (r.method === 'GET' && path === '/api/v1/uploads') {
      if (options.policyStatus) return json(res, options.policyStatus, { code: 'AccessDenied', message: 'uploads are not available here' });
      return json(res, 200, {
        request_id: 'p', data: {
          policy: 'cG9saWN5', signature: 'c2ln', upload_dir: `dashscope-instant/fake/${query.get('model')}`, upload_host: `${url}/oss`,
          expire_in_seconds: 300, max_file_size_mb: 100, oss_access_key_id: 'LTAIfake', x_oss_object_acl: 'private', x_oss_forbid_overwrite: 'true',
        },
      });
    }
    if (r.method === 'POST' && path === '/oss') return void res.writeHead(200).end();
    const file = r.method === 'GET' && path.startsWith('/files/') ? files.get(path.slice('/files/'.length)) : undefined;
    if (file) return void res.writeHead(200, { 'content-type': file.type, 'content-length': String(file.data.length) }).end(file.data);
    json(res, 404, { code: 'NotFound', message: `no route ${r.method} ${path}` });
  };

  const view = (t: FakeTask): Json => {
    const status = t.result.status ?? 'SUCCEEDED';
    return { task_id: t.id, task_status: status, submit_time: serviceTime(t.submitted), end_time: serviceTime(t.submitted + 1000), ...t.result.output };
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url, received, tasks, files,
    billedImages: () => billed,
    syncCalls: () => sync,
    fileUrl: (name) => `${url}/files/${name}`,
    close: async () => {
      for (const res of held) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
