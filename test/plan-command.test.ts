import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewRender } from '../src/backends/emulator/preview-render.js';
import { startEmulator } from '../src/backends/emulator/emulator-server.js';
import { planCommand, type PlanOptions, type PlanReport } from '../src/cli/commands/plan.js';
import { DASHSCOPE_TIMING } from '../src/backends/dashscope/dashscope-backend.js';
import { checkBudget, estimateWallSeconds } from '../src/runner/budget.js';
import { selectJobs } from '../src/runner/clip-states.js';
import type { Output } from '../src/cli/output.js';
import type { LockFile } from '../src/runner/lock-file.js';
import { resolveFfmpeg } from '../src/media/ffmpeg-binaries.js';
import { planOf } from './helpers/run-fixture.js';
import { runCli } from './helpers/run-cli.js';

// `storyboard plan` is called directly until main.ts registers it; rendering goes through the CLI.
async function plan(file: string, options: PlanOptions = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out: Output = { out: (t) => void (stdout += t.endsWith('\n') ? t : t + '\n'), err: (t) => void (stderr += t.endsWith('\n') ? t : t + '\n'), isTTY: false };
  const code = await planCommand(file, out, options);
  return { code, stdout, stderr };
}
async function planJson(file: string, options: PlanOptions = {}): Promise<PlanReport & { code: number; stderr: string }> {
  const r = await plan(file, { ...options, json: true });
  return { ...(JSON.parse(r.stdout) as PlanReport), code: r.code, stderr: r.stderr };
}
/** Each clip as `id: reuse:<from>` or `id: <reasons>`. */
const actions = (r: PlanReport): Record<string, string> =>
  Object.fromEntries(r.clips.map((c) => [c.clip, c.action === 'reuse' ? `reuse:${c.from}` : c.reasons.join(', ')]));

const TEXT = `version: 1
title: Plan
scenes:
  - { id: one, model: wan2.2-t2v-plus, size: "832*480", prompt: A red door. }
  - { id: two, model: wan2.2-i2v-flash, resolution: 480P, continues: one, prompt: The door opens. }
  - { id: three, model: wan2.2-i2v-flash, resolution: 480P, continues: two, prompt: A garden behind it. }
  - { id: other, model: wan2.2-t2v-plus, size: "832*480", prompt: A quiet street. }
`;

describe('storyboard plan after a render', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-plan-'));
  const file = join(dir, 'film.yaml');
  const clipsDir = join(dir, '.storyboard', 'cache', 'clips');
  const lockFile = join(dir, 'film.lock.json');

  beforeAll(async () => {
    writeFileSync(file, TEXT);
    const r = await runCli(['render', file]);
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);

  it('reuses every clip of the rendered storyboard, with the keys the lock records', async () => {
    writeFileSync(file, TEXT);
    const r = await planJson(file);
    expect(r.code).toBe(0);
    expect(actions(r)).toEqual({ one: 'reuse:lock', two: 'reuse:lock', three: 'reuse:lock', other: 'reuse:lock' });
    const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as LockFile;
    expect(Object.fromEntries(r.clips.map((c) => [c.clip, c.key]))).toEqual(Object.fromEntries(Object.entries(lock.clips).map(([id, c]) => [id, c.key])));
    expect(r.render).toEqual({ clips: 0, seconds: 0, stills: 0, stillsUsd: 0, usd: 0, byModel: [] });
    expect(r.reuse).toEqual({ clips: 4, seconds: 20, stills: 0, stillsUsd: 0, usd: 0.35 });
    expect(r.wallTime.seconds).toBe(0);
  });

  it('a leaf prompt edit renders only that clip, priced per model and resolution', async () => {
    writeFileSync(file, TEXT.replace('A garden behind it.', 'A wild garden behind it.'));
    const r = await planJson(file);
    expect(r.code).toBe(0);
    expect(actions(r)).toEqual({ one: 'reuse:lock', two: 'reuse:lock', three: 'prompt changed', other: 'reuse:lock' });
    expect(r.clips.find((c) => c.clip === 'three')?.key).toMatch(/^[0-9a-f]{32}$/);
    expect(r.render).toEqual({ clips: 1, seconds: 5, stills: 0, stillsUsd: 0, usd: 0.075, byModel: [{ model: 'wan2.2-i2v-flash', resolution: '480P', clips: 1, seconds: 5, usd: 0.075 }] });
    expect(r.wallTime.seconds).toBeGreaterThan(0);
  });

  it('an upstream edit re-renders the chain after it and nothing else', async () => {
    writeFileSync(file, TEXT.replace('A red door.', 'A blue door.'));
    const r = await planJson(file);
    expect(actions(r)).toEqual({ one: 'prompt changed', two: 'upstream clip changed', three: 'upstream clip changed', other: 'reuse:lock' });
    expect(r.render.byModel).toEqual([
      { model: 'wan2.2-t2v-plus', resolution: '480P', clips: 1, seconds: 5, usd: 0.1 },
      { model: 'wan2.2-i2v-flash', resolution: '480P', clips: 2, seconds: 10, usd: 0.15 },
    ]);
    expect(r.render).toMatchObject({ clips: 3, seconds: 15, usd: 0.25 });
  });

  it('a seed, a size and a new clip', async () => {
    writeFileSync(file, TEXT.replace('continues: one,', 'continues: one, seed: 42,').replace('size: "832*480", prompt: A quiet', 'size: "1920*1080", prompt: A quiet')
      + '  - { id: four, model: wan2.2-t2v-plus, size: "832*480", prompt: Night falls. }\n');
    const r = await planJson(file);
    expect(actions(r)).toEqual({ one: 'reuse:lock', two: 'seed changed', three: 'upstream clip changed', other: 'settings changed', four: 'new clip' });
    expect(r.render.byModel).toEqual([
      { model: 'wan2.2-i2v-flash', resolution: '480P', clips: 2, seconds: 10, usd: 0.15 },
      { model: 'wan2.2-t2v-plus', resolution: '1080P', clips: 1, seconds: 5, usd: 0.5 },
      { model: 'wan2.2-t2v-plus', resolution: '480P', clips: 1, seconds: 5, usd: 0.1 },
    ]);
    expect(r.render.usd).toBe(0.75);
  });

  it('prints a readable table', async () => {
    writeFileSync(file, TEXT.replace('A red door.', 'A blue door.'));
    const r = await plan(file, { budget: 5 });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[2]).toMatch(/^CLIP\s+MODEL\s+RES\s+VIDEO\s+COST\s+ACTION$/);
    expect(lines[3]).toMatch(/^one\s+wan2\.2-t2v-plus\s+480P\s+5 s\s+\$0\.10\s+render: prompt changed$/);
    expect(lines[6]).toMatch(/^other\s+wan2\.2-t2v-plus\s+480P\s+5 s\s+\$0\.10\s+reuse \(cached, as locked\)$/);
    expect(r.stdout).toContain('To render: 3 of 4 clips, 15 s of video, estimated $0.25');
    expect(r.stdout).toMatch(/\n {2}total\s+3 clips\s+15 s\s+\$0\.25\n/);
    expect(r.stdout).toMatch(/Estimated wall time: \d+ s \(assumes /);
    expect(r.stdout).toContain('Budget: $5.00 (--budget): within budget');
  });

  it('the dashscope backend has other keys: everything renders, at the same prices, without an API key', async () => {
    writeFileSync(file, TEXT);
    const r = await planJson(file, { backend: 'dashscope' });
    expect(r.code).toBe(0);
    expect(actions(r)).toEqual({ one: 'backend changed', two: 'upstream clip changed, backend changed', three: 'upstream clip changed, backend changed', other: 'backend changed' });
    expect(r.render.usd).toBe(0.35);
    // one → two → three is a chain of three tasks of 5 s: 3 × (90 + 30) s
    expect(r.wallTime.seconds).toBe(360);
  });

  it('with the preview\'s simulated drift on, looks for drifted clips (other keys), as render would make them', async () => {
    writeFileSync(file, TEXT);
    const before = process.env.STORYBOARD_PREVIEW_DRIFT;
    process.env.STORYBOARD_PREVIEW_DRIFT = 'cast=6,-2,-5;gain=1.04;blur=0.6';
    try {
      const r = await planJson(file);
      // the render above was undrifted: nothing of it is reused, and no key is the undrifted one
      expect(r.clips.map((c) => c.action)).toEqual(['render', 'render', 'render', 'render']);
      delete process.env.STORYBOARD_PREVIEW_DRIFT;
      const plain = await planJson(file);
      expect(plain.clips.map((c) => c.action)).toEqual(['reuse', 'reuse', 'reuse', 'reuse']);
      expect(r.clips.filter((c) => 'key' in c && plain.clips.some((p) => 'key' in p && p.key === c.key))).toEqual([]);
      process.env.STORYBOARD_PREVIEW_DRIFT = 'cast=nonsense';
      expect((await plan(file)).code).toBe(2);
    } finally {
      if (before === undefined) delete process.env.STORYBOARD_PREVIEW_DRIFT;
      else process.env.STORYBOARD_PREVIEW_DRIFT = before;
    }
  });

  it('over budget (--budget or the storyboard\'s budget:) exits 1 and renders nothing', async () => {
    writeFileSync(file, TEXT.replace('A red door.', 'A blue door.'));
    const before = readdirSync(clipsDir).sort();
    const lock = readFileSync(lockFile, 'utf8');
    const r = await plan(file, { budget: 0.01 });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('over budget: the 3 clips to render (15 s of video) are estimated at $0.25, more than the budget of $0.01');
    expect(r.stdout).toContain('Budget: $0.01 (--budget): EXCEEDED by $0.24');
    writeFileSync(file, TEXT.replace('A red door.', 'A blue door.').replace('title: Plan', 'title: Plan\nbudget: 0.2'));
    const j = await planJson(file);
    expect(j.code).toBe(1);
    expect(j.budget).toEqual({ usd: 0.2, source: 'storyboard', exceeded: true });
    expect((await planJson(file, { budget: 1 })).code).toBe(0);
    expect(readdirSync(clipsDir).sort()).toEqual(before);
    expect(readFileSync(lockFile, 'utf8')).toBe(lock);
  });

  it('a cached clip that vanished is not in cache; the render then makes exactly what plan predicted', async () => {
    writeFileSync(file, TEXT.replace('A garden behind it.', 'A wild garden behind it.'));
    const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as LockFile;
    rmSync(join(clipsDir, `${lock.clips.other?.key}.mp4`));
    const predicted = await planJson(file);
    expect(actions(predicted)).toEqual({ one: 'reuse:lock', two: 'reuse:lock', three: 'prompt changed', other: 'not in cache' });
    const r = await runCli(['render', '--json', file]);
    expect(r.code, r.stderr).toBe(0);
    const rendered = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; clip?: string; key?: string }).filter((e) => e.type === 'rendered');
    expect(rendered.map((e) => e.clip).sort()).toEqual(['other', 'three']);
    expect(Object.fromEntries(rendered.map((e) => [e.clip, e.key]))).toEqual(Object.fromEntries(predicted.clips.filter((c) => c.action === 'render').map((c) => [c.clip, c.key])));
    expect(actions(await planJson(file))).toEqual({ one: 'reuse:lock', two: 'reuse:lock', three: 'reuse:lock', other: 'reuse:lock' });
  }, 120_000);

  it('an invalid storyboard exits like compile: 1 invalid, 2 missing', async () => {
    writeFileSync(file, TEXT.replace('continues: one', 'continues: nowhere'));
    expect((await plan(file)).code).toBe(1);
    expect((await plan(join(dir, 'missing.yaml'))).code).toBe(2);
  });
});

describe('budget and wall-time estimates', () => {
  const p = planOf(TEXT);

  it('checkBudget refuses only above the budget; selectJobs takes --only scenes with what they continue from', () => {
    expect(selectJobs(p, new Set(['three']))).toEqual(['one', 'two', 'three']);
    expect(selectJobs(p, undefined)).toEqual(p.jobs.map((j) => j.id));
    const todo = ['two', 'three', 'other'];
    expect(checkBudget(p, todo, undefined)).toBeUndefined();
    expect(checkBudget(p, todo, 0.25)).toBeUndefined();
    expect(checkBudget(p, todo, 0.2)).toBe('storyboard: over budget: the 3 clips to render (15 s of video) are estimated at $0.25, more than the budget of $0.20; '
      + 'raise `budget:` in the storyboard, pass a larger --budget, or render fewer clips (--only)');
  });

  it('the schedule follows dependency chains, per-model concurrency and submissions per second', () => {
    const all = p.jobs.map((j) => j.id);
    // chain one → two → three of 5 s tasks (90 + 30 s each); `other` runs beside it
    expect(estimateWallSeconds(p, all, DASHSCOPE_TIMING)).toBe(360);
    expect(estimateWallSeconds(p, ['three'], DASHSCOPE_TIMING)).toBe(120);
    expect(estimateWallSeconds(p, [], DASHSCOPE_TIMING)).toBe(0);
    const wide = planOf(`version: 1\nscenes:\n${[1, 2, 3, 4, 5].map((i) => `  - { id: s${i}, model: wan2.2-t2v-plus, prompt: P${i}. }`).join('\n')}\n`);
    const ids = wide.jobs.map((j) => j.id);
    const timing = { ...DASHSCOPE_TIMING, latency: () => 10 };
    // two at a time: three waves
    expect(estimateWallSeconds(wide, ids, timing)).toBe(30);
    // ten at a time but two submissions per second: the last starts at 2 s
    expect(estimateWallSeconds(wide, ids, { ...timing, concurrency: () => 10 })).toBe(12);
  });
});

describe('storyboard plan --backend dashscope', () => {
  const KEY = 'sk-test-plan';
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  beforeAll(async () => {
    const tools = await resolveFfmpeg();
    emulator = await startEmulator({ apiKey: KEY, latency: 0.2, render: previewRender(tools), ffmpeg: tools });
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('predicts the keys of a DashScope render: after it, everything is reused as locked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-plan-ds-'));
    const file = join(dir, 'film.yaml');
    writeFileSync(file, TEXT);
    const before = await planJson(file, { backend: 'dashscope' });
    expect(actions(before)).toEqual({ one: 'new clip', two: 'new clip', three: 'new clip', other: 'new clip' });
    const r = await runCli(['render', '--backend', 'dashscope', '--api-key', KEY, '--base-url', emulator.baseUrl, '--yes', file]);
    expect(r.code, r.stderr).toBe(0);
    const after = await planJson(file, { backend: 'dashscope' });
    expect(actions(after)).toEqual({ one: 'reuse:lock', two: 'reuse:lock', three: 'reuse:lock', other: 'reuse:lock' });
    // keys of clips without upstream clips are known before rendering, and are what the render used
    const keys = (p: PlanReport): (string | undefined)[] => p.clips.map((c) => c.key);
    expect(keys(before)).toEqual([keys(after)[0], undefined, undefined, keys(after)[3]]);
  }, 120_000);
});
