// Storyboards continued by clip and the proofs made on their renders (test/continuation-e2e*.test.ts): every film frame
// the right frame of the right clip, each seam from the last frame of one clip straight to the first new frame of
// the next, the carried frames nowhere in the film, the length exactly the planned new seconds, sound as long.
import { join } from 'node:path';
import { expect } from 'vitest';
import { readManifest } from '../../src/assembly/film-manifest.js';
import type { Backend } from '../../src/backends/backend.js';
import type { ClipJob, Plan } from '../../src/compiler/plan/types.js';
import { probeMedia } from '../../src/media/ffmpeg.js';
import type { FfmpegTools } from '../../src/media/ffmpeg-binaries.js';
import { renderStoryboard, type RenderedStoryboard } from '../../src/render/render-storyboard.js';
import { storyboardDir } from './paid-render.js';
import { codeStrings, videoCodes } from './video-codes.js';

/** Four scenes, each continuing the one before by its last seconds; the second is a 15 s clip (3 s carried + 12 s new). */
export const CHAIN = `version: 1
title: Continued by clip
defaults: { resolution: 720P }
scenes:
  - { id: launch, model: wan2.7-t2v, duration: 5, prompt: "A rocket on the pad, steam rising." }
  - { id: climb, model: wan2.7-i2v, continues: { scene: launch, carry: 3 }, duration: 12, prompt: "The rocket climbs through the clouds." }
  - { id: stage, model: wan2.7-i2v, continues: { scene: climb, carry: 2 }, duration: 4, prompt: "The first stage falls away." }
  - { id: orbit, model: wan2.7-i2v, continues: { scene: stage, carry: 4 }, duration: 2, prompt: "The capsule drifts over the Earth." }
output: { resolution: "640*360" }
`;

/** One 40 s take in three parts, each with its own prompt (the second 12 s long). */
export const TAKE = `version: 1
title: One long take
defaults: { resolution: 720P }
scenes:
  - id: lamp
    model: wan2.7-t2v
    duration: 40
    parts:
      - "A lighthouse keeper climbs the spiral stairs."
      - { prompt: "He lights the great lamp.", duration: 12 }
      - "The beam sweeps across the night sea."
output: { resolution: "640*360" }
`;

export function rendered(outcome: Awaited<ReturnType<typeof renderStoryboard>>): RenderedStoryboard {
  if (outcome.status !== 'rendered') throw new Error(`render ${outcome.status}: ${'message' in outcome ? outcome.message : JSON.stringify(outcome.diagnostics)}`);
  return outcome;
}

/** Frames of new footage a clip adds to the film (its carried frames dropped). */
export const newFrames = (j: ClipJob): number => Math.round(j.expected.duration * 30) - (j.carry?.frames ?? 0);

/**
 * Proves a rendered film of continued clips on its frame codes: the verification found nothing, every frame was
 * checked, the length is the plan's, and at each seam the last frame of the clip continued is followed directly by
 * the continued clip's first new frame; no carried frame appears anywhere, every clip frame exactly once.
 */
export async function proveFilm(tools: FfmpegTools, r: RenderedStoryboard, dir: string, tagOf: (job: ClipJob) => number): Promise<void> {
  const plan: Plan = r.plan;
  const frames = plan.jobs.reduce((s, j) => s + newFrames(j), 0);
  expect(frames).toBe(Math.round(plan.stitch.duration * 30));
  expect(r.verification?.problems ?? ['not verified']).toEqual([]);
  expect(r.verification?.frames).toEqual({ expected: frames, decoded: frames, verified: frames, unchecked: 0 });
  // the sound as long as the picture, within one frame
  expect(Math.abs((r.verification?.audio?.seconds ?? 0) - plan.stitch.duration)).toBeLessThanOrEqual(1 / 30);
  const film = join(dir, plan.stitch.output);
  const video = (await probeMedia(tools, film)).streams.find((s) => s.codecType === 'video');
  expect(video?.nbFrames).toBe(frames);
  // the film's own codes, read independently of the verifier
  const first = plan.jobs[0];
  const codes = codeStrings(await videoCodes(tools, film, { width: first?.expected.width ?? 0, height: first?.expected.height ?? 0 }));
  expect(codes).toHaveLength(frames);
  const manifest = await readManifest(film);
  let start = 0;
  for (const [i, job] of plan.jobs.entries()) {
    const carried = job.carry?.frames ?? 0;
    const own = Array.from({ length: newFrames(job) }, (_, k) => `${tagOf(job)}:${carried + k}`);
    expect(codes.slice(start, start + own.length), `${job.id}'s frames`).toEqual(own);
    expect(manifest?.clips[i]).toMatchObject({ clip: job.id, drop: carried, start });
    // the plan's start is where the clip's (unseen) frame 0 would be: the new footage begins `carried` frames later
    expect(Math.round((plan.stitch.starts[i] ?? 0) * 30) + carried).toBe(start);
    const previous = plan.jobs[i - 1];
    if (job.carry && previous) {
      expect(job.carry.from).toBe(previous.id);
      // the seam: the previous clip's very last frame, then this clip's first new frame
      expect(codes.slice(start - 1, start + 1)).toEqual([`${tagOf(previous)}:${newFrames(previous) + (previous.carry?.frames ?? 0) - 1}`, `${tagOf(job)}:${carried}`]);
    }
    start += own.length;
  }
}

/**
 * Proves each continued clip as made: it begins with exactly the last frames of the clip it continues (the preview
 * draws them from `first_clip`), and its new frames count on from there.
 */
export async function proveClips(tools: FfmpegTools, r: RenderedStoryboard, tagOf: (job: ClipJob) => number): Promise<void> {
  const byId = new Map(r.plan.jobs.map((j) => [j.id, j]));
  for (const job of r.plan.jobs) {
    if (!job.carry) continue;
    const from = byId.get(job.carry.from);
    const file = r.result.results.get(job.id)?.file;
    if (!from || !file) throw new Error(`${job.id}: no clip`);
    const codes = codeStrings(await videoCodes(tools, file));
    const fromFrames = Math.round(from.expected.duration * 30);
    const c = job.carry.frames;
    expect(codes.slice(0, c), `${job.id} carries ${from.id}'s last ${c} frames`).toEqual(Array.from({ length: c }, (_, k) => `${tagOf(from)}:${fromFrames - c + k}`));
    expect(codes.slice(c, c + 2)).toEqual([`${tagOf(job)}:${c}`, `${tagOf(job)}:${c + 1}`]);
    expect(codes).toHaveLength(Math.round(job.expected.duration * 30));
  }
}

/** The first_clip inputs of a plan: which clip carries how many seconds of which. */
export const firstClips = (plan: Plan): [string, unknown, unknown][] =>
  plan.jobs.flatMap((j) => j.inputs.filter((i) => i.name === 'first_clip').map((i): [string, unknown, unknown] => [j.id, i.kind, i.from]));

export async function renderOn(tools: FfmpegTools, text: string, backend: Backend, prefix: string): Promise<{ r: RenderedStoryboard; dir: string }> {
  const { dir, file } = await storyboardDir(text, prefix);
  return { r: rendered(await renderStoryboard(file, { backend, tools })), dir };
}

