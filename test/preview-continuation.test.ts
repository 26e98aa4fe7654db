// Clip continuation on the preview backend (issue 15): a clip sent a `first_clip` is that clip's frames (their frame
// codes the upstream clip's, in order) followed by its new seconds (its own codes, numbered on from the carried
// frames), as long as carried + new seconds in picture and sound; a 10 s carried clip (more than a GOP) included; a
// last frame is still reached; simulated drift moves only the new seconds, by one hop.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendError, type RenderRequest, type ResolvedInput } from '../src/backends/backend.js';
import { createPreviewBackend } from '../src/backends/preview/preview-backend.js';
import type { ClipJob } from '../src/compiler/plan/types.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { runFfmpeg } from '../src/media/ffmpeg.js';
import { continuedJob, cutTail, expectedCodes, readFrameCodes, streamSeconds } from './helpers/continuation.js';
import { ssim } from './helpers/media.js';
import { decodePictures, meanColor, type Box } from './helpers/rgb-frames.js';

const SIZE = { width: 640, height: 360 } as const;
/** The middle of a 640×360 preview: clear of the header, prompt, timecode, progress bar and frame codes. */
const MIDDLE: Box = { x: 200, y: 110, width: 240, height: 110 };
const UPSTREAM = { key: 'upstream-launch', frames: 360 };

let dir: string;
let tools: FfmpegTools;
let upstreamFile: string;
const tails: Record<string, string> = {};

function request(job: ClipJob, key: string, inputs: Record<string, ResolvedInput>, outFile: string): RenderRequest {
  return {
    job, key, inputs: new Map(Object.entries(inputs)), outFile, ffmpeg: tools, signal: new AbortController().signal,
    journal: { submitted: () => undefined, record: async () => {} },
  };
}

async function render(name: string, job: ClipJob, inputs: Record<string, ResolvedInput>, options: Parameters<typeof createPreviewBackend>[0] = {}): Promise<string> {
  const out = join(dir, `${name}.mp4`);
  await createPreviewBackend(options).render(request(job, name, inputs, out));
  return out;
}

const tail = (name: string): ResolvedInput => ({ file: tails[name] ?? '', sha256: name });

beforeAll(async () => {
  tools = await resolveFfmpeg();
  dir = await mkdtemp(join(tmpdir(), 'storyboard-preview-carry-'));
  // the upstream clip: 12 s of a textured first frame (so drift and seams show), with sound
  const keyframe = join(dir, 'keyframe.png');
  await runFfmpeg(tools, ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=s=${SIZE.width}x${SIZE.height}`, '-frames:v', '1', keyframe]);
  const upstream: ClipJob = {
    ...continuedJob('launch', 'none', 2, 10), inputs: [{ name: 'first_frame', kind: 'image', from: { file: 'keyframe.png' }, at: { line: 1, column: 1 } }],
    carry: undefined, expected: { duration: 12, ...SIZE, fps: 30, audio: true },
  };
  upstreamFile = join(dir, 'launch.mp4');
  await createPreviewBackend().render(request(upstream, UPSTREAM.key, { first_frame: { file: keyframe, sha256: 'k' } }, upstreamFile));
  for (const [name, frames, silent] of [['t3', 90, false], ['t10', 300, false], ['t2silent', 60, true]] as const) {
    tails[name] = join(dir, `${name}.mp4`);
    await cutTail(tools, upstreamFile, tails[name] ?? '', frames, { silent });
  }
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('preview: clip continuation (first_clip)', () => {
  it('3 s carried + 5 s new: the carried frames keep the upstream codes in order, the new ones count on under this clip\'s tag; 8 s of picture and sound', async () => {
    const job = continuedJob('chase', 'launch', 3, 5);
    const out = await render('chase', job, { first_clip: tail('t3') });
    const seconds = await streamSeconds(tools, out);
    expect(seconds.frames).toBe(240);
    expect(seconds.video).toBeCloseTo(8, 2);
    // AAC pads to whole 1024-sample frames: within one of them
    expect(Math.abs((seconds.audio ?? 0) - 8)).toBeLessThan(1024 / 48_000 + 1e-6);
    const codes = await readFrameCodes(tools, out);
    expect(codes).toEqual(expectedCodes(UPSTREAM, 90, { key: 'chase', frames: 240 }));
  });

  it('a 10 s carried clip (more than a GOP) + 2 s new: every frame in place; the carried pictures are the upstream\'s', async () => {
    const job = continuedJob('long', 'launch', 10, 2);
    const out = await render('long', job, { first_clip: tail('t10') });
    expect((await streamSeconds(tools, out)).frames).toBe(360);
    const codes = await readFrameCodes(tools, out);
    expect(codes).toEqual(expectedCodes(UPSTREAM, 300, { key: 'long', frames: 360 }));
    // carried frame 299 is the upstream's last frame, re-encoded
    const carriedLast = join(dir, 'long-299.png');
    const upstreamLast = join(dir, 'launch-359.png');
    await runFfmpeg(tools, ['-v', 'error', '-i', out, '-vf', 'select=eq(n\\,299)', '-frames:v', '1', carriedLast]);
    await runFfmpeg(tools, ['-v', 'error', '-i', upstreamFile, '-vf', 'select=eq(n\\,359)', '-frames:v', '1', upstreamLast]);
    expect(await ssim(tools, carriedLast, upstreamLast)).toBeGreaterThan(0.97);
  });

  it('a carried clip without sound: silence for its seconds, then the new sound; the audio still lasts the whole clip', async () => {
    const out = await render('quiet', continuedJob('quiet', 'launch', 2, 3), { first_clip: tail('t2silent') });
    const seconds = await streamSeconds(tools, out);
    expect(seconds.frames).toBe(150);
    expect(Math.abs((seconds.audio ?? 0) - 5)).toBeLessThan(1024 / 48_000 + 1e-6);
    // the first second is silent, the last is the preview's tone
    const levels = async (from: number): Promise<number> => {
      const { stderr } = await runFfmpeg(tools, ['-i', out, '-map', '0:a', '-af', `atrim=${from}:${from + 1},volumedetect`, '-f', 'null', '-']);
      return Number(/mean_volume: (-?[\d.]+) dB/.exec(stderr)?.[1] ?? 'NaN');
    };
    expect(await levels(0.2)).toBeLessThan(-80);
    expect(await levels(3.5)).toBeGreaterThan(-60);
  });

  it('with a last frame: the new seconds end on it, the codes still count on', async () => {
    const end = join(dir, 'end.png');
    await runFfmpeg(tools, ['-v', 'error', '-f', 'lavfi', '-i', `smptebars=s=${SIZE.width}x${SIZE.height}`, '-frames:v', '1', end]);
    const job = continuedJob('landing', 'launch', 3, 4, { lastFrame: true });
    const out = await render('landing', job, { first_clip: tail('t3'), last_frame: { file: end, sha256: 'end' } });
    const codes = await readFrameCodes(tools, out);
    expect(codes).toEqual(expectedCodes(UPSTREAM, 90, { key: 'landing', frames: 210 }));
    const finalFrame = join(dir, 'landing-last.png');
    await runFfmpeg(tools, ['-v', 'error', '-i', out, '-vf', 'select=eq(n\\,209)', '-frames:v', '1', finalFrame]);
    expect(await ssim(tools, finalFrame, end)).toBeGreaterThan(0.9);
  });

  it('simulated drift moves the new seconds by one hop and leaves the carried frames as they were', async () => {
    const job = continuedJob('drifting', 'launch', 3, 3);
    const drift = { cast: [12, -4, -10] as const, gain: 1.04, blur: 0.6 };
    const plain = await render('drift-off', job, { first_clip: tail('t3') });
    const drifted = await render('drift-on', job, { first_clip: tail('t3') }, { drift: { ...drift, cast: [...drift.cast] } });
    const [off, on] = await Promise.all([plain, drifted].map((f) => decodePictures(tools, f, SIZE)));
    const colour = (pictures: Awaited<ReturnType<typeof decodePictures>> | undefined, n: number): number[] => meanColor(pictures?.[n] ?? expect.unreachable(`no frame ${n}`), MIDDLE);
    const distance = (a: number[], b: number[]): number => Math.hypot(...a.map((v, i) => v - (b[i] ?? 0)));
    // carried frames: the same picture with and without drift
    for (const n of [0, 45, 89]) expect(distance(colour(off, n), colour(on, n)), `carried frame ${n}`).toBeLessThan(1);
    // the new seconds drift from nothing (their first frame) to one whole hop (their last)
    expect(distance(colour(off, 90), colour(on, 90)), 'first new frame').toBeLessThan(1.5);
    const hop = colour(on, 179).map((v, i) => v - (colour(off, 179)[i] ?? 0));
    expect(Math.hypot(...hop), `hop ${hop.map(Math.round).join(',')}`).toBeGreaterThan(6);
    expect(hop[0], 'red cast').toBeGreaterThan(5);
    // without drift the new seconds stay on the carried picture's colour
    expect(distance(colour(off, 179), colour(off, 89))).toBeLessThan(6);
  });

  it('a first_clip that does not hold the planned carried frames fails, naming the clip', async () => {
    const job = continuedJob('short', 'launch', 3, 3);
    const error = await render('short', job, { first_clip: tail('t2silent') }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).message).toMatch(/clip `short`: its first_clip has 60 frames, the plan carries 90/);
  });
});
