import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { previewRender } from '../src/backends/emulator/preview-render.js';
import { startEmulator } from '../src/backends/emulator/emulator-server.js';
import { resolveFfmpeg } from '../src/media/ffmpeg-binaries.js';
import { runCli } from './helpers/run-cli.js';

describe('storyboard validate', () => {
  it('exits 0 for valid storyboards', async () => {
    const r = await runCli(['validate', 'storyboards/lighthouse.yaml', 'storyboards/detective-wan27.yaml']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('storyboards/lighthouse.yaml: valid (0 errors, 0 warnings)');
  });

  it('exits 0 with warnings only', async () => {
    const r = await runCli(['validate', 'test/fixtures/invalid/setting-ignored/input.yaml']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/input\.yaml:6:5: warning setting-ignored:/);
  });

  it('exits 1 for an invalid storyboard and prints file:line:col, the code and a code frame', async () => {
    const r = await runCli(['validate', 'test/fixtures/invalid/unknown-scene-ref/input.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('test/fixtures/invalid/unknown-scene-ref/input.yaml:6:16: error unknown-scene-ref:');
    expect(r.stderr).toContain('6 |     continues: chse');
    expect(r.stderr).toContain('  |                ^^^^');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('exits 2 for a missing file and for bad usage', async () => {
    expect((await runCli(['validate', 'nope.yaml'])).code).toBe(2);
    expect((await runCli(['validate'])).code).toBe(2);
    expect((await runCli(['validate', '--format', 'xml', 'storyboards/lighthouse.yaml'])).code).toBe(2);
    expect((await runCli(['frobnicate'])).code).toBe(2);
  });

  it('--format json reports positions per diagnostic', async () => {
    const r = await runCli(['validate', '--format', 'json', 'test/fixtures/invalid/unknown-scene-ref/input.yaml', 'storyboards/lighthouse.yaml']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { files: { file: string; valid: boolean; diagnostics: { code: string; line: number; column: number }[] }[] };
    expect(report.files.map((f) => f.valid)).toEqual([false, true]);
    expect(report.files[0]?.diagnostics[0]).toMatchObject({ code: 'unknown-scene-ref', line: 6, column: 16 });
  });
});

describe('storyboard compile and graph', () => {
  it('compile --requests prints one request per clip', async () => {
    const r = await runCli(['compile', '--requests', 'storyboards/detective-wan27.yaml']);
    expect(r.code).toBe(0);
    const reqs = JSON.parse(r.stdout) as { clip: string; method: string; path: string }[];
    expect(reqs).toHaveLength(1);
    expect(reqs[0]).toMatchObject({ clip: 'chase', method: 'POST', path: '/api/v1/services/aigc/video-generation/video-synthesis' });
  });

  it('compile prints byte-identical plans on repeated runs', async () => {
    const a = await runCli(['compile', 'storyboards/lighthouse.yaml']);
    const b = await runCli(['compile', 'storyboards/lighthouse.yaml']);
    expect(a.stdout).toBe(b.stdout);
    expect(JSON.parse(a.stdout)).toHaveProperty('stitch.order');
  });

  it('compile --prompts prints the prompts; an invalid storyboard exits 1 with diagnostics', async () => {
    const p = await runCli(['compile', '--prompts', 'storyboards/garden-wan26.yaml']);
    expect(p.stdout).toContain('Shot 4 [7-10 s]:');
    const bad = await runCli(['compile', 'test/fixtures/invalid/duration-out-of-range/input.yaml']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('error duration-out-of-range');
  });

  it('graph prints Mermaid with continuity edges, and DOT with --dot', async () => {
    const m = await runCli(['graph', 'storyboards/lighthouse.yaml']);
    expect(m.stdout).toMatch(/^flowchart LR/);
    expect(m.stdout).toContain('c_storm -- last frame --> c_lamp_room');
    const d = await runCli(['graph', '--dot', 'storyboards/lighthouse.yaml']);
    expect(d.stdout).toContain('"storm" -> "lamp-room" [label="last frame"];');
  });
});

describe('the built binary', () => {
  it('`storyboard --help` works from bin/ after the build', () => {
    if (!existsSync('dist/bundle/main.js')) execFileSync('npm', ['run', 'build'], { stdio: 'ignore' });
    const r = spawnSync(process.execPath, ['bin/storyboard.js', '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('validate');
    const bad = spawnSync(process.execPath, ['bin/storyboard.js', 'validate', 'test/fixtures/invalid/yaml-syntax/input.yaml'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('error yaml-syntax');
  });
});

describe('the bundled CLI (what `npx storyboard` runs)', () => {
  it('renders a continuity chain on preview and through the emulator, and its films verify', async () => {
    if (!existsSync('dist/bundle/main.js')) execFileSync('npm', ['run', 'build'], { stdio: 'ignore' });
    const dir = mkdtempSync(join(tmpdir(), 'storyboard-bundle-'));
    const yaml = join(dir, 'chain.yaml');
    writeFileSync(yaml, 'version: 1\ntitle: Bundle\ndefaults: { model: wan2.2-t2v-plus, resolution: 480P }\nscenes:\n'
      + '  - { id: dawn, prompt: A harbour at dawn, duration: 5 }\n  - { id: quay, model: wan2.2-i2v-plus, continues: dawn, prompt: The boats head out, duration: 5 }\n');
    const bin = (args: string[]) => spawnSync(process.execPath, ['bin/storyboard.js', ...args], { encoding: 'utf8' });
    const preview = bin(['render', yaml, '--json']);
    expect(preview.status, preview.stderr).toBe(0);
    const verified = bin(['verify', yaml, '--json']);
    expect(verified.status, verified.stderr).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true });
    // the DashScope path bundles undici: a paid render through the emulator goes through the same bundle
    const tools = await resolveFfmpeg();
    const emulator = await startEmulator({ apiKey: 'sk-bundle', latency: 0.05, render: previewRender(tools), ffmpeg: tools });
    try {
      // asynchronously: the emulator answers from this process
      const child = spawn(process.execPath, ['bin/storyboard.js', 'render', yaml, '--backend', 'dashscope', '--yes', '--base-url', emulator.baseUrl, '--json'],
        { env: { ...process.env, DASHSCOPE_API_KEY: 'sk-bundle' }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => void (stderr += b.toString()));
      const status = await new Promise<number | null>((done) => child.on('close', done));
      expect(status, stderr).toBe(0);
      expect(emulator.stats().billed_seconds).toBe(10);
    } finally {
      await emulator.close();
    }
  }, 120_000);
});
