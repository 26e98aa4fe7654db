// Issue 13, points 2 and 3: what the cache holds is checked before use. A normalized piece with flipped bytes or
// cut short, a damaged last frame, a damaged clip: `storyboard render` discards it with a warning naming it,
// makes it again from its source (a clip, which is paid output, only because its bytes changed), exits 0, and the
// film verifies and is byte-identical to the one made from the undamaged cache. Backend calls are counted from
// the run's `started` events (the runner emits one right before each call).
import { cp, mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readManifest } from '../src/assembly/film-manifest.js';
import { clipFacts } from '../src/assembly/media-facts.js';
import { verifyFilm } from '../src/assembly/verify-film.js';
import type { Repair } from '../src/diagnostics/repair.js';
import { sha256File } from '../src/io/hash.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { runCli } from './helpers/run-cli.js';

// a continuity seam a → b (b starts on a's last frame) and a dissolve b → c: last frames and normalized pieces
const STORYBOARD = `version: 1
title: Damage
defaults: { model: wan2.7-t2v, resolution: 720P, ratio: "16:9", duration: 2 }
scenes:
  - { id: a, prompt: A harbour at dawn. }
  - { id: b, model: wan2.7-i2v, continues: a, prompt: The boat leaves the harbour. }
  - { id: c, prompt: A gull over the sea. }
output:
  file: out/film.mp4
  transition: { type: dissolve, duration: 0.5 }
`;

let tools: FfmpegTools;
let pristine: string;
let pristineSha256: string;

interface Rendered {
  readonly code: number;
  readonly stderr: string;
  /** Clips the backend was called for (`rendering <clip>`, printed right before each call). */
  readonly started: string[];
  /** The warnings printed (`warning   <code>: <message>`). */
  readonly warnings: string[];
}

/** `storyboard render` as a user runs it (plain progress lines on stderr). */
async function render(dir: string, ...flags: string[]): Promise<Rendered> {
  const { code, stderr } = await runCli(['render', join(dir, 'film.yaml'), ...flags]);
  const lines = stderr.split('\n');
  const started = lines.flatMap((l) => /^rendering (\S+)$/.exec(l)?.[1] ?? []).sort();
  const warnings = lines.filter((l) => l.startsWith('warning'));
  return { code, stderr, started, warnings };
}

/** A copy of the rendered workspace, to damage. */
async function copyOfPristine(name: string): Promise<string> {
  const dir = join(pristine, '..', name);
  await cp(pristine, dir, { recursive: true });
  return dir;
}

const cacheDir = (dir: string): string => join(dir, '.storyboard', 'cache');
const filmOf = (dir: string): string => join(dir, 'out', 'film.mp4');

async function filesIn(dir: string, suffix: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith(suffix)).sort().map((f) => join(dir, f));
}

/** Flips 64 bytes in the middle of a file (its size stays the same). */
async function flipBytes(file: string): Promise<void> {
  const bytes = await readFile(file);
  const at = bytes.length >> 1;
  for (let i = at; i < at + 64; i++) bytes[i] = (bytes[i] ?? 0) ^ 0x55;
  await writeFile(file, bytes);
}

/**
 * The film is the undamaged cache's film, byte for byte (which verified frame by frame); with `decode`, it is
 * also verified again here against its own manifest.
 */
async function expectGoodFilm(dir: string, o: { decode?: boolean } = {}): Promise<void> {
  const film = filmOf(dir);
  expect(await sha256File(film)).toBe(pristineSha256);
  if (o.decode) await expectVerified(film);
}

async function expectVerified(film: string): Promise<void> {
  const manifest = await readManifest(film);
  if (!manifest) throw new Error(`no manifest next to ${film}`);
  const v = await verifyFilm(tools, film, manifest);
  expect(v.problems).toEqual([]);
  expect(v.frames.verified).toBe(manifest.frames);
}

beforeAll(async () => {
  tools = await resolveFfmpeg();
  pristine = join(await mkdtemp(join(tmpdir(), 'sb-cache-damage-')), 'pristine');
  await mkdir(pristine);
  await writeFile(join(pristine, 'film.yaml'), STORYBOARD);
  const first = await render(pristine);
  expect(first.code, first.stderr).toBe(0);
  expect(first.started).toEqual(['a', 'b', 'c']);
  await expectVerified(filmOf(pristine));
  pristineSha256 = await sha256File(filmOf(pristine));
}, 120_000);

describe('render checks the cache before use and remakes a damaged entry once, with a warning naming it', () => {
  it('an undamaged cache: nothing rendered, nothing repaired', async () => {
    const dir = await copyOfPristine('intact');
    const r = await render(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.started).toEqual([]);
    expect(r.warnings).toEqual([]);
    await expectGoodFilm(dir);
  });

  it('normalized pieces with flipped bytes or cut short are encoded again (no "moov atom not found"); no clip is rendered', async () => {
    const dir = await copyOfPristine('damaged-pieces');
    const [body] = await filesIn(join(cacheDir(dir), 'normalized'), '.body.mp4');
    const [seam] = await filesIn(join(cacheDir(dir), 'normalized'), '.seam.mp4');
    if (!body || !seam) throw new Error('no normalized pieces');
    await flipBytes(body);
    await truncate(seam, 1000);
    // the film goes too, so it is assembled again from the cached pieces
    await rm(filmOf(dir));
    const r = await render(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.started).toEqual([]);
    expect(r.warnings).toHaveLength(2);
    const [flipped, cut] = [r.warnings.find((w) => w.includes(`(${body})`)), r.warnings.find((w) => w.includes(`(${seam})`))];
    expect(flipped).toMatch(/^warning +cache-entry-damaged: a cached normalized piece of clip `[abc]` \(.*\) does not match the sha256 recorded when it was written \(its bytes changed\): it is encoded again from the clip$/);
    expect(cut).toMatch(/^warning +cache-entry-damaged: a cached normalized piece of clip `[abc]` \(.*\) is 1000 bytes where \d+ were recorded \(truncated or overwritten\): it is encoded again from the clip$/);
    await expectGoodFilm(dir, { decode: true });
  });

  it('a damaged last frame is extracted again: the next clip renders from a good one, nothing else renders', async () => {
    const dir = await copyOfPristine('damaged-frame');
    const frames = await filesIn(join(cacheDir(dir), 'frames'), '.last.png');
    expect(frames).toHaveLength(1);
    const png = frames[0] ?? '';
    await flipBytes(png);
    // the clip after it changes, so it renders from the (damaged) frame
    await writeFile(join(dir, 'film.yaml'), STORYBOARD.replace('The boat leaves the harbour.', 'The boat leaves.'));
    const r = await render(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/inflate/);
    expect(r.started).toEqual(['b']);
    expect(r.warnings).toEqual([`warning   cache-entry-damaged: the cached last frame of clip \`a\` (${png}) does not match the sha256 recorded when it was written (its bytes changed): it is extracted again from the clip`]);
    // the continuity seam a → b is measured too: b starts on a's real last frame
    await expectVerified(filmOf(dir));
  });

  it('--force with a damaged last frame: the clips render again and the chain continues from the new last frame', async () => {
    const dir = await copyOfPristine('damaged-frame-force');
    const [png] = await filesIn(join(cacheDir(dir), 'frames'), '.last.png');
    await flipBytes(png ?? '');
    const r = await render(dir, '--force');
    expect(r.code, r.stderr).toBe(0);
    expect(r.started).toEqual(['a', 'b', 'c']);
    await expectGoodFilm(dir);
  });

  it('a cached clip with flipped bytes is rendered again, that clip only, with a warning naming the clip and its file', async () => {
    const dir = await copyOfPristine('damaged-clip');
    // clip a: the first of the chain (its re-render is the same preview, so b and the film stay as they were)
    const metas = await Promise.all((await filesIn(join(cacheDir(dir), 'clips'), '.json')).map(async (f) => JSON.parse(await readFile(f, 'utf8')) as { key: string; clip: string }));
    const key = metas.find((m) => m.clip === 'a')?.key;
    const clip = join(cacheDir(dir), 'clips', `${key}.mp4`);
    await flipBytes(clip);
    const r = await render(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.started).toEqual(['a']);
    expect(r.warnings).toEqual([expect.stringMatching(/^warning +cache-clip-damaged: cached clip `a` \(.*\) does not match the sha256 recorded .* rendered again \(a paid render on a paid backend\)$/)]);
    expect(r.warnings[0]).toContain(`(${clip})`);
    await expectGoodFilm(dir);
  });
});

describe('cached probe facts', () => {
  it('a damaged facts file is probed again, with a warning naming it', async () => {
    const dir = join(pristine, '..', 'facts');
    const clip = (await filesIn(join(cacheDir(pristine), 'clips'), '.mp4'))[0] ?? '';
    const first = await clipFacts(tools, clip, 'f'.repeat(64), dir);
    const file = join(dir, `${'f'.repeat(64)}.json`);
    await writeFile(file, (await readFile(file, 'utf8')).replace(/"width":(\d+)/, (_, w: string) => `"width":${Number(w) + 2}`));
    const repairs: Repair[] = [];
    const again = await clipFacts(tools, clip, 'f'.repeat(64), dir, { onRepair: (r) => repairs.push(r) });
    expect(again).toEqual(first);
    expect(repairs.map((r) => [r.code, r.file])).toEqual([['cache-entry-damaged', file]]);
  });
});
