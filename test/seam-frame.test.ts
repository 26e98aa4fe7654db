// `seam_frame: sharpest` end to end on the preview backend: a 3-scene chain (5 s → 15 s → 5 s) whose middle clip's
// last 5 frames are blurred on purpose (motion blur at the end of a clip). The runner hands on the sharpest of its
// last 8 frames (measured here on the clip itself), the continuing clip starts on it (SSIM), the film ends the
// blurred clip on it (every film frame's code: its frames up to the chosen one, then the next clip's), the lock
// records the choice, and toggling `seam_frame` back to `last` renders only the continuing clip again.
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest } from '../src/assembly/film-manifest.js';
import { stitchFilm, type FilmClip } from '../src/assembly/stitch-film.js';
import { verifyFilm } from '../src/assembly/verify-film.js';
import type { Backend, RenderRequest } from '../src/backends/backend.js';
import { createPreviewBackend } from '../src/backends/preview/preview-backend.js';
import type { ClipJob } from '../src/compiler/plan/types.js';
import { probeMedia, runFfmpeg } from '../src/media/ffmpeg.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { CODE_COLUMNS, codePatches, codeTag } from '../src/media/frame-code.js';
import { probePicture, readFrames, readLastFrames } from '../src/media/read-frames.js';
import { laplacianVariance, SHARPNESS_SIZE } from '../src/media/sharpness.js';
import { ssimLuma } from '../src/media/ssim.js';
import { renderStoryboard, type RenderedStoryboard } from '../src/render/render-storyboard.js';
import { ClipCache } from '../src/runner/clip-cache.js';
import { clipStates } from '../src/runner/clip-states.js';
import { lockPathFor, readLock } from '../src/runner/lock-file.js';
import type { RunEvent } from '../src/runner/events.js';
import { storyboardDir } from './helpers/paid-render.js';
import { planOf } from './helpers/run-fixture.js';
import { codeStrings, videoCodes } from './helpers/video-codes.js';
import { spawnTool } from '../src/media/ffmpeg.js';

/** The middle clip's blurred tail: its last BLURRED frames, so the sharpest of the last 8 is the one before them. */
const BLURRED = 5;
const SOURCE = { width: 1280, height: 720 } as const;

const storyboard = (stormSeam: 'sharpest' | 'last'): string => `version: 1
title: Sharpest seam
defaults: { resolution: 720P }
scenes:
  - { id: dawn, model: wan2.7-t2v, duration: 5, seam_frame: sharpest, prompt: "A harbour at dawn, boats at rest." }
  - { id: storm, model: wan2.7-i2v, continues: dawn, duration: 15, seam_frame: ${stormSeam}, prompt: "A squall sweeps in, the boats pitch." }
  - { id: calm, model: wan2.7-i2v, continues: storm, duration: 5, prompt: "The sea calms, gulls return." }
output: { resolution: "640*360" }
`;

let tools: FfmpegTools;
const cleanup: string[] = [];

/** The preview backend, except that `storm` comes back with its last frames blurred (a fast camera move at its end). */
function blurredTailBackend(): Backend & { renders: string[] } {
  const preview = createPreviewBackend();
  const renders: string[] = [];
  return {
    ...preview, version: `${preview.version}+blurred-tail`, renders,
    async render(req: RenderRequest) {
      renders.push(req.job.id);
      if (req.job.scene !== 'storm') return preview.render(req);
      const plain = `${req.outFile}.plain.mp4`;
      const outcome = await preview.render({ ...req, outFile: plain });
      const frames = Math.round(req.job.expected.duration * 30);
      // the picture blurred, its frame codes kept readable (a film showing these frames must be caught naming them)
      const patches = codePatches(SOURCE.width, SOURCE.height);
      const graph = [
        `[0:v:0]split=${patches.length + 1}[all]${patches.map((_, i) => `[c${i}]`).join('')}`,
        `[all]gblur=sigma=6:enable='gte(n,${frames - BLURRED})'[b0]`,
        ...patches.map((p, i) => `[c${i}]crop=${CODE_COLUMNS * p.cell}:${2 * p.cell}:${p.x}:${p.y}[p${i}];[b${i}][p${i}]overlay=${p.x}:${p.y}[b${i + 1}]`),
      ].join(';');
      await runFfmpeg(tools, ['-v', 'error', '-i', plain, '-filter_complex', graph, '-map', `[b${patches.length}]`, '-map', '0:a?',
        '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '14', '-pix_fmt', 'yuv420p', '-threads', '2', '-c:a', 'copy', '-f', 'mp4', `${plain}.blurred`]);
      await rename(`${plain}.blurred`, req.outFile);
      await rm(plain, { force: true });
      return outcome;
    },
  };
}

function rendered(outcome: Awaited<ReturnType<typeof renderStoryboard>>): RenderedStoryboard {
  if (outcome.status !== 'rendered') throw new Error(`render ${outcome.status}: ${'message' in outcome ? outcome.message : JSON.stringify(outcome.diagnostics)}`);
  return outcome;
}

/** Gray frames at the clip's own size with the frame-code patches blacked out (each frame carries its own code). */
function masked(frame: { data: Uint8Array; width: number; height: number }): Uint8Array {
  const out = Uint8Array.from(frame.data);
  for (const p of codePatches(frame.width, frame.height)) {
    for (let y = p.y; y < p.y + 2 * p.cell; y++) out.fill(0, y * frame.width + p.x, y * frame.width + p.x + CODE_COLUMNS * p.cell);
  }
  return out;
}

const ssim = (a: Uint8Array, b: Uint8Array): number => ssimLuma(a, b, SOURCE.width, SOURCE.height);

beforeAll(async () => {
  tools = await resolveFfmpeg();
});
afterAll(async () => {
  await Promise.all(cleanup.map((d) => rm(d, { recursive: true, force: true })));
});

describe('seam_frame: sharpest', () => {
  it('hands on the sharpest of the last 8 frames, ends the clip there in the film, and re-renders only what continues it when toggled', async () => {
    const { dir, file } = await storyboardDir(storyboard('sharpest'), 'sb-seam-frame-');
    cleanup.push(dir);
    const backend = blurredTailBackend();
    const events: RunEvent[] = [];
    const r = rendered(await renderStoryboard(file, { backend, tools, onEvent: (e) => events.push(e) }));
    expect(r.failures).toEqual([]);
    expect(r.assemblyError).toBeUndefined();
    const job = (id: string): ClipJob => r.plan.jobs.find((j) => j.id === id) as ClipJob;
    expect(job('storm').inputs.find((i) => i.name === 'first_frame')?.from).toEqual({ clip: 'dawn', frame: 'sharpest' });
    expect(job('calm').inputs.find((i) => i.name === 'first_frame')?.from).toEqual({ clip: 'storm', frame: 'sharpest' });

    // measured on storm itself: its blurred last frames score far below the frame handed on, which is the latest sharp one
    const storm = r.result.results.get('storm');
    if (!storm?.sharpestFrame || !storm.seamFrame) throw new Error('storm hands on no sharpest frame');
    const stormFile = await probePicture(tools, storm.file);
    const last8 = await readLastFrames(tools, stormFile, 8, { format: 'gray', size: SHARPNESS_SIZE });
    const scores = last8.map((f) => laplacianVariance(f.data, f.width, f.height));
    console.log(`storm's last 8 frames, sharpness oldest first: ${scores.map((s) => s.toFixed(1)).join(', ')}; chose ${JSON.stringify(storm.seamFrame)}`);
    const total = Math.round(job('storm').expected.duration * 30);
    expect(storm.seamFrame).toMatchObject({ fromEnd: BLURRED, index: total - 1 - BLURRED });
    const chosen = scores[7 - BLURRED] ?? 0;
    expect(chosen).toBeGreaterThanOrEqual(0.95 * Math.max(...scores));
    expect(scores.slice(8 - BLURRED).every((s) => s < 0.5 * chosen)).toBe(true);
    expect(storm.seamFrame.sharpness).toBeCloseTo(chosen, 0);
    expect(storm.seamFrame.lastSharpness).toBeCloseTo(scores[7] ?? 0, 0);
    // dawn is sharp to its end: it hands on its last frame and keeps every frame in the film
    expect(r.result.results.get('dawn')?.seamFrame?.fromEnd).toBe(0);

    // the PNG handed on is storm's chosen frame, and calm starts on it (codes masked: every frame carries its own)
    const gray = { format: 'gray' as const, size: 'source' as const };
    const [stormChosen, stormLast] = (await readLastFrames(tools, stormFile, BLURRED + 1, gray)).filter((_, i, all) => i === 0 || i === all.length - 1).map(masked) as [Uint8Array, Uint8Array];
    const [png] = (await readFrames(tools, await probePicture(tools, storm.sharpestFrame), [], gray)).map(masked);
    const calm = r.result.results.get('calm');
    const [calmFirst] = (await readFrames(tools, await probePicture(tools, calm?.file ?? ''), ['first'], gray)).map(masked);
    if (!png || !calmFirst) throw new Error('no frames read');
    const seam = { png: ssim(png, stormChosen), calm: ssim(calmFirst, stormChosen), calmVsLast: ssim(calmFirst, stormLast) };
    console.log(`SSIM: handed-on PNG vs storm's chosen frame ${seam.png.toFixed(4)}; calm's first frame vs the chosen ${seam.calm.toFixed(4)}, vs storm's blurred last ${seam.calmVsLast.toFixed(4)}`);
    expect(seam.png).toBeGreaterThan(0.99);
    expect(seam.calm).toBeGreaterThan(0.97);
    expect(seam.calm - seam.calmVsLast).toBeGreaterThan(0.05);

    // the film: dawn whole, storm from its 2nd frame (the seam's duplicate dropped) to the chosen one, calm from its 2nd
    const tagOf = (id: string): number => codeTag(r.result.results.get(id)?.key ?? '');
    const expected = [
      ...Array.from({ length: 150 }, (_, k) => `${tagOf('dawn')}:${k}`),
      ...Array.from({ length: total - 1 - BLURRED }, (_, k) => `${tagOf('storm')}:${k + 1}`),
      ...Array.from({ length: 149 }, (_, k) => `${tagOf('calm')}:${k + 1}`),
    ];
    const filmPath = join(dir, r.plan.stitch.output);
    expect(codeStrings(await videoCodes(tools, filmPath, SOURCE))).toEqual(expected);
    expect(expected).toHaveLength(Math.round(r.plan.stitch.duration * 30) - BLURRED);
    expect(r.verification?.problems).toEqual([]);
    expect(r.verification?.frames).toEqual({ expected: expected.length, decoded: expected.length, verified: expected.length, unchecked: 0 });
    expect(r.film?.duration).toBeCloseTo(expected.length / 30, 6);
    expect(Math.abs((r.verification?.audio?.seconds ?? 0) - expected.length / 30)).toBeLessThanOrEqual(1 / 30);
    // the chapters follow the film: calm's starts where its first frame is, 5 frames earlier than planned
    const { stdout } = await spawnTool(tools.ffprobe.path, ['-v', 'error', '-of', 'json', '-show_chapters', filmPath]);
    const chapters = (JSON.parse(stdout) as { chapters: { start_time: string; end_time: string; tags?: { title?: string } }[] }).chapters;
    expect(chapters.map((c) => [c.tags?.title, Math.round(Number(c.start_time) * 30), Math.round(Number(c.end_time) * 30)])).toEqual([
      ['dawn', 0, 149], ['storm', 149, 149 + 444], ['calm', 149 + 444, expected.length],
    ]);
    const manifest = await readManifest(filmPath);
    expect(manifest?.clips.map((c) => [c.clip, c.drop, c.trim ?? 0, c.frames])).toEqual([['dawn', 0, 0, 150], ['storm', 1, BLURRED, total - 1 - BLURRED], ['calm', 1, 0, 149]]);
    // said once, for storm only
    expect(events.filter((e) => e.type === 'notice' && e.kind === 'seam').map((e) => 'clip' in e && e.clip)).toEqual(['storm']);

    // the lock records the choice
    const lock = await readLock(lockPathFor(file));
    expect(lock?.clips.storm?.seamFrame).toEqual(storm.seamFrame);
    expect(lock?.clips.dawn?.seamFrame?.fromEnd).toBe(0);
    expect(lock?.clips.calm?.seamFrame).toBeUndefined();

    // the film check fails a film that keeps storm's blurred frames, naming them
    const clips: FilmClip[] = r.plan.jobs.map((j) => {
      const c = r.result.results.get(j.id);
      if (!c) throw new Error(`no ${j.id}`);
      const m = c.entry.meta;
      return { clip: j.id, file: c.file, sha256: c.sha256, duration: m.duration, width: m.width, height: m.height, audio: m.audio, tag: codeTag(c.key) };
    });
    const untrimmed = join(dir, 'out', 'untrimmed.mp4');
    await stitchFilm(tools, r.plan.stitch, clips, untrimmed, { cacheDir: join(dir, '.storyboard', 'cache', 'normalized') });
    const wrong = await verifyFilm(tools, untrimmed, manifest ?? (() => { throw new Error('no manifest'); })());
    console.log(`the untrimmed film's check: ${wrong.problems.map((p) => p.message).join(' | ')}`);
    expect(wrong.ok).toBe(false);
    expect(wrong.problems.some((p) => /storm frame 445, one of the 5 frames after the sharpest last frame it hands on, trimmed from the film/.test(p.message))).toBe(true);

    // a damaged sharpest frame in the cache is found by its seal and made again, naming the clip; nothing is rendered
    await writeFile(storm.sharpestFrame, 'not a png');
    backend.renders.length = 0;
    const repaired = rendered(await renderStoryboard(file, { backend, tools }));
    expect(backend.renders).toEqual([]);
    expect(repaired.events.filter((e) => e.type === 'repair').map((e) => e.type === 'repair' && [e.code, e.clip])).toEqual([['cache-entry-damaged', 'storm']]);
    expect(repaired.result.results.get('storm')?.seamFrame).toEqual(storm.seamFrame);
    expect(await probePicture(tools, storm.sharpestFrame)).toMatchObject(SOURCE);
    expect(repaired.film?.sha256).toBe(r.film?.sha256);

    // toggled back to `last` on storm: plan and render agree that only calm is made again
    await writeFile(file, storyboard('last'));
    const states = await clipStates(planOf(storyboard('last')), { backend, baseDir: dir, cache: new ClipCache(join(dir, '.storyboard', 'cache'), tools) });
    expect([...states].map(([id, s]) => [id, s.cached])).toEqual([['dawn', true], ['storm', true], ['calm', false]]);
    backend.renders.length = 0;
    const again = rendered(await renderStoryboard(file, { backend, tools }));
    expect(backend.renders).toEqual(['calm']);
    expect(again.events.filter((e) => e.type === 'cached').map((e) => 'clip' in e && e.clip)).toEqual(['dawn', 'storm']);
    expect(again.events.flatMap((e) => (e.type === 'rendered' ? [[e.clip, e.key]] : []))).toEqual([['calm', states.get('calm')?.key]]);
    expect(again.result.results.get('storm')?.seamFrame).toBeUndefined();
    expect(again.verification?.problems).toEqual([]);
    const whole = [...expected.slice(0, 150 + total - 1 - BLURRED), ...Array.from({ length: BLURRED }, (_, k) => `${tagOf('storm')}:${total - BLURRED + k}`)];
    const codes = codeStrings(await videoCodes(tools, filmPath, SOURCE));
    expect(codes.slice(0, whole.length)).toEqual(whole);
    expect(codes).toHaveLength(Math.round(again.plan.stitch.duration * 30));
    const relock = await readLock(lockPathFor(file));
    expect(relock?.clips.storm?.seamFrame).toBeUndefined();
    expect(relock?.clips.storm?.key).toBe(lock?.clips.storm?.key);
    expect(relock?.clips.calm?.key).not.toBe(lock?.clips.calm?.key);
    expect((await probeMedia(tools, filmPath)).streams.find((s) => s.codecType === 'video')?.nbFrames).toBe(codes.length);
  }, 180_000);
});
