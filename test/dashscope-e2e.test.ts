import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewRender } from '../src/backends/emulator/preview-render.js';
import { startEmulator, type Emulator } from '../src/backends/emulator/emulator-server.js';
import type { Plan } from '../src/compiler/plan/types.js';
import type { LockFile } from '../src/runner/lock-file.js';
import { probeMedia } from '../src/media/ffmpeg.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { lastFrame, ssim } from './helpers/media.js';
import { runCli } from './helpers/run-cli.js';

const KEY = 'sk-test-9f8e7d6c5b4a-SECRET';
let tools: FfmpegTools;
let emulator: Emulator;

beforeAll(async () => {
  tools = await resolveFfmpeg();
  emulator = await startEmulator({ apiKey: KEY, latency: 0.3, render: previewRender(tools), ffmpeg: tools });
});
afterAll(async () => {
  await emulator.close();
});

const dashscope = (file: string, base: string, ...extra: string[]): string[] => ['render', '--backend', 'dashscope', '--api-key', KEY, '--base-url', base, '--yes', ...extra, file];

/** Every file under a directory, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('the render suite through --backend dashscope against the emulator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-ds-'));
  cpSync('storyboards/lighthouse.yaml', join(dir, 'lighthouse.yaml'));
  cpSync('storyboards/keyframes', join(dir, 'keyframes'), { recursive: true });
  const file = join(dir, 'lighthouse.yaml');
  let output = '';

  it('renders the film with correct clips and continuity, paying once per clip', async () => {
    const plan = JSON.parse((await runCli(['compile', file])).stdout) as Plan;
    const r = await runCli(dashscope(file, emulator.baseUrl));
    output = r.stdout + r.stderr;
    expect(r.code, r.stderr).toBe(0);
    const lock = JSON.parse(readFileSync(join(dir, 'lighthouse.lock.json'), 'utf8')) as LockFile;
    const clip = (id: string): string => join(dir, '.storyboard', 'cache', 'clips', `${lock.clips[id]?.key}.mp4`);
    for (const job of plan.jobs) {
      expect(lock.clips[job.id]?.taskId).toMatch(/^[0-9a-f-]{36}$/);
      const v = (await probeMedia(tools, clip(job.id))).streams.find((s) => s.codecType === 'video');
      expect([v?.width, v?.height, v?.nbFrames]).toEqual([job.expected.width, job.expected.height, job.expected.duration * 30]);
      for (const up of job.dependsOn) expect(await ssim(tools, await lastFrame(tools, clip(up), dir, up), clip(job.id))).toBeGreaterThanOrEqual(0.98);
    }
    const film = (await probeMedia(tools, join(dir, plan.stitch.output))).streams.find((s) => s.codecType === 'video');
    expect(Math.abs((film?.duration ?? 0) - plan.stitch.duration)).toBeLessThanOrEqual(1 / 30 + 1e-6);
    const stats = emulator.stats();
    expect(stats.submitted_tasks).toBe(plan.jobs.length);
    expect(stats.billed_seconds).toBe(plan.totals.seconds);
    // local keyframes and extracted last frames went up as temporary uploads
    expect(stats.uploads).toBeGreaterThanOrEqual(5);
    // a second run pays nothing
    const again = await runCli(dashscope(file, emulator.baseUrl));
    expect(again.code).toBe(0);
    expect(emulator.stats().submitted_tasks).toBe(plan.jobs.length);
  }, 300_000);

  it('the key appears in no file the tool wrote, in no output, and only in API Authorization headers', () => {
    for (const f of filesUnder(dir)) {
      if (statSync(f).size > 50_000_000) continue;
      expect(readFileSync(f).includes(Buffer.from(KEY)), f).toBe(false);
    }
    expect(output).not.toContain(KEY);
    // the emulator logs requests redacted, naming where it found the key (its own, configured here)
    for (const req of emulator.requests()) {
      expect(JSON.stringify(req)).not.toContain(KEY);
      const carries = req.redacted.length > 0;
      if (carries) expect(req.redacted).toEqual(['authorization']);
      if (carries) expect(req.url.startsWith('/api/v1/')).toBe(true);
      if (req.url.startsWith('/oss/') || req.url.startsWith('/files/')) expect(carries).toBe(false);
    }
  });
});

const SMALL = (extra = ''): string => `version: 1
title: Faults
defaults: { model: wan2.2-t2v-plus, size: "832*480" }
scenes:
${Array.from({ length: 5 }, (_, i) => `  - { id: s${i}, prompt: Scene number ${i}. }`).join('\n')}
  - { id: chained, model: wan2.2-i2v-flash, resolution: 480P, continues: s0, prompt: It goes on. }
${extra}`;

describe('faults, moderation and kill -9 through the emulator', () => {
  it('under throttle=0.3,server=0.1,task=0.05,truncate=0.05 the film is correct and billed seconds equal the clip durations', async () => {
    const faulty = await startEmulator({ latency: 0.2, faults: 'throttle=0.3,server=0.1,task=0.05,truncate=0.05', seed: 7, render: previewRender(tools), ffmpeg: tools });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'sb-faults-'));
      writeFileSync(join(dir, 'film.yaml'), SMALL());
      const r = await runCli(dashscope(join(dir, 'film.yaml'), faulty.baseUrl));
      expect(r.code, r.stderr).toBe(0);
      const stats = faulty.stats();
      expect(stats.throttled + stats.server_errors).toBeGreaterThan(0);
      expect(stats.billed_seconds).toBe(30);
      const film = (await probeMedia(tools, join(dir, 'out', 'film.mp4'))).streams.find((s) => s.codecType === 'video');
      expect(Math.abs((film?.duration ?? 0) - (30 - 1 / 30))).toBeLessThanOrEqual(1 / 30 + 1e-6);
    } finally {
      await faulty.close();
    }
  }, 240_000);

  it('a clip failing moderation fails with its YAML position; the others finish and are kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-mod-'));
    const text = SMALL('  - { id: banned, prompt: "[[moderation]] something the filter rejects" }\n');
    writeFileSync(join(dir, 'film.yaml'), text);
    const r = await runCli(dashscope(join(dir, 'film.yaml'), emulator.baseUrl, '--json'));
    expect(r.code).toBe(1);
    const line = text.split('\n').findIndex((l) => l.includes('id: banned')) + 1;
    expect(r.stderr).toMatch(new RegExp(`film\\.yaml:${line}:\\d+: error render-failed: clip \`banned\`: .*DataInspectionFailed`));
    const lock = JSON.parse(readFileSync(join(dir, 'film.lock.json'), 'utf8')) as LockFile;
    expect(Object.keys(lock.clips).sort()).toEqual(['chained', 's0', 's1', 's2', 's3', 's4']);
  }, 240_000);

  it('kill -9 mid-render, then resume: no task is submitted twice', async () => {
    const slow = await startEmulator({ latency: 2, render: previewRender(tools), ffmpeg: tools });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'sb-kill-ds-'));
      const sb = join(dir, 'film.yaml');
      writeFileSync(sb, SMALL());
      const args = ['--import', 'tsx', 'test/helpers/cli-entry.ts', ...dashscope(sb, slow.baseUrl)];
      const child = spawn(process.execPath, args, { stdio: 'ignore' });
      // kill as soon as the service has accepted two tasks, with other creations possibly in flight: a clip is
      // journaled as maybe-submitted before its create is sent, and the next run finds its task in the task list
      for (let i = 0; i < 400 && slow.stats().submitted_tasks < 2; i++) await new Promise((r) => setTimeout(r, 25));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const before = slow.stats().submitted_tasks;
      expect(before).toBeGreaterThanOrEqual(2);
      // not spawnSync: the emulator lives in this process and must keep answering
      const resumed = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      resumed.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const status = await new Promise<number | null>((r) => resumed.once('exit', r));
      expect(status, stderr).toBe(0);
      expect(slow.stats().submitted_tasks).toBe(6);
      expect(slow.stats().billed_seconds).toBe(30);
    } finally {
      await slow.close();
    }
  }, 240_000);
});

describe('spending and the emulator command', () => {
  it('without a terminal and without --yes, a paid render refuses before submitting anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-yes-'));
    writeFileSync(join(dir, 'film.yaml'), SMALL());
    const before = emulator.stats().submitted_tasks;
    const r = await runCli(['render', '--backend', 'dashscope', '--api-key', KEY, '--base-url', emulator.baseUrl, join(dir, 'film.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/submits 6 clips \(30 s of video\) to dashscope, estimated \$\d+\.\d\d/);
    expect(r.stderr).toContain('pass --yes');
    expect(emulator.stats().submitted_tasks).toBe(before);
  });

  it('`storyboard emulator` serves the protocol on 127.0.0.1', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/cli-entry.ts', 'emulator', '--port', '0', '--latency', '0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      for (let i = 0; i < 200 && !/listening on (\S+)/.test(out); i++) await new Promise((r) => setTimeout(r, 50));
      const base = /listening on (\S+)/.exec(out)?.[1] ?? '';
      expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
      const res = await fetch(`${base}/tasks/nope`, { headers: { authorization: 'Bearer sk-x' } });
      expect(((await res.json()) as { output: { task_status: string } }).output.task_status).toBe('UNKNOWN');
      const noKey = await fetch(`${base}/tasks/nope`);
      expect(noKey.status).toBe(401);
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
