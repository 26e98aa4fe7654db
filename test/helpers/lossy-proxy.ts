// A loopback HTTP proxy in front of the DashScope emulator that loses answers on purpose: it can forward a
// create and then answer 504 or reset the socket (the service did the work, the client never hears of it),
// reset before forwarding (nothing reaches the service), or go down altogether.
import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createRng } from '../../src/backends/emulator/faults.js';

/** Which API call a request is. */
export type ProxiedKind = 'create' | 'query' | 'list' | 'other';

/**
 * What the proxy does with one request:
 * - `pass`: forwards it and relays the answer;
 * - `answer-504`: forwards it (the service acts), throws the answer away and answers 504 Gateway Time-out;
 * - `reset-after`: forwards it (the service acts), throws the answer away and resets the connection;
 * - `reset-before`: resets the connection without forwarding (the service never sees it).
 */
export type LossyAction = 'pass' | 'answer-504' | 'reset-after' | 'reset-before';

/** One request as the proxy's decision function sees it; `n` counts requests of its kind (1-based). */
export interface ProxiedRequest {
  readonly kind: ProxiedKind;
  readonly method: string;
  readonly path: string;
  readonly n: number;
}

/** Decides the fate of each request. */
export type LossyDecide = (request: ProxiedRequest) => LossyAction;

/** A running proxy. */
export interface LossyProxy {
  /** `http://127.0.0.1:PORT/api/v1`: the base URL a client uses instead of the emulator's. */
  readonly baseUrl: string;
  /** How the proxy treats requests from now on (default: all pass). */
  decide: LossyDecide;
  /** How many requests of each kind met each action. */
  readonly counts: Record<ProxiedKind, Record<LossyAction, number>>;
  close(): Promise<void>;
}

const KINDS: readonly ProxiedKind[] = ['create', 'query', 'list', 'other'];
const ACTIONS: readonly LossyAction[] = ['pass', 'answer-504', 'reset-after', 'reset-before'];

function kindOf(method: string, path: string): ProxiedKind {
  if (method === 'POST' && /\/video-synthesis$/.test(path)) return 'create';
  if (method === 'GET' && /\/api\/v1\/tasks\/?$/.test(path)) return 'list';
  if (method === 'GET' && /\/api\/v1\/tasks\/[^/]+$/.test(path)) return 'query';
  return 'other';
}

/** Starts a proxy on 127.0.0.1 in front of `target` (an origin such as the emulator's `url`). */
export async function startLossyProxy(target: string, decide: LossyDecide = () => 'pass'): Promise<LossyProxy> {
  const upstream = new URL(target);
  const counts = Object.fromEntries(KINDS.map((k) => [k, Object.fromEntries(ACTIONS.map((a) => [a, 0]))])) as LossyProxy['counts'];
  const seen = new Map<ProxiedKind, number>();
  const sockets = new Set<Socket>();
  const server = createServer();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  const proxy: LossyProxy = {
    baseUrl: '', decide, counts,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://proxy').pathname;
    const kind = kindOf(req.method ?? 'GET', path);
    const n = (seen.get(kind) ?? 0) + 1;
    seen.set(kind, n);
    const action = proxy.decide({ kind, method: req.method ?? 'GET', path, n });
    counts[kind][action]++;
    if (action === 'reset-before') {
      req.resume();
      req.socket.destroy();
      return;
    }
    relay(upstream, req, res, action);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(proxy, { baseUrl: `http://127.0.0.1:${port}/api/v1` });
}

/** Forwards the request; relays the answer, or loses it after the service has acted. */
function relay(upstream: URL, req: IncomingMessage, res: ServerResponse, action: Exclude<LossyAction, 'reset-before'>): void {
  const out = forward({
    host: upstream.hostname, port: upstream.port, method: req.method, path: req.url,
    headers: { ...req.headers, host: upstream.host, connection: 'close' },
  }, (answer) => {
    if (action === 'pass') {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      return;
    }
    // the service has answered, so it has done the work: read the answer to its end, then lose it
    answer.resume();
    answer.once('end', () => {
      if (action === 'reset-after') return void req.socket.destroy();
      const page = '<html><head><title>504 Gateway Time-out</title></head><body><center><h1>504 Gateway Time-out</h1></center></body></html>';
      res.writeHead(504, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(page) });
      res.end(page);
    });
  });
  out.on('error', () => req.socket.destroy());
  req.pipe(out);
}

/** Per kind of request, the probability of each lossy action (the rest pass). */
export type LossRates = Partial<Record<ProxiedKind, Partial<Record<Exclude<LossyAction, 'pass'>, number>>>>;

/** A seeded decision function that loses requests at the given rates, so a seed reproduces a run's losses. */
export function randomLoss(rates: LossRates, seed: number): LossyDecide {
  const rng = createRng(seed);
  return ({ kind }) => {
    const u = rng();
    let edge = 0;
    for (const [action, p] of Object.entries(rates[kind] ?? {}) as [LossyAction, number][]) {
      edge += p;
      if (u < edge) return action;
    }
    return 'pass';
  };
}
