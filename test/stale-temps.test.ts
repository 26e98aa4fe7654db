// Issue 13, point 5: a stitch killed mid-way leaves its `.<film>.mp4.parts-*` folder. The next assembly removes
// such leftovers (and the tool's other temp files: atomic-write temps, the clip cache's per-run scratch), but only
// once the process that owns them is gone: a run working beside it keeps its files.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StitchJob } from '../src/compiler/plan/types.js';
import { stitchFilm, type FilmClip } from '../src/assembly/stitch-film.js';
import { verifyFilm } from '../src/assembly/verify-film.js';
import type { Repair } from '../src/diagnostics/repair.js';
import { OWNER_TAG } from '../src/io/temp-owner.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { ClipCache } from '../src/runner/clip-cache.js';
import { codedClip } from './helpers/coded-clip.js';

let tools: FfmpegTools;
let dir: string;
let clips: FilmClip[];
const children: ChildProcess[] = [];

const job = (c: readonly FilmClip[]): StitchJob => ({
  output: 'film.mp4', order: c.map((x) => x.clip), starts: [], duration: 0, chapters: [], cues: [], fit: 'cover',
  joins: [{ from: c[0]?.clip ?? '', to: c[1]?.clip ?? '', type: 'dissolve', duration: 0.5 }],
  subtitles: { srt: false, vtt: false, burn: false }, chapterMarks: false,
});

const exists = (path: string): Promise<boolean> => stat(path).then(() => true, () => false);

async function partsFolders(folder: string): Promise<string[]> {
  return (await readdir(folder)).filter((f) => f.startsWith('.film.mp4.parts-')).map((f) => join(folder, f));
}

/** Starts a stitch in another process and resolves once it is parked mid-way (its pieces encoded, nothing muxed). */
async function parkedStitch(output: string, cacheDir: string): Promise<ChildProcess> {
  const spec = JSON.stringify({ job: job(clips), clips, output, cacheDir });
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/stitch-until-killed.ts', spec], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let said = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      if (said.includes('parked')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the stitch exited (${code}) before it parked`)));
  });
  return child;
}

/** A pid no process has any more: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid ?? 0;
}

beforeAll(async () => {
  tools = await resolveFfmpeg();
  dir = await mkdtemp(join(tmpdir(), 'sb-stale-temps-'));
  const base = { width: 320, height: 180, fps: 30 } as const;
  clips = await Promise.all([
    codedClip(tools, { ...base, clip: 'k1', frames: 45, picture: { source: 'testsrc2' }, tone: 440 }),
    codedClip(tools, { ...base, clip: 'k2', frames: 45, picture: { source: 'smptebars' }, tone: 550 }),
  ]);
}, 120_000);

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

describe('leftovers of killed runs', () => {
  it('a stitch killed mid-way leaves its parts folder; the next assembly removes it, never a live run\'s', async () => {
    const output = join(dir, 'out', 'film.mp4');
    const cacheDir = join(dir, 'normalized');
    const child = await parkedStitch(output, cacheDir);
    const [parts] = await partsFolders(dirname(output));
    if (!parts) throw new Error('the parked stitch has no parts folder');
    // not the tool's: a look-alike name without an owner, a user's file
    await writeFile(join(dirname(output), '.notes.tmp'), 'mine');
    await writeFile(join(dirname(output), 'notes.txt'), 'mine');

    // a stitch beside the live one leaves its folder alone
    const beside: Repair[] = [];
    await stitchFilm(tools, job(clips), clips, output, { cacheDir, onRepair: (r) => beside.push(r) });
    expect(beside).toEqual([]);
    expect(await exists(parts)).toBe(true);

    child.kill('SIGKILL');
    await once(child, 'exit');
    // killed mid-way: the folder stays behind (the issue)
    expect(await exists(parts)).toBe(true);
    // and an atomic write that a killed run never renamed, a piece it never committed, and a parts folder of a
    // version that wrote no owner: stale once untouched for an hour (a fresh one is left alone)
    const temp = join(dirname(output), `.film.timeline.json.${await deadPid()}-abcdef.0badc0de.tmp`);
    await writeFile(temp, '{');
    const piece = join(cacheDir, `.${'0'.repeat(40)}.${await deadPid()}-abcdef.0badc0de.tmp-0.mp4`);
    await writeFile(piece, 'half a piece');
    const [oldParts, newParts] = [join(dirname(output), '.film.mp4.parts-Ab12Cd'), join(dirname(output), '.film.mp4.parts-Ef34Gh')];
    await Promise.all([mkdir(oldParts), mkdir(newParts)]);
    const twoHoursAgo = new Date(Date.now() - 7_200_000);
    await utimes(oldParts, twoHoursAgo, twoHoursAgo);

    const repairs: Repair[] = [];
    const result = await stitchFilm(tools, job(clips), clips, output, { cacheDir, onRepair: (r) => repairs.push(r) });
    expect(await partsFolders(dirname(output))).toEqual([newParts]);
    expect(repairs.map((r) => [r.code, r.severity, r.file]).sort()).toEqual([parts, temp, piece, oldParts].map((f) => ['stale-temp-removed', 'info', f]).sort());
    expect(await readdir(dirname(output))).toEqual(expect.arrayContaining(['.notes.tmp', 'notes.txt', 'film.mp4']));
    const v = await verifyFilm(tools, output, result.manifest);
    expect(v.problems).toEqual([]);
    expect(v.frames.verified).toBe(result.manifest.frames);
  }, 120_000);

  it("the clip cache's scratch of a killed run is removed when the cache opens; this process's is kept", async () => {
    const cacheDir = join(dir, 'cache');
    const dead = join(cacheDir, 'tmp', `run-${await deadPid()}-abcdef`);
    const ours = join(cacheDir, 'tmp', `run-${OWNER_TAG}`);
    await mkdir(dead, { recursive: true });
    await writeFile(join(dead, 'a1b2.mp4'), 'half a download');
    const clipTemp = join(cacheDir, 'clips', `.k.json.${await deadPid()}-abcdef.0badc0de.tmp`);
    await mkdir(dirname(clipTemp), { recursive: true });
    await writeFile(clipTemp, '{');
    const cache = new ClipCache(cacheDir, tools);
    expect((await cache.init()).sort()).toEqual([clipTemp, dead].sort());
    expect(cache.tmpDir).toBe(ours);
    expect(await exists(ours)).toBe(true);
    expect(await exists(dead)).toBe(false);
  });
});
