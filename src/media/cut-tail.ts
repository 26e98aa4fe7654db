// Cuts the last seconds of a clip into an MP4 of their own, frame-exactly (clip continuation: what a continued clip
// is sent as `first_clip`). Re-encoded at high quality, at the clip's own size and 30 fps, with the same span of
// its sound when it has sound; written atomically, its frame count checked before it is kept.
import { rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { commitFile, tempPathFor } from '../io/atomic-write.js';
import type { FfmpegTools } from './ffmpeg-binaries.js';
import { probeMedia, runFfmpeg, videoStreamDuration, type MediaInfo } from './ffmpeg.js';

/** Options of {@link cutTail}. */
export interface CutTailOptions {
  readonly signal?: AbortSignal;
  /** The largest file the receiver takes (wan2.7-i2v's `first_clip`: 100 MB): the bitrate is capped to stay under it. */
  readonly maxBytes?: number;
}

/** What was cut: the frames kept (`seconds × 30`), the first of them in the source, and whether sound came along. */
export interface CutTailResult {
  readonly frames: number;
  readonly startFrame: number;
  readonly audio: boolean;
}

const FPS = 30;
const SAMPLES_PER_FRAME = 48000 / FPS;

/** The source's length in frames at 30 fps: its frame count when it runs at 30 fps, else its duration on the 30 fps grid. */
function sourceFrames(info: MediaInfo): number | undefined {
  const video = info.streams.find((s) => s.codecType === 'video' && !s.attachedPic);
  if (video?.nbFrames !== undefined && video.frameRate !== undefined && Math.abs(video.frameRate - FPS) < 0.01) return video.nbFrames;
  const duration = videoStreamDuration(info);
  return duration === undefined ? undefined : Math.round(duration * FPS);
}

/** Sound bitrate of the cut (bits per second). */
const AUDIO_BITRATE = 192_000;

/**
 * A video bitrate cap (bits per second) that keeps `frames` frames under `maxBytes`: x264's VBV with a one-second
 * buffer spends at most the rate over the clip plus one buffer, with 10 % left for the container and the sound.
 */
function rateCap(frames: number, maxBytes: number): number {
  return Math.floor((0.9 * maxBytes * 8) / (frames / FPS + 1)) - AUDIO_BITRATE;
}

/** The ffmpeg arguments cutting frames `start … start + frames - 1` (and their sound) into `output`. */
export function cutTailArgs(input: string, output: string, start: number, frames: number, audio: boolean, maxBytes?: number): string[] {
  const cap = maxBytes === undefined ? [] : ['-maxrate', String(rateCap(frames, maxBytes)), '-bufsize', String(rateCap(frames, maxBytes))];
  const video = `[0:v:0]setpts=PTS-STARTPTS,fps=${FPS},trim=start_frame=${start}:end_frame=${start + frames},setpts=PTS-STARTPTS,format=yuv420p[v]`;
  // the sound from the same instant, padded or cut to exactly the picture's length (decoded AAC runs past the video)
  const sound = `[0:a:0]aformat=sample_fmts=fltp:sample_rates=48000,asetpts=PTS-STARTPTS,atrim=start_sample=${start * SAMPLES_PER_FRAME},asetpts=PTS-STARTPTS,apad,atrim=end_sample=${frames * SAMPLES_PER_FRAME}[a]`;
  return [
    '-threads', '1', '-i', input, '-filter_complex', audio ? `${video};${sound}` : video, '-map', '[v]', ...(audio ? ['-map', '[a]'] : []),
    // crf 12: the model sees these frames as the start of its own clip, so they should lose as little as possible
    // (grainy 1080p at crf 12 alone runs to 30 MB a second: the cap keeps a 10 s cut under a 100 MB limit)
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '12', ...cap, '-pix_fmt', 'yuv420p', '-r', String(FPS), '-threads', '1',
    ...(audio ? ['-c:a', 'aac', '-b:a', String(AUDIO_BITRATE), '-ar', '48000'] : []),
    '-map_metadata', '-1', '-fflags', '+bitexact', '-flags:v', '+bitexact', '-flags:a', '+bitexact', '-movflags', '+faststart', '-f', 'mp4', output,
  ];
}

/**
 * Writes the last `seconds` of `video` to `out` (atomically): exactly `seconds × 30` frames, the clip's size, its
 * sound for the same span, under `maxBytes`. Throws when the clip is shorter than that or the cut comes out another
 * length or larger.
 */
export async function cutTail(tools: FfmpegTools, video: string, out: string, seconds: number, options: CutTailOptions = {}): Promise<CutTailResult> {
  const o = options.signal ? { signal: options.signal } : {};
  const info = await probeMedia(tools, video, o);
  const total = sourceFrames(info);
  const frames = Math.round(seconds * FPS);
  if (total === undefined) throw new Error(`cannot cut the last ${seconds} s of ${video}: it has no video stream with a known length`);
  if (frames < 1 || frames > total) throw new Error(`cannot cut the last ${seconds} s (${frames} frames) of ${video}: it has ${total} frames`);
  const audio = info.streams.some((s) => s.codecType === 'audio');
  const target = resolve(out);
  const temp = tempPathFor(target);
  try {
    await runFfmpeg(tools, cutTailArgs(info.file, temp, total - frames, frames, audio, options.maxBytes), o);
    const made = (await probeMedia(tools, temp, o)).streams.find((s) => s.codecType === 'video');
    if (made?.nbFrames !== frames) throw new Error(`the last ${seconds} s of ${video} came out ${made?.nbFrames ?? 'an unknown number of'} frames long, ${frames} expected`);
    const bytes = (await stat(temp)).size;
    if (options.maxBytes !== undefined && bytes > options.maxBytes) throw new Error(`the last ${seconds} s of ${video} came out ${bytes} bytes, over the ${options.maxBytes} the model takes`);
    await commitFile(temp, target);
  } finally {
    await rm(temp, { force: true });
  }
  return { frames, startFrame: total - frames, audio };
}
