import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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
    if (!existsSync('dist/src/cli/main.js')) execFileSync('npm', ['run', 'build'], { stdio: 'ignore' });
    const r = spawnSync(process.execPath, ['bin/storyboard.js', '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('validate');
    const bad = spawnSync(process.execPath, ['bin/storyboard.js', 'validate', 'test/fixtures/invalid/yaml-syntax/input.yaml'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('error yaml-syntax');
  });
});
