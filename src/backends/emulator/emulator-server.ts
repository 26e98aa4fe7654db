// The DashScope emulator: a node:http server on 127.0.0.1 speaking the Wan video and image protocols
// (reference §1, §3–§5, §8, §9) for the test suite. Routing and the API gate (auth, injected faults,
// task-query limit) live here; the handlers live in *-route(s).ts.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EndpointPath, ImageEndpointPath } from '../../compiler/models/types.js';
import { resolveFfmpeg, type FfmpegTools } from '../../media/ffmpeg-binaries.js';
import { BoundedLog } from './bounded-log.js';
import { createClock } from './clock.js';
import { RATE_QUOTA, RETRY_AFTER, type EmulatorContext } from './context.js';
import { handleCreate } from './create-route.js';
import { defaultRender } from './default-render.js';
import { withDriftRender } from './drift-option.js';
import { FaultInjector, faultRates } from './faults.js';
import { handleFile } from './file-route.js';
import { defaultImageRender } from './image-render.js';
import { handleImageCreate } from './image-route.js';
import { sendError, sendJson, type Exchange } from './http-io.js';
import { KeyedRateWindows, RateWindow } from './rate-window.js';
import { signFileUrl } from './signed-url.js';
import { TaskStore } from './task-store.js';
import { handleCancel, handleList, handleQuery } from './task-routes.js';
import type { Emulator, EmulatorOptions, EmulatorStats, RecordedRequest } from './types.js';
import { recordRequest } from './request-record.js';
import { handleGetPolicy, handleOssUpload } from './upload-routes.js';
import { UploadStore } from './upload-store.js';

const API = '/api/v1';
const CREATE_PATHS: readonly EndpointPath[] = [
  '/api/v1/services/aigc/video-generation/video-synthesis',
  '/api/v1/services/aigc/image2video/video-synthesis',
];
const IMAGE_PATHS: readonly ImageEndpointPath[] = [
  '/api/v1/services/aigc/text2image/image-synthesis',
  '/api/v1/services/aigc/image-generation/generation',
  '/api/v1/services/aigc/multimodal-generation/generation',
];
const RETENTION_MS = 24 * 3600 * 1000;

/** Starts an emulator on 127.0.0.1 (`port` 0 = a free port). */
export async function startEmulator(given: EmulatorOptions = {}): Promise<Emulator> {
  // a bad drift spec fails here, before anything listens or is created
  const options = withDriftRender(given);
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'dashscope-emulator-')));
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const ctx = createContext(options, `http://127.0.0.1:${port}`, dir);
  const log = new BoundedLog<RecordedRequest>(options.logLimits?.requests ?? 10_000, options.logLimits?.bytes ?? 4 * 1024 * 1024);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => onRequest(ctx, dir, log, req, res));
  return {
    url: ctx.url, baseUrl: `${ctx.url}${API}`, port,
    stats: () => snapshot(ctx),
    creates: () => ctx.creates.list(),
    requests: () => log.list(),
    close: () => closeEmulator(server, ctx, ownDir ? dir : undefined),
  };
}

function createContext(options: EmulatorOptions, url: string, dir: string): EmulatorContext {
  const clock = createClock(options);
  const secret = randomBytes(24).toString('base64');
  const accessKeyId = `LTAI5emu${randomBytes(8).toString('hex')}`;
  const stats: EmulatorStats = {
    submitted_tasks: 0, billed_seconds: 0, first_clip_seconds: 0, billed_images: 0, succeeded: 0, failed: 0, canceled: 0, queries: 0, throttled: 0,
    server_errors: 0, uploads: 0, downloads: 0, peak_query_rate: 0, max_running: {},
  };
  const store = new TaskStore({
    clock, stats, dir,
    latencyMs: (options.latency ?? 1) * 1000,
    pendingDelayMs: (options.pendingDelay ?? 0.05) * 1000,
    retentionMs: RETENTION_MS,
    maxTasks: options.maxTasks ?? 10_000,
    render: options.render ?? defaultRender(options.ffmpeg),
    imageRender: options.imageRender ?? defaultImageRender(options.ffmpeg),
    concurrency: (m) => m.limits.concurrency,
    signUrl: (name, expires) => signFileUrl(url, name, expires, { secret, accessKeyId }),
  });
  let tools: Promise<FfmpegTools> | undefined;
  return {
    url, apiKey: options.apiKey, clock, stats, store, secret, accessKeyId, dir,
    tools: () => (tools ??= options.ffmpeg ? Promise.resolve(options.ffmpeg) : resolveFfmpeg()),
    policyClock: options.now ?? Date.now,
    faults: new FaultInjector(faultRates(options.faults), options.seed ?? 1),
    uploads: new UploadStore(),
    creates: new BoundedLog(10_000, 64 * 1024 * 1024),
    submitRps: (m) => options.submitRps ?? m.limits.rps,
    submitWindows: new KeyedRateWindows(),
    policyWindows: new KeyedRateWindows(),
    queryRps: options.queryRps ?? 20,
    queryWindow: new RateWindow(),
    queryAttempts: new RateWindow(),
    maxUploadBytes: (options.maxUploadMb ?? 20) * 1024 * 1024,
  };
}

function snapshot(ctx: EmulatorContext): EmulatorStats {
  return { ...ctx.stats, peak_query_rate: ctx.queryAttempts.peak(), max_running: { ...ctx.stats.max_running } };
}

async function closeEmulator(server: Server, ctx: EmulatorContext, ownDir: string | undefined): Promise<void> {
  ctx.store.close();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
  if (ownDir) await rm(ownDir, { recursive: true, force: true });
}

function onRequest(ctx: EmulatorContext, dir: string, log: BoundedLog<RecordedRequest>, req: IncomingMessage, res: ServerResponse): void {
  const ex: Exchange = { req, res, url: new URL(req.url ?? '/', ctx.url), requestId: randomUUID() };
  if (ex.url.pathname.startsWith('/_emulator/')) return emulatorRoute(ctx, ex, log);
  res.on('close', () => {
    const { entry, bytes } = recordRequest(req, res.statusCode, ctx.apiKey);
    log.push(entry, bytes);
  });
  route(ctx, ex, dir).catch((e: unknown) => {
    if (res.headersSent) return void res.destroy();
    ctx.stats.server_errors++;
    sendError(ex, 500, 'InternalError', `Emulator error: ${e instanceof Error ? e.message : String(e)}`);
  });
}

/** Test-only introspection: stats, create bodies, request headers (credentials redacted). */
function emulatorRoute(ctx: EmulatorContext, ex: Exchange, log: BoundedLog<RecordedRequest>): void {
  const path = ex.url.pathname;
  if (path === '/_emulator/stats') return sendJson(ex, 200, { ...snapshot(ctx) });
  if (path === '/_emulator/requests') return sendJson(ex, 200, { requests: ctx.creates.list() });
  if (path === '/_emulator/headers') return sendJson(ex, 200, { requests: log.list() });
  sendError(ex, 404, 'InvalidURL', 'The requested URL was not found on the emulator.');
}

async function route(ctx: EmulatorContext, ex: Exchange, dir: string): Promise<void> {
  const { pathname } = ex.url;
  const method = ex.req.method ?? 'GET';
  if (pathname.startsWith(`${API}/`)) return apiRoute(ctx, ex, method, pathname);
  if (method === 'POST' && pathname === '/oss/upload') return handleOssUpload(ctx, ex);
  const file = /^\/files\/([^/]+)$/.exec(pathname);
  if (file?.[1] && (method === 'GET' || method === 'HEAD')) return handleFile(ctx, ex, dir, safeDecode(file[1]));
  sendError(ex, 404, 'InvalidURL', 'The requested URL was not found.');
}

/** A path segment decoded; left as is when it is not valid percent-encoding. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

type Handler = () => void | Promise<void>;

/** The API handler for a method and path, and whether it is a task-API request (20 QPS). */
function apiHandler(ctx: EmulatorContext, ex: Exchange, method: string, path: string): { handler: Handler; task: boolean } | undefined {
  const create = CREATE_PATHS.find((p) => p === path);
  if (create && method === 'POST') return { handler: () => handleCreate(ctx, ex, create), task: false };
  const image = IMAGE_PATHS.find((p) => p === path);
  if (image && method === 'POST') return { handler: () => handleImageCreate(ctx, ex, image), task: false };
  if (path === `${API}/uploads` && method === 'GET') return { handler: () => handleGetPolicy(ctx, ex), task: false };
  if (path === `${API}/tasks` && method === 'GET') return { handler: () => handleList(ctx, ex), task: true };
  const m = /^\/api\/v1\/tasks\/([^/]+)(\/cancel)?$/.exec(path);
  const id = m?.[1] ? safeDecode(m[1]) : undefined;
  if (id && !m?.[2] && method === 'GET') return { handler: () => handleQuery(ctx, ex, id), task: true };
  if (id && m?.[2] && method === 'POST') return { handler: () => handleCancel(ctx, ex, id), task: true };
  return undefined;
}

/** Auth → task-query accounting → injected faults → task-query limit → handler. */
async function apiRoute(ctx: EmulatorContext, ex: Exchange, method: string, path: string): Promise<void> {
  const auth = /^Bearer\s+(\S+)\s*$/i.exec(String(ex.req.headers.authorization ?? ''))?.[1];
  if (!auth) return sendError(ex, 401, 'InvalidApiKey', 'No API-key provided.');
  if (ctx.apiKey !== undefined ? auth !== ctx.apiKey : !auth.startsWith('sk-')) return sendError(ex, 401, 'InvalidApiKey', 'Invalid API-key provided.');
  const found = apiHandler(ctx, ex, method, path);
  if (!found) return sendError(ex, 404, 'InvalidURL', 'url error, please check url!');
  if (found.task) ctx.queryAttempts.add();
  const fault = ctx.faults.request();
  if (fault === 'throttle') {
    ctx.stats.throttled++;
    return sendError(ex, 429, RATE_QUOTA.code, RATE_QUOTA.message, RETRY_AFTER);
  }
  if (fault === 'server') {
    ctx.stats.server_errors++;
    return sendError(ex, 500, 'InternalError', 'An internal error has occured, please try again later.');
  }
  if (found.task && !ctx.queryWindow.tryAdd(ctx.queryRps)) {
    ctx.stats.throttled++;
    return sendError(ex, 429, RATE_QUOTA.code, RATE_QUOTA.message, RETRY_AFTER);
  }
  if (found.task) ctx.stats.queries++;
  await found.handler();
}

export type {
  EmulatedJob, EmulatedReference, Emulator, EmulatorImageRender, EmulatorOptions, EmulatorRender, EmulatorStats, ImageJob, RecordedCreate, RecordedRequest,
} from './types.js';
export type { FaultRates } from './faults.js';
