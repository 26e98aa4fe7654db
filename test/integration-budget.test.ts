import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewRender } from '../src/backends/emulator/preview-render.js';
import { startEmulator, type Emulator } from '../src/backends/emulator/emulator-server.js';
import type { PlanReport } from '../src/cli/commands/plan.js';
import { resolveFfmpeg } from '../src/media/ffmpeg-binaries.js';
import { runCli } from './helpers/run-cli.js';

const KEY = 'sk-test-budget';
let emulator: Emulator;
beforeAll(async () => {
  const tools = await resolveFfmpeg();
  emulator = await startEmulator({ apiKey: KEY, latency: 0.2, render: previewRender(tools), ffmpeg: tools });
});
afterAll(async () => {
  await emulator.close();
});

const TEXT = `version: 1
title: Budget
scenes:
  - { id: one, model: wan2.2-t2v-plus, size: "832*480", prompt: A red door. }
  - { id: two, model: wan2.2-i2v-flash, resolution: 480P, continues: one, prompt: The door opens. }
`;

describe('budget on render (dashscope backend)', () => {
  it('refuses before submitting when over --budget or budget:, renders within it; plan and diff via the CLI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-budget-'));
    const file = join(dir, 'film.yaml');
    writeFileSync(file, TEXT);
    const ds = (...extra: string[]): string[] => ['render', '--backend', 'dashscope', '--api-key', KEY, '--base-url', emulator.baseUrl, '--yes', ...extra, file];
    const over = await runCli(ds('--budget', '0.01'));
    expect(over.code).toBe(1);
    expect(over.stderr).toContain('over budget: the 2 clips to render (10 s of video) are estimated at $0.18, more than the budget of $0.01');
    expect(emulator.stats().submitted_tasks).toBe(0);
    writeFileSync(file, TEXT.replace('title: Budget', 'title: Budget\nbudget: 0.1'));
    expect((await runCli(ds())).code).toBe(1);
    expect(emulator.stats().submitted_tasks).toBe(0);
    const p = await runCli(['plan', '--json', '--backend', 'dashscope', file]);
    expect(p.code).toBe(1);
    expect((JSON.parse(p.stdout) as PlanReport).render.usd).toBe(0.175);
    const ok = await runCli(ds('--budget', '1'));
    expect(ok.code, ok.stderr).toBe(0);
    expect(emulator.stats().submitted_tasks).toBe(2);
    const after = await runCli(['plan', '--json', '--backend', 'dashscope', file]);
    expect(after.code).toBe(0);
    expect((JSON.parse(after.stdout) as PlanReport).clips.map((c) => c.action)).toEqual(['reuse', 'reuse']);
    expect((await runCli(ds())).code).toBe(0); // nothing to render: the budget does not matter
    expect((await runCli(['plan', file])).stdout).toContain('render: backend changed');
    expect((await runCli(['plan', '--budget', 'x', file])).code).toBe(2);
    const b = join(dir, 'b.yaml');
    writeFileSync(b, readFileSync(file, 'utf8').replace('A red door.', 'A blue door.'));
    const d = await runCli(['diff', file, b]);
    expect(d.code).toBe(1);
    expect(d.stdout).toContain('body.input.prompt: "A red door." → "A blue door."');
    expect((await runCli(['diff', '--json', file, file])).code).toBe(0);
  }, 120_000);
});
