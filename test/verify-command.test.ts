// `storyboard verify`: render a small chained storyboard (480P, preview backend), then verify its film by path
// and through the storyboard, a copy with one frame dropped (exit 1 with the frames named), and the cases that
// cannot be checked (exit 2): no film, no timeline, a damaged timeline.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FilmManifest } from '../src/assembly/film-manifest.js';
import { runFfmpeg } from '../src/media/ffmpeg.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import type { FilmVerification } from '../src/assembly/verify-film.js';
import { runCli } from './helpers/run-cli.js';

const STORYBOARD = `version: 1
title: Verify demo
scenes:
  - { id: one, model: wan2.2-t2v-plus, size: "832*480", prompt: A red door. }
  - { id: two, model: wan2.2-i2v-flash, resolution: 480P, continues: one, prompt: The door opens. }
  - { id: three, model: wan2.2-t2v-plus, size: "832*480", prompt: A garden behind it. }
output: { file: out/demo.mp4 }
`;

/** No stack trace ever reaches the user. */
const noStack = (stderr: string): void => expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('storyboard verify', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-verify-'));
  const storyboard = join(dir, 'demo.yaml');
  const film = join(dir, 'out', 'demo.mp4');
  let tools: FfmpegTools;
  let manifest: FilmManifest;

  beforeAll(async () => {
    tools = await resolveFfmpeg();
    writeFileSync(storyboard, STORYBOARD);
    const r = await runCli(['render', storyboard]);
    expect(r.code, r.stderr).toBe(0);
    manifest = JSON.parse(readFileSync(join(dir, 'out', 'demo.timeline.json'), 'utf8')) as FilmManifest;
  }, 180_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies the rendered film: every frame, the seam and the cut measured on the film, exit 0', async () => {
    // 3 clips of 5 s at 30 fps, less the duplicated first frame of the continuing clip
    expect(manifest.frames).toBe(449);
    const r = await runCli(['verify', film]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/demo\.mp4: verified ✓$/);
    expect(r.stdout).toContain('frames   449 decoded of 449 expected; 449 verified by frame code, 0 unchecked');
    expect(r.stdout).toContain('clips    3 of 3 carry frame codes');
    const seams = lines.filter((l) => /SSIM/.test(l)).map((l) => /^\s+(\w+)\s+(\w+) → (\w+): SSIM (\d\.\d{4}) across film frames (\d+)–(\d+)/.exec(l)?.slice(1));
    expect(seams.map((s) => s?.slice(0, 3))).toEqual([['seam', 'one', 'two'], ['cut', 'two', 'three']]);
    expect(seams.map((s) => s?.slice(4).map(Number))).toEqual([[149, 150], [298, 299]]);
    // a continuity seam continues the picture; a cut between two different shots does not need to
    expect(Number(seams[0]?.[3])).toBeGreaterThanOrEqual(0.9);
    expect(r.stdout).toContain('audio    none (the timeline has no sound track)');
  }, 120_000);

  it('finds the film through its storyboard (output.file beside the storyboard) and --json prints the verification', async () => {
    const text = await runCli(['verify', storyboard]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.split('\n')[0]).toMatch(/out\/demo\.mp4: verified ✓$/);
    const r = await runCli(['verify', '--json', storyboard]);
    expect(r.code, r.stderr).toBe(0);
    const v = JSON.parse(r.stdout) as FilmVerification;
    expect(v.ok).toBe(true);
    expect(v.frames).toEqual({ expected: 449, decoded: 449, verified: 449, unchecked: 0 });
    expect(v.clips).toEqual([{ clip: 'one', coded: true }, { clip: 'two', coded: true }, { clip: 'three', coded: true }]);
    expect(v.seams.map((s) => [s.from, s.to, s.type, s.before, s.after])).toEqual([['one', 'two', 'seam', 149, 150], ['two', 'three', 'cut', 298, 299]]);
    expect(v.problems).toEqual([]);
  }, 120_000);

  it('a film with one frame dropped fails with film- errors naming the frames, and a warning that it changed', async () => {
    const damaged = join(dir, 'out', 'dropped.mp4');
    await runFfmpeg(tools, ['-v', 'error', '-y', '-i', film, '-vf', String.raw`select='not(eq(n\,100))',setpts=N/FRAME_RATE/TB`, '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '16', damaged]);
    copyFileSync(join(dir, 'out', 'demo.timeline.json'), join(dir, 'out', 'dropped.timeline.json'));
    const r = await runCli(['verify', damaged]);
    expect(r.code).toBe(1);
    noStack(r.stderr);
    expect(r.stdout.split('\n')[0]).toMatch(/dropped\.mp4: FAILED ✗ \(\d+ problems?\)$/);
    expect(r.stdout).toContain('frames   448 decoded of 449 expected; 100 verified by frame code');
    const errors = r.stderr.trim().split('\n');
    expect(errors[0]).toMatch(/dropped\.mp4: warning film-changed: the film was changed since it was rendered/);
    expect(errors).toContainEqual(expect.stringMatching(/dropped\.mp4: error film-skipped: film frames 100–148 \(3\.333–4\.933 s\): skipped: one frame 101 where one frame 100 belongs/));
    expect(errors).toContainEqual(expect.stringMatching(/dropped\.mp4: error film-missing: film frame 448 .*the film ends after 448 frames; its timeline has 449/));
    for (const e of errors.slice(1)) expect(e).toMatch(/dropped\.mp4: error film-[a-z-]+: /);
    const json = await runCli(['verify', '--json', damaged]);
    expect(json.code).toBe(1);
    const v = JSON.parse(json.stdout) as FilmVerification;
    expect(v.ok).toBe(false);
    expect(v.problems[0]).toMatchObject({ kind: 'skipped', first: 100, last: 148 });
  }, 120_000);

  it('cannot check (exit 2, one clear line, no stack trace): no film, no timeline, a damaged timeline, a missing storyboard', async () => {
    const missingFilm = await runCli(['verify', join(dir, 'out', 'nothing.mp4')]);
    expect(missingFilm.code).toBe(2);
    expect(missingFilm.stderr).toMatch(/^storyboard: no film at .*nothing\.mp4: render it with `storyboard render` first\n$/);
    const lone = join(dir, 'lone.mp4');
    copyFileSync(film, lone);
    const noTimeline = await runCli(['verify', lone]);
    expect(noTimeline.code).toBe(2);
    expect(noTimeline.stderr).toMatch(/^storyboard: no timeline next to .*lone\.mp4: render it with `storyboard render` first\n$/);
    expect(noTimeline.stdout).toBe('');
    writeFileSync(join(dir, 'lone.timeline.json'), '{"version": 1, "clips": [');
    const damaged = await runCli(['verify', '--json', lone]);
    expect(damaged.code).toBe(2);
    expect(damaged.stderr).toMatch(/^storyboard: the timeline .*lone\.timeline\.json is damaged \(.+\): render the film again with `storyboard render`\n$/);
    expect(damaged.stdout).toBe('');
    writeFileSync(join(dir, 'lone.timeline.json'), '{"version": 2}');
    expect((await runCli(['verify', lone])).stderr).toMatch(/is damaged \(.*is not a film timeline\)/);
    const noStoryboard = await runCli(['verify', join(dir, 'absent.yaml')]);
    expect(noStoryboard.code).toBe(2);
    for (const r of [missingFilm, noTimeline, damaged, noStoryboard]) noStack(r.stderr);
  }, 60_000);
});
