// Chosen frames of an image or a video decoded by ffmpeg to raw pixels (rgb24 or gray) on stdout, at a working
// size: what colour statistics, sharpness and drift measures are computed from in TypeScript.
import { probeMedia, runFfmpeg, videoStreamDuration } from './ffmpeg.js';
import type { FfmpegTools } from './tools.js';

/** Raw pixel layouts: 3 bytes a pixel (R, G, B) or 1 (luma, ffmpeg's `gray`). */
export type RawFormat = 'rgb24' | 'gray';

/** A frame of a video: seconds from its start (the first frame at or after it), or its first or last frame. */
export type FramePick = number | 'first' | 'last';

/** Width and height in pixels. */
export interface FrameSize {
  readonly width: number;
  readonly height: number;
}

/**
 * The size frames are decoded at: the source's, a width (height follows the aspect), or a short side (the
 * scale factor is the same for any frame shape with that short side, so scores compare across clip sizes).
 */
export type WorkingSize = 'source' | { readonly width: number } | { readonly shortSide: number };

/** One decoded frame: width × height × (3 or 1) bytes, and its time in seconds when the source is a video. */
export interface RawFrame extends FrameSize {
  readonly format: RawFormat;
  readonly data: Uint8Array;
  readonly time?: number;
}

/** What the frame readers need to know of a file: its picture size, and for a video its length and rate. */
export interface PictureSource extends FrameSize {
  readonly file: string;
  /** Seconds of video; undefined for a still image. */
  readonly duration?: number;
  readonly frameRate?: number;
  /** Frames in the video stream, when the container says. */
  readonly frameCount?: number;
}

/** Options for {@link readFrames} and {@link readLastFrames}. */
export interface ReadFramesOptions {
  readonly format: RawFormat;
  readonly size: WorkingSize;
  readonly signal?: AbortSignal;
}

/** swscale flags for conversions that must not shift levels (yuv420p ⇄ RGB round trips within 0.2 level). */
export const ACCURATE_SWS = 'accurate_rnd+full_chroma_int';

/** Demuxers that hold one still picture (PNG, JPEG, WebP, … read as `*_pipe` or `image2`). */
const STILL_FORMAT = /^(image2|[a-z0-9]+_pipe)$/;

/** Probes `file` for its first video stream: size, and for a video its duration, rate and frame count. */
export async function probePicture(tools: FfmpegTools, file: string, signal?: AbortSignal): Promise<PictureSource> {
  const info = await probeMedia(tools, file, signal ? { signal } : {});
  const video = info.streams.find((s) => s.codecType === 'video' && !s.attachedPic);
  if (!video?.width || !video.height) throw new Error(`${file} has no picture to measure (no video stream with a size)`);
  const still = STILL_FORMAT.test(info.formatName ?? '');
  const duration = still ? undefined : videoStreamDuration(info);
  if (!still && duration === undefined) throw new Error(`${file}: cannot tell how long its video is`);
  return { file: info.file, width: video.width, height: video.height, duration, frameRate: video.frameRate, frameCount: video.nbFrames };
}

/** The decoded size for a source of `source` size: even sides (what yuv420p sources can be scaled to), at least 2. */
export function workingSize(source: FrameSize, size: WorkingSize): FrameSize {
  if (size === 'source') return { width: source.width, height: source.height };
  const factor = 'width' in size ? size.width / source.width : size.shortSide / Math.min(source.width, source.height);
  const even = (n: number): number => Math.max(2, 2 * Math.round((n * factor) / 2));
  return { width: even(source.width), height: even(source.height) };
}

/** `count` times spread evenly over `duration` seconds, each in the middle of its share (never the very end). */
export function evenTimes(duration: number, count: number): number[] {
  return Array.from({ length: Math.max(1, Math.floor(count)) }, (_, i) => ((i + 0.5) * duration) / Math.max(1, Math.floor(count)));
}

/**
 * Decodes the chosen frames of `source` in one ffmpeg run (an input per pick, each seeking on its own), oldest
 * pick first as given; a still image gives its one picture, whatever the picks.
 */
export async function readFrames(tools: FfmpegTools, source: PictureSource, picks: readonly FramePick[], options: ReadFramesOptions): Promise<RawFrame[]> {
  if (source.duration === undefined) return decode(tools, source, [['-i', source.file]], '[0:v]null', 1, options);
  if (picks.length === 0) return [];
  const duration = source.duration;
  // 'last': decode the last half second and keep its last frame (ffmpeg-notes §2: never -sseof alone)
  const seekOf = (pick: FramePick): number => (pick === 'first' ? 0 : pick === 'last' ? Math.max(0, duration - 0.5) : Math.min(Math.max(0, pick), duration));
  const inputs = picks.map((pick) => [...(seekOf(pick) > 0 ? ['-ss', seekOf(pick).toFixed(6)] : []), '-i', source.file]);
  const chains = picks.map((pick, i) => `[${i}:v]${pick === 'last' ? 'reverse,' : ''}trim=end_frame=1,setpts=PTS-STARTPTS[p${i}]`);
  const joined = `${chains.join(';')};${picks.map((_, i) => `[p${i}]`).join('')}concat=n=${picks.length}:v=1:a=0`;
  const frames = await decode(tools, source, inputs, joined, picks.length, options);
  if (frames.length !== picks.length) throw new Error(`${source.file}: ${frames.length} of ${picks.length} frames decoded (a time past its end?)`);
  return frames.map((frame, i) => {
    const pick = picks[i] ?? 0;
    const time = pick === 'first' ? 0 : pick === 'last' ? lastFrameTime(source) : seekOf(pick);
    return time === undefined ? frame : { ...frame, time };
  });
}

/** Decodes the last `count` frames of a video, oldest first, each with its presentation time. */
export async function readLastFrames(tools: FfmpegTools, source: PictureSource, count: number, options: ReadFramesOptions): Promise<RawFrame[]> {
  if (source.duration === undefined) throw new Error(`${source.file} is a still image, not a video`);
  const rate = source.frameRate ?? 30;
  // half a second more than needed: accurate seeking lands on the first frame at or after the seek point
  const seek = Math.max(0, source.duration - count / rate - 0.5);
  const frames = await decode(tools, source, [['-ss', seek.toFixed(6), '-copyts', '-i', source.file]], '[0:v]null', undefined, options, true);
  return frames.slice(-count);
}

/** Seconds of the last frame of a constant-rate video: its duration less one frame. */
function lastFrameTime(source: PictureSource): number | undefined {
  if (source.duration === undefined) return undefined;
  return source.frameRate ? Math.max(0, source.duration - 1 / source.frameRate) : source.duration;
}

/**
 * One ffmpeg run: the inputs, a filter graph (`graph`, ending in its unlabelled output), scaled with area
 * averaging to the working size, to raw pixels on stdout, every frame as decoded (no frame-rate conversion);
 * at most `frames` frames. With `timed`, showinfo prints each frame's time.
 */
async function decode(tools: FfmpegTools, source: PictureSource, inputs: readonly string[][], graph: string, frames: number | undefined, options: ReadFramesOptions, timed = false): Promise<RawFrame[]> {
  const size = workingSize(source, options.size);
  const resize = size.width !== source.width || size.height !== source.height;
  const filters = [
    // accurate rounding and full chroma: the default conversion from yuv420p reads ~1 level dark
    `scale=${resize ? `${size.width}:${size.height}:flags=area+` : 'flags='}${ACCURATE_SWS}`,
    `format=${options.format}`,
    ...(timed ? ['showinfo'] : []),
  ];
  const chunks: Buffer[] = [];
  const args = [
    '-v', timed ? 'info' : 'error', ...inputs.flat(), '-filter_complex', `${graph},${filters.join(',')}[out]`, '-map', '[out]',
    ...(frames === undefined ? [] : ['-frames:v', String(frames)]), '-vsync', 'passthrough', '-f', 'rawvideo', '-pix_fmt', options.format, '-',
  ];
  const { stderr } = await runFfmpeg(tools, args, { onStdoutData: (chunk) => void chunks.push(Buffer.from(chunk)), ...(options.signal ? { signal: options.signal } : {}) });
  const all = Buffer.concat(chunks);
  const bytes = size.width * size.height * (options.format === 'rgb24' ? 3 : 1);
  if (all.length % bytes !== 0) throw new Error(`${source.file}: ${all.length} bytes decoded, not a whole number of ${size.width}×${size.height} frames`);
  const times = timed ? frameTimes(stderr) : [];
  const count = all.length / bytes;
  return Array.from({ length: count }, (_, i) => {
    // showinfo's lines are in frame order; stderr keeps its last 64 KB, so count them back from the end
    const time = times[times.length - count + i];
    const frame = { ...size, format: options.format, data: new Uint8Array(all.buffer, all.byteOffset + i * bytes, bytes) };
    return time === undefined ? frame : { ...frame, time };
  });
}

/** Each frame's `pts_time` from showinfo's log lines, in order. */
function frameTimes(stderr: string): number[] {
  const times: number[] = [];
  for (const line of stderr.split('\n')) {
    const match = /Parsed_showinfo.*\sn:\s*\d+\s.*\spts_time:(-?[\d.]+(?:e-?\d+)?)/.exec(line);
    if (match) times.push(Number(match[1]));
  }
  return times;
}
