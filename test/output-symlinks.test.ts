// Issue 13 point 7: everything the tool writes is judged by its real path, like its inputs. A symbolic link in
// the project that leads outside it (out/, .storyboard/, the film, its sidecars, the lock file; init's
// .gitignore and schema copy) is refused before anything is written; a link that stays inside is allowed.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initCommand } from '../src/cli/commands/init.js';
import type { Output } from '../src/cli/output.js';
import { loadStoryboard } from '../src/render/load-storyboard.js';
import { renderStoryboard } from '../src/render/render-storyboard.js';
import { fakeBackend } from './helpers/fake-backend.js';
import { runCli } from './helpers/run-cli.js';

const STORYBOARD = `version: 1
scenes:
  - { id: a, model: wan2.7-t2v, duration: 2, resolution: 720P, prompt: A red fox runs. }
output:
  file: out/film.mp4
`;

/** A project folder with the storyboard, and a folder outside it that must stay empty. */
function project(): { dir: string; file: string; outside: string } {
  const root = mkdtempSync(join(tmpdir(), 'sb-outlinks-'));
  const dir = join(root, 'project');
  const outside = join(root, 'elsewhere');
  mkdirSync(dir);
  mkdirSync(outside);
  const file = join(dir, 'film.yaml');
  writeFileSync(file, STORYBOARD);
  return { dir, file, outside };
}

/** The offset of `out/film.mp4` in the storyboard: where the refusal must point. */
const FILE_START = STORYBOARD.indexOf('out/film.mp4');

async function refusals(file: string): Promise<{ code: string; start?: number; message: string }[]> {
  const loaded = await loadStoryboard(file);
  return loaded.result.diagnostics.filter((d) => d.code === 'path-escapes-project').map((d) => ({ code: d.code, ...(d.span ? { start: d.span.start } : {}), message: d.message }));
}

describe('outputs are judged by their real path', () => {
  it('refuses `out` linked to a folder outside the project, at output.file, and renders nothing there', async () => {
    const { dir, file, outside } = project();
    symlinkSync(outside, join(dir, 'out'));
    const found = await refusals(file);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ start: FILE_START });
    expect(found[0]?.message).toContain(outside);
    const backend = fakeBackend();
    const outcome = await renderStoryboard(file, { backend });
    expect(outcome.status).toBe('invalid');
    expect(backend.submitted).toEqual([]);
    expect(readdirSync(outside)).toEqual([]);
    expect(existsSync(join(dir, '.storyboard'))).toBe(false);
    const cli = await runCli(['validate', file]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/film\.yaml:5:9: error path-escapes-project: /);
  });

  it('refuses `.storyboard` (cache, journal) linked outside, and a link to outside anywhere below it', async () => {
    const { dir, file, outside } = project();
    symlinkSync(outside, join(dir, '.storyboard'));
    expect(await refusals(file)).toEqual([expect.objectContaining({ message: expect.stringContaining('`.storyboard`') })]);
    expect((await renderStoryboard(file, { backend: fakeBackend() })).status).toBe('invalid');
    expect(readdirSync(outside)).toEqual([]);

    const deeper = project();
    mkdirSync(join(deeper.dir, '.storyboard'));
    symlinkSync(deeper.outside, join(deeper.dir, '.storyboard', 'cache'));
    expect(await refusals(deeper.file)).toEqual([expect.objectContaining({ message: expect.stringContaining('`.storyboard/cache`') })]);
    // the journal, a file link and a link reached through an in-project link are found too
    const journal = project();
    mkdirSync(join(journal.dir, 'build', 'sb'), { recursive: true });
    symlinkSync(join(journal.dir, 'build', 'sb'), join(journal.dir, '.storyboard'));
    symlinkSync(journal.outside, join(journal.dir, 'build', 'sb', 'journal'));
    symlinkSync(join(journal.outside, 'uploads.json'), join(journal.dir, 'build', 'sb', 'uploads.json'));
    expect((await refusals(journal.file)).map((r) => r.message)).toEqual([
      expect.stringContaining('`.storyboard/journal`'), expect.stringContaining('`.storyboard/uploads.json`'),
    ]);
  });

  it('refuses the film itself, its sidecars and the lock file when they are links to outside (dangling ones too)', async () => {
    const cases: readonly [string, number | undefined][] = [
      ['out/film.mp4', FILE_START], ['out/film.timeline.json', FILE_START], ['out/film.report.html', FILE_START],
      ['out/film.srt', FILE_START], ['out/film.vtt', FILE_START], ['film.lock.json', undefined],
    ];
    for (const [name, start] of cases) {
      const { dir, file, outside } = project();
      mkdirSync(join(dir, 'out'));
      const target = join(outside, 'target');
      if (name.endsWith('.mp4')) writeFileSync(target, 'not a film'); // an existing target for the film, dangling links for the rest
      symlinkSync(target, join(dir, name));
      const found = await refusals(file);
      expect(found, name).toHaveLength(1);
      expect(found[0]?.start, name).toBe(start);
      expect(found[0]?.message, name).toContain(`\`${name}\``);
    }
  });

  it('refuses a link loop on the way, and allows links that stay inside the project', async () => {
    const loop = project();
    symlinkSync(join(loop.dir, 'out'), join(loop.dir, 'out'));
    expect(await refusals(loop.file)).toEqual([expect.objectContaining({ start: FILE_START, message: expect.stringContaining('loops') })]);

    const { dir, file, outside } = project();
    mkdirSync(join(dir, 'build', 'films'), { recursive: true });
    mkdirSync(join(dir, 'work'));
    symlinkSync(join(dir, 'build', 'films'), join(dir, 'out'));
    symlinkSync('work', join(dir, '.storyboard'));
    symlinkSync('film.lock.real.json', join(dir, 'film.lock.json'));
    expect(await refusals(file)).toEqual([]);
    // a run whose clip fails still writes the cache, journal, lock file and report: all through the links
    const outcome = await renderStoryboard(file, { backend: fakeBackend({ failing: new Set(['a']) }) });
    expect(outcome.status === 'rendered' && outcome.failures.map((f) => f.code)).toEqual(['render-failed']);
    expect(outcome.status === 'rendered' && outcome.reportError).toBeUndefined();
    expect(existsSync(join(dir, 'build', 'films', 'film.report.html'))).toBe(true);
    expect(readdirSync(join(dir, 'work')).sort()).toEqual(['cache', 'journal']);
    // an atomic write replaces a link to a file by the file (rename), so the lock lands beside the storyboard
    expect(lstatSync(join(dir, 'film.lock.json')).isFile()).toBe(true);
    expect(readdirSync(outside)).toEqual([]);
  });
});

/** An Output that keeps what a command prints. */
function capture(): Output & { stdout: string; stderr: string } {
  const o = { stdout: '', stderr: '', isTTY: false, out: (t: string) => void (o.stdout += t + '\n'), err: (t: string) => void (o.stderr += t + '\n') };
  return o;
}

describe('storyboard init judges what it writes by real path', () => {
  it('refuses a .gitignore or schema copy linked outside the project, writing nothing at all', async () => {
    for (const name of ['.gitignore', join('schema', 'storyboard.schema.json')]) {
      const { dir, outside } = project();
      const target = join(outside, 'precious');
      writeFileSync(target, 'keep me\n');
      mkdirSync(join(dir, 'schema'));
      symlinkSync(target, join(dir, name));
      const out = capture();
      expect(await initCommand(dir, out), name).toBe(2);
      expect(out.stderr).toContain(name);
      expect(out.stderr).toContain('outside');
      expect(readFileSync(target, 'utf8')).toBe('keep me\n');
      expect(existsSync(join(dir, 'storyboard.yaml')), name).toBe(false);
      expect(readdirSync(outside)).toEqual(['precious']);
    }
  });

  it('refuses a schema folder linked outside, and follows links that stay inside', async () => {
    const linked = project();
    symlinkSync(linked.outside, join(linked.dir, 'schema'));
    expect(await initCommand(linked.dir, capture())).toBe(2);
    expect(readdirSync(linked.outside)).toEqual([]);

    const { dir } = project();
    writeFileSync(join(dir, 'ignore-rules'), 'node_modules/\n');
    symlinkSync('ignore-rules', join(dir, '.gitignore'));
    expect(await initCommand(dir, capture())).toBe(0);
    expect(readFileSync(join(dir, 'ignore-rules'), 'utf8')).toContain('.storyboard/');
  });
});
