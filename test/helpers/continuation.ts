// Clip continuation in media tests (issue 15): the `first_clip` a runner would cut (the last frames of a clip, 30 fps
// yuv420p, with its sound when it has sound), and the frame codes read back from every frame of a video.
import { rm } from 'node:fs/promises';
import type { ClipInput, ClipJob } from '../../src/compiler/plan/types.js';
import { cutTail as cutClipTail } from '../../src/media/cut-tail.js';
import { codeTag, type FrameCode } from '../../src/media/frame-code.js';
import type { FfmpegTools } from '../../src/media/ffmpeg-binaries.js';
import { probeMedia, runFfmpeg } from '../../src/media/ffmpeg.js';
import { videoCodes } from './video-codes.js';

/**
 * The last `frames` frames of `source` as the runner cuts a `first_clip` (media/cut-tail.ts), written to `out`; with
 * `silent`, its sound stream removed afterwards (a clip from a model that made none).
 */
export async function cutTail(tools: FfmpegTools, source: string, out: string, frames: number, options: { silent?: boolean } = {}): Promise<void> {
  if (!options.silent) {
    await cutClipTail(tools, source, out, frames / 30);
    return;
  }
  const withSound = `${out}.sound.mp4`;
  await cutClipTail(tools, source, withSound, frames / 30);
  await runFfmpeg(tools, ['-v', 'error', '-i', withSound, '-map', '0:v:0', '-c', 'copy', '-f', 'mp4', '-y', out]);
  await rm(withSound, { force: true });
}

/** The frame code of every frame of a video (read as a stream: videoCodes); undefined where no patch reads. */
export async function readFrameCodes(tools: FfmpegTools, file: string): Promise<(FrameCode | undefined)[]> {
  return videoCodes(tools, file);
}

/** The codes a continued clip must show: the carried frames with the upstream clip's codes, then its own counting on. */
export function expectedCodes(upstream: { key: string; frames: number }, carried: number, own: { key: string; frames: number }): FrameCode[] {
  return [
    ...Array.from({ length: carried }, (_, i) => ({ tag: codeTag(upstream.key), frame: upstream.frames - carried + i })),
    ...Array.from({ length: own.frames - carried }, (_, i) => ({ tag: codeTag(own.key), frame: carried + i })),
  ];
}

/** Seconds of the audio and video streams of a file. */
export async function streamSeconds(tools: FfmpegTools, file: string): Promise<{ video?: number; audio?: number; frames?: number }> {
  const info = await probeMedia(tools, file);
  const video = info.streams.find((s) => s.codecType === 'video');
  const audio = info.streams.find((s) => s.codecType === 'audio');
  return { ...(video?.duration !== undefined ? { video: video.duration } : {}), ...(audio?.duration !== undefined ? { audio: audio.duration } : {}), ...(video?.nbFrames !== undefined ? { frames: video.nbFrames } : {}) };
}

/** The `first_clip` input of a clip continuing `from` by its last `seconds`. */
export function firstClipInput(from: string, seconds: number): ClipInput {
  return { name: 'first_clip', kind: 'video', from: { clip: from, tail: seconds }, at: { line: 1, column: 1 } };
}

/** A wan2.7-i2v clip continuing `from` by `carry` seconds with `duration` new seconds, as the compiler plans one. */
export function continuedJob(id: string, from: string, carry: number, duration: number, over: Partial<ClipJob> & { width?: number; height?: number; audio?: boolean; lastFrame?: boolean } = {}): ClipJob {
  const { width = 640, height = 360, audio = true, lastFrame = false, ...rest } = over;
  const media = [{ type: 'first_clip', url: '$input.first_clip' }, ...(lastFrame ? [{ type: 'last_frame', url: '$input.last_frame' }] : [])];
  return {
    id, scene: id, shots: [], at: { line: 3, column: 5 }, model: 'wan2.7-i2v',
    request: {
      method: 'POST', path: '/api/v1/services/aigc/video-generation/video-synthesis',
      body: { model: 'wan2.7-i2v', input: { prompt: `${id}: the take goes on.`, media }, parameters: { resolution: '720P', duration, prompt_extend: false, watermark: false, seed: 7 } },
    },
    prompt: `${id}: the take goes on.`, seed: { value: 7, source: 'explicit' },
    inputs: [firstClipInput(from, carry), ...(lastFrame ? [{ name: 'last_frame', kind: 'image' as const, from: { file: 'end.png' }, at: { line: 4, column: 5 } }] : [])],
    dependsOn: [from], expected: { duration: carry + duration, width, height, fps: 30, audio },
    cost: { usd: 0.1 * duration, perSecond: 0.1, resolution: '720P', carriedSeconds: carry },
    carry: { from, seconds: carry, frames: carry * 30 },
    ...rest,
  };
}
