// Issue 13 point 9: a server that echoes the API key in any field (request_id, task_id, actual_prompt, usage,
// video_url, error bodies) never gets it into output, the report, the lock file, the journal, the cache or an
// error; and ffmpeg/ffprobe children get only the environment they need (no DASHSCOPE_API_KEY).
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockAgent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashscopeBackend } from '../src/backends/dashscope/dashscope-backend.js';
import { errorFromResponse } from '../src/backends/dashscope/dashscope-error.js';
import { formatDiagnostics } from '../src/diagnostics/format.js';
import { childEnvironment, runFfmpeg } from '../src/media/ffmpeg.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { renderStoryboard, type RenderStoryboardOutcome } from '../src/render/render-storyboard.js';

const KEY = 'sk-leak-0123456789abcdef';
const API = 'https://dashscope.test';
const CDN = 'https://cdn.test';
const STORYBOARD = `version: 1
scenes:
  - { id: a, model: wan2.7-t2v, resolution: 720P, duration: 2, prompt: A red fox runs. }
output:
  file: out/film.mp4
`;

let tools: FfmpegTools;
let video: Buffer;
const agents: MockAgent[] = [];

beforeAll(async () => {
  tools = await resolveFfmpeg();
  const dir = mkdtempSync(join(tmpdir(), 'sb-keyleak-media-'));
  await runFfmpeg(tools, ['-f', 'lavfi', '-i', 'color=c=orange:s=1280x720:r=30:d=2', '-f', 'lavfi', '-i', 'sine=d=2', '-shortest',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', join(dir, 'v.mp4')]);
  video = readFileSync(join(dir, 'v.mp4'));
});

afterAll(async () => {
  await Promise.all(agents.map((a) => a.close()));
});

/** A mock DashScope whose answers are scripted per test, and a render of a one-clip storyboard against it. */
async function renderAgainst(script: (api: ReturnType<MockAgent['get']>, cdn: ReturnType<MockAgent['get']>) => void): Promise<{ dir: string; outcome: RenderStoryboardOutcome }> {
  const agent = new MockAgent();
  agent.disableNetConnect();
  agents.push(agent);
  script(agent.get(API), agent.get(CDN));
  const dir = mkdtempSync(join(tmpdir(), 'sb-keyleak-'));
  writeFileSync(join(dir, 'film.yaml'), STORYBOARD);
  let now = 0;
  const backend = createDashscopeBackend({
    apiKey: KEY, baseUrl: `${API}/api/v1`, dispatcher: agent, retries: 0, timeoutSeconds: 5, pollSchedule: [1], random: () => 0,
    now: () => now, sleep: (ms) => new Promise<void>((r) => setImmediate(() => ((now += ms), r()))),
  });
  const outcome = await renderStoryboard(join(dir, 'film.yaml'), { backend, tools, approve: async () => true });
  return { dir, outcome };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((f) => statSync(f).isFile());
}

/** The key appears in no file written, in no outcome field, and in no printed diagnostic. */
function expectNoKey(dir: string, outcome: RenderStoryboardOutcome): void {
  for (const f of filesUnder(dir)) expect(readFileSync(f).includes(Buffer.from(KEY)), f).toBe(false);
  const sources = 'sources' in outcome ? outcome.sources : new Map<string, string>();
  expect(JSON.stringify(outcome, (_k, v: unknown) => (v instanceof Map ? [...v.entries()] : v))).not.toContain(KEY);
  const printed = formatDiagnostics([...outcome.diagnostics, ...('failures' in outcome ? outcome.failures : [])], { sources });
  expect(printed).not.toContain(KEY);
  expect(printed).not.toContain(KEY.slice(3)); // not even the key without its `sk-` prefix
}

const CREATE = '/api/v1/services/aigc/video-generation/video-synthesis';
const anyTask = (p: string): boolean => p.startsWith('/api/v1/tasks/');

describe('no server field carries the key anywhere', () => {
  it('a successful render: request_id, actual_prompt, orig_prompt, usage and video_url echo the key', async () => {
    const { dir, outcome } = await renderAgainst((api, cdn) => {
      api.intercept({ path: CREATE, method: 'POST' }).reply(200, { request_id: `rid-${KEY}`, output: { task_id: 'task-1', task_status: 'PENDING' } });
      api.intercept({ path: anyTask }).reply(200, {
        request_id: KEY,
        output: { task_id: 'task-1', task_status: 'SUCCEEDED', video_url: `${CDN}/v.mp4?Signature=s&key=${KEY}`, actual_prompt: `A red fox runs. ${KEY}`, orig_prompt: KEY },
        usage: { duration: 2, video_count: 1, [KEY]: KEY },
      });
      cdn.intercept({ path: (p) => p.startsWith('/v.mp4'), method: 'GET' }).reply(200, video, { headers: { 'content-type': 'video/mp4', 'content-length': String(video.length) } });
    });
    expect(outcome.status).toBe('rendered');
    expect(outcome.status === 'rendered' && outcome.failures.map((f) => f.message)).toEqual([]);
    expect(readFileSync(join(dir, 'film.lock.json'), 'utf8')).toContain('***');
    expectNoKey(dir, outcome);
  }, 60_000);

  it('a refused task: the error body\'s request_id (an HTTP 400, a 200 without a task id)', async () => {
    for (const reply of [
      [400, { code: 'InvalidParameter', message: 'bad input', request_id: `r-${KEY}` }],
      [200, { request_id: KEY, output: { task_status: 'PENDING' } }],
    ] as const) {
      const { dir, outcome } = await renderAgainst((api) => api.intercept({ path: CREATE, method: 'POST' }).reply(reply[0], reply[1]));
      expect(outcome.status === 'rendered' && outcome.failures.length).toBe(1);
      expectNoKey(dir, outcome);
    }
    // OSS answers in XML
    const xml = errorFromResponse(403, `<Error><Code>AccessDenied</Code><Message>no</Message><RequestId>${KEY}</RequestId></Error>`, undefined, [KEY]);
    expect(xml.describe()).not.toContain(KEY);
  });

  it('a task id carrying the key is journaled redacted (the task stays journaled when contact is lost)', async () => {
    const { dir, outcome } = await renderAgainst((api) => {
      api.intercept({ path: CREATE, method: 'POST' }).reply(200, { request_id: 'r', output: { task_id: `t-${KEY}`, task_status: 'PENDING' } });
      api.intercept({ path: anyTask }).reply(503, { code: 'ServiceUnavailable', message: `down ${KEY}`, request_id: KEY }).persist();
    });
    expect(outcome.status === 'rendered' && outcome.failures.length).toBe(1);
    const journal = filesUnder(join(dir, '.storyboard', 'journal')).map((f) => readFileSync(f, 'utf8'));
    expect(journal.some((text) => text.includes('t-***')), journal.join('\n')).toBe(true);
    expectNoKey(dir, outcome);
  });
});

describe('ffmpeg and ffprobe children get only the environment they need', () => {
  it('keeps PATH, HOME, locale, temp and fontconfig settings, drops the key and everything else', () => {
    const env = childEnvironment({
      PATH: '/usr/bin', HOME: '/home/u', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', TMPDIR: '/tmp/x', FONTCONFIG_FILE: '/etc/fonts/fonts.conf',
      XDG_CACHE_HOME: '/home/u/.cache', http_proxy: 'http://proxy:3128',
      DASHSCOPE_API_KEY: KEY, AWS_SECRET_ACCESS_KEY: 'x', GITHUB_TOKEN: 'y', NODE_OPTIONS: '--require evil.js', LD_PRELOAD: '/tmp/evil.so',
    });
    expect(env).toEqual({
      PATH: '/usr/bin', HOME: '/home/u', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', TMPDIR: '/tmp/x', FONTCONFIG_FILE: '/etc/fonts/fonts.conf',
      XDG_CACHE_HOME: '/home/u/.cache', http_proxy: 'http://proxy:3128',
    });
  });

  it('a real ffmpeg child sees no DASHSCOPE_API_KEY', async () => {
    const saved = process.env.DASHSCOPE_API_KEY;
    process.env.DASHSCOPE_API_KEY = KEY;
    try {
      // ffmpeg expands environment variables nowhere, so ask the kernel: a child of ffmpeg is not needed,
      // its own /proc/<pid>/environ is read while it runs (Linux), else the environment it would be given
      let environ = '';
      await runFfmpeg(tools, ['-f', 'lavfi', '-i', 'anullsrc=d=0.5', '-f', 'null', '-'], {
        onSpawn: (pid) => { try { environ = readFileSync(`/proc/${pid}/environ`, 'latin1'); } catch { environ = Object.entries(childEnvironment(process.env)).map(([k, v]) => `${k}=${v}`).join('\0'); } },
      });
      expect(environ).toContain('PATH=');
      expect(environ).not.toContain('DASHSCOPE_API_KEY');
      expect(environ).not.toContain(KEY);
    } finally {
      if (saved === undefined) delete process.env.DASHSCOPE_API_KEY;
      else process.env.DASHSCOPE_API_KEY = saved;
    }
  });
});
