// Ctrl-C (issue 13, point 13): a real CLI process that receives SIGINT while it works says how to resume and
// exits 130 (128 + SIGINT, what shells report), whatever it was doing: a preview render, a render on the
// DashScope emulator, or `render --watch`. The three run at once: each mostly waits for its child.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewRender } from '../src/backends/emulator/preview-render.js';
import { startEmulator, type Emulator } from '../src/backends/emulator/emulator-server.js';
import { resolveFfmpeg } from '../src/media/ffmpeg-binaries.js';

/** A storyboard of `scenes` 5-second 480p clips. */
const storyboard = (scenes: number): string => `version: 1
title: Interrupted
scenes:
${Array.from({ length: scenes }, (_, i) => `  - { id: s${i}, model: wan2.2-t2v-plus, size: "832*480", prompt: Scene ${i}. }`).join('\n')}
`;

/** Runs the CLI from source, waits until `ready` matches what it printed, sends SIGINT, and waits for it to end. */
async function interrupt(args: readonly string[], ready: RegExp): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/cli-entry.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let done = false;
  void exited.then(() => (done = true));
  for (let i = 0; i < 1200 && !done && !ready.test(stdout + stderr); i++) await new Promise((r) => setTimeout(r, 50));
  expect(stdout + stderr, 'the command never got to work').toMatch(ready);
  child.kill('SIGINT');
  return { ...(await exited), stdout, stderr };
}

const project = (scenes = 4): string => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-sigint-'));
  writeFileSync(join(dir, 'film.yaml'), storyboard(scenes));
  return join(dir, 'film.yaml');
};

describe.concurrent('Ctrl-C exits 130 and says how to resume', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    const tools = await resolveFfmpeg();
    // tasks that outlast the test: the interrupt always lands while they run
    emulator = await startEmulator({ latency: 60, render: previewRender(tools), ffmpeg: tools });
  });
  afterAll(async () => emulator.close());

  it('during a preview render', async () => {
    const r = await interrupt(['render', '--json', project()], /"type":"started"/);
    expect(r).toMatchObject({ code: 130, signal: null });
    expect(r.stderr).toContain('run again to resume');
  });

  it('during a render on the DashScope emulator', async () => {
    const args = ['render', '--backend', 'dashscope', '--api-key', 'sk-test-interrupt', '--base-url', emulator.baseUrl, '--yes', '--json', project()];
    const r = await interrupt(args, /"type":"started"/);
    expect(r).toMatchObject({ code: 130, signal: null });
    expect(r.stderr).toContain('run again to resume');
  });

  it('while `render --watch` waits for changes', async () => {
    // one clip, so the first render is soon done and the watch is idle
    const r = await interrupt(['render', '--watch', '--json', project(1)], /watching .* for changes/);
    expect(r).toMatchObject({ code: 130, signal: null });
    expect(r.stderr).toContain('run again to resume');
  });
});
