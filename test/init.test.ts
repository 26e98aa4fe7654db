import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseImageHeader } from '../src/assets/image-header.js';
import { initCommand } from '../src/cli/commands/init.js';
import type { Output } from '../src/cli/output.js';
import type { Plan } from '../src/compiler/plan/types.js';
import { probeMedia } from '../src/media/ffmpeg.js';
import { resolveFfmpeg } from '../src/media/ffmpeg-binaries.js';
import { runCli } from './helpers/run-cli.js';

/** An Output that keeps what a command prints. */
function capture(): Output & { stdout: string; stderr: string } {
  const o = { stdout: '', stderr: '', isTTY: false, out: (t: string) => void (o.stdout += t + '\n'), err: (t: string) => void (o.stderr += t + '\n') };
  return o;
}

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'sb-init-'));

describe('storyboard init', () => {
  it('scaffolds a project whose example validates and renders with the preview backend', async () => {
    const dir = join(tempDir(), 'my-film');
    const out = capture();
    expect(await initCommand(dir, out)).toBe(0);
    expect(out.stdout).toContain('storyboard render');
    const file = join(dir, 'storyboard.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./schema/storyboard.schema.json');
    expect(readFileSync(join(dir, 'schema', 'storyboard.schema.json'), 'utf8')).toBe(readFileSync('schemas/storyboard.schema.json', 'utf8'));
    expect(parseImageHeader(readFileSync(join(dir, 'keyframes', 'dawn.png')))).toEqual({ format: 'png', width: 640, height: 360, hasAlpha: false });
    const ignored = readFileSync(join(dir, '.gitignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['.storyboard/', 'out/']));
    expect(ignored.some((l) => l.includes('lock') && !l.startsWith('#'))).toBe(false);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('storyboard render storyboard.yaml');

    const valid = await runCli(['validate', file]);
    expect(valid.code, valid.stderr).toBe(0);
    expect(valid.stderr).toContain('0 errors, 0 warnings');

    const plan = JSON.parse((await runCli(['compile', file])).stdout) as Plan;
    expect(plan.jobs.flatMap((j) => j.inputs).some((i) => 'file' in i.from && i.from.file === 'keyframes/dawn.png')).toBe(true);
    const r = await runCli(['render', '--json', file]);
    expect(r.code, r.stderr).toBe(0);
    const film = join(dir, plan.stitch.output);
    expect(existsSync(film)).toBe(true);
    const info = await probeMedia(await resolveFfmpeg(), film);
    const video = info.streams.find((s) => s.codecType === 'video');
    expect(Math.abs((video?.duration ?? 0) - plan.stitch.duration)).toBeLessThanOrEqual(1 / 30 + 1e-6);
    expect(existsSync(join(dir, 'storyboard.lock.json'))).toBe(true);
  }, 120_000);

  it('refuses to overwrite an existing storyboard.yaml, and changes nothing', async () => {
    const dir = tempDir();
    expect(await initCommand(dir, capture())).toBe(0);
    writeFileSync(join(dir, 'storyboard.yaml'), 'version: 1\n');
    const out = capture();
    expect(await initCommand(dir, out)).toBe(2);
    expect(out.stderr).toContain('storyboard.yaml already exists');
    expect(out.stdout).toBe('');
    expect(readFileSync(join(dir, 'storyboard.yaml'), 'utf8')).toBe('version: 1\n');
  });

  it('keeps the files a directory already has, adding only the missing .gitignore lines', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.gitignore'), 'node_modules/\nout/');
    writeFileSync(join(dir, 'README.md'), '# mine\n');
    expect(await initCommand(dir, capture())).toBe(0);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe('# mine\n');
    const lines = readFileSync(join(dir, '.gitignore'), 'utf8').split('\n');
    expect(lines.filter((l) => l === 'out/')).toHaveLength(1);
    expect(lines).toEqual(expect.arrayContaining(['node_modules/', '.storyboard/']));
  });

  it('scaffolds into the current directory by default', async () => {
    const dir = tempDir();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(await initCommand(undefined, capture())).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    expect(existsSync(join(dir, 'storyboard.yaml'))).toBe(true);
    expect(existsSync(join(dir, 'keyframes', 'dawn.png'))).toBe(true);
  });

  it('reports a directory it cannot create as a usage error', async () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, '');
    const out = capture();
    expect(await initCommand(join(file, 'film'), out)).toBe(2);
    expect(out.stderr).toContain('cannot create the project');
  });
});
