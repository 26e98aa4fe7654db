// Issue 13 point 10: the emulator's request log (`GET /_emulator/headers`, `requests()`) never holds a key —
// the Authorization value, a key echoed in another header or the URL, the configured key — and it is bounded
// in entries and bytes, weighed by what it really keeps, so large headers cannot grow its memory without end.
import { Agent, request } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { BoundedLog } from '../src/backends/emulator/bounded-log.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../src/backends/emulator/emulator-server.js';

const REAL = 'sk-real-0123456789abcdefXYZ';
const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  const em = await startEmulator({ render: async () => undefined, queryRps: 1e9, ...options });
  running.push(em);
  return em;
}

/** Sends `count` GETs over `sockets` keep-alive connections and reads each answer. */
async function send(em: Emulator, count: number, path: (i: number) => string, headers: Record<string, string>, sockets = 16): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  let next = 0;
  const one = (p: string): Promise<void> => new Promise((resolve, reject) => {
    const req = request(`${em.url}${p}`, { agent, headers }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end();
  });
  await Promise.all(Array.from({ length: sockets }, async () => {
    while (next < count) await one(path(next++));
  }));
  agent.destroy();
}

async function headersRoute(em: Emulator): Promise<string> {
  return (await fetch(`${em.url}/_emulator/headers`)).text();
}

describe('the emulator logs no secret', () => {
  it('redacts the Authorization value and a key echoed in other headers or the URL, without --api-key', async () => {
    const em = await start();
    await send(em, 1, () => `/api/v1/tasks/none?leak=${REAL}`, { authorization: `Bearer ${REAL}`, 'x-echo': `key ${REAL}`, cookie: 'session=abc123' });
    await send(em, 1, () => '/files/x', { 'x-oss-leak': REAL });
    const served = await headersRoute(em);
    const kept = JSON.stringify(em.requests());
    for (const text of [served, kept]) {
      expect(text).not.toContain(REAL);
      expect(text).not.toContain(REAL.slice(3));
      expect(text).not.toContain('abc123');
    }
    const [api, file] = em.requests();
    expect(api?.headers.authorization).toBe('Bearer ***');
    expect(api?.url).toBe('/api/v1/tasks/none?leak=***');
    // where a secret was found, so a test can still tell which requests carried the key
    expect(api?.redacted).toEqual(['url', 'authorization', 'x-echo', 'cookie']);
    expect(file?.redacted).toEqual(['x-oss-leak']);
  });

  it('redacts the configured key, whatever it looks like', async () => {
    const em = await start({ apiKey: 'emu-key-1234567' });
    await send(em, 1, () => '/api/v1/tasks/none', { authorization: 'Bearer emu-key-1234567', 'x-echo': 'emu-key-1234567' });
    expect(JSON.stringify(em.requests())).not.toContain('emu-key-1234567');
    expect(await headersRoute(em)).not.toContain('emu-key-1234567');
  });
});

describe('the emulator log is bounded', () => {
  it('keeps the newest entries within its count and byte limits, weighing what it keeps', () => {
    const log = new BoundedLog<string>(3, 100);
    for (const s of ['a', 'b', 'c', 'd']) log.push(s, 10);
    expect(log.list()).toEqual(['b', 'c', 'd']);
    log.push('big', 90);
    expect(log.list()).toEqual(['d', 'big']);
    log.push('huge', 500); // a single entry over the budget is still kept, alone
    expect(log.list()).toEqual(['huge']);
    expect(log.bytes()).toBe(500);
  });

  it('truncates large header values and holds at most its byte budget', async () => {
    const em = await start({ logLimits: { requests: 50, bytes: 64 * 1024 } });
    const pad = 'x'.repeat(15 * 1024);
    await send(em, 200, (i) => `/api/v1/tasks/t${i}`, { authorization: `Bearer ${REAL}`, 'x-pad': pad });
    const kept = em.requests();
    expect(kept.length).toBeLessThanOrEqual(50);
    expect(kept.length).toBeGreaterThan(10);
    expect(kept.at(-1)?.url).toBe('/api/v1/tasks/t199');
    expect(String(kept[0]?.headers['x-pad']).length).toBeLessThan(400);
    expect(String(kept[0]?.headers['x-pad'])).toMatch(/…\(15360 bytes\)$/);
    expect((await headersRoute(em)).length).toBeLessThan(80 * 1024);
  });

  it('does not grow its memory with many large-header requests', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heap = (): number => {
      gc();
      gc();
      return process.memoryUsage().heapUsed;
    };
    const em = await start();
    const pad = 'y'.repeat(15 * 1024);
    await send(em, 200, (i) => `/api/v1/tasks/w${i}`, { authorization: `Bearer ${REAL}`, 'x-pad': pad });
    const before = heap();
    // 3,000 requests carry 45 MB of headers: an unbounded or badly weighed log keeps them all
    await send(em, 3000, (i) => `/api/v1/tasks/m${i}`, { authorization: `Bearer ${REAL}`, 'x-pad': pad });
    const grown = heap() - before;
    expect(em.requests().length).toBeGreaterThan(1000);
    expect(grown).toBeLessThan(12 * 1024 * 1024);
  }, 60_000);
});
