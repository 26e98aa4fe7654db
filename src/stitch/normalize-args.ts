// ffmpeg arguments that normalise one clip for smart assembly (ffmpeg-notes §3 (d), §4): the film's size,
// 30 fps, yuv420p, SAR 1, the seam's duplicated first frame dropped, IDRs forced where it will be split,
// and AAC 48 kHz stereo exactly as long as the video.
import { sha256Text } from '../runner/hash.js';
import {
  AUDIO_ENCODE_ARGS, BITEXACT_ARGS, FPS, GLOBAL_ARGS, PIN_FRAME_PROPS, RECIPE_VERSION, SAMPLES_PER_FRAME, VIDEO_ENCODE_ARGS, VIDEO_TIMESCALE, X264_THREADS,
} from './encode-settings.js';

/** How a clip is fitted into the film's frame. */
export type Fit = 'cover' | 'contain' | 'stretch';

/** Everything that determines a normalised clip's bytes (besides the source's content). */
export interface NormalizeSpec {
  readonly input: string;
  readonly output: string;
  readonly width: number;
  readonly height: number;
  readonly fit: Fit;
  /** Frames of the normalised clip (after the drop). */
  readonly frames: number;
  /** Source frames to skip at the start: 1 for a continuity seam, else 0. */
  readonly drop: 0 | 1;
  /** IDR positions besides frame 0: the head boundary and the tail boundary (0 / `frames` = none). */
  readonly head: number;
  readonly tail: number;
  /** Whether the source has audio to carry; silent clips get their silence in the audio pass. */
  readonly audio: boolean;
}

/** Scaling (and cropping or padding) into the film's frame. */
export function fitFilter(width: number, height: number, fit: Fit): string {
  if (fit === 'cover') return `scale=${width}:${height}:force_original_aspect_ratio=increase,crop=${width}:${height}`;
  if (fit === 'stretch') return `scale=${width}:${height}`;
  return `scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2:black`;
}

/** Frame numbers that must be IDRs: 0, the end of the head and the start of the tail. */
export function idrFrames(frames: number, head: number, tail: number): number[] {
  return [...new Set([0, head, frames - tail])].filter((n) => n >= 0 && n < frames).sort((a, b) => a - b);
}

/** `-force_key_frames` expression over the output frame number `n`. */
export function keyframeExpr(frames: readonly number[]): string {
  return `expr:${frames.map((n) => `eq(n,${n})`).join('+')}`;
}

/** Cache key of a normalised clip: the source's content hash plus every setting that changes the bytes. */
export function normalizeKey(sourceSha256: string, spec: Omit<NormalizeSpec, 'input' | 'output'>): string {
  const { width, height, fit, frames, drop, head, tail, audio } = spec;
  return sha256Text(JSON.stringify({ v: RECIPE_VERSION, t: X264_THREADS, src: sourceSha256, width, height, fit, frames, drop, head, tail, audio }));
}

function videoChain(spec: NormalizeSpec): string {
  return [
    `[0:v:0]${fitFilter(spec.width, spec.height, spec.fit)}`, 'setsar=1', 'setpts=PTS-STARTPTS', `fps=${FPS}`, 'format=yuv420p', PIN_FRAME_PROPS,
    // a source a frame or two short (fps rounding) is padded with its last frame, so the length is exact
    `tpad=stop_mode=clone:stop=${FPS}`, `trim=start_frame=${spec.drop}:end_frame=${spec.drop + spec.frames}`, 'setpts=PTS-STARTPTS[v]',
  ].join(',');
}

function audioChain(spec: NormalizeSpec): string {
  // decoded AAC runs past the video (encoder padding): pad and trim to the exact video length, in samples;
  // the dropped seam frame takes its 1/30 s of audio with it
  return [
    '[0:a:0]aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo', 'asetpts=PTS-STARTPTS',
    `atrim=start_sample=${spec.drop * SAMPLES_PER_FRAME}`, 'asetpts=PTS-STARTPTS', 'apad', `atrim=end_sample=${spec.frames * SAMPLES_PER_FRAME}[a]`,
  ].join(',');
}

/** The full ffmpeg argument list for one normalisation. */
export function buildNormalizeArgs(spec: NormalizeSpec): string[] {
  const graph = [videoChain(spec), ...(spec.audio ? [audioChain(spec)] : [])].join(';');
  return [
    ...GLOBAL_ARGS, '-i', spec.input, '-filter_complex', graph,
    // no -frames:v: ffmpeg 5.1 closes EVERY stream of the output when one reaches its frame limit, so the
    // audio was cut wherever it happened to be (1 run in 8 gave other bytes); trim already makes it exact
    '-map', '[v]', ...(spec.audio ? ['-map', '[a]'] : []),
    ...VIDEO_ENCODE_ARGS, '-force_key_frames', keyframeExpr(idrFrames(spec.frames, spec.head, spec.tail)),
    ...(spec.audio ? AUDIO_ENCODE_ARGS : []), ...BITEXACT_ARGS,
    '-video_track_timescale', String(VIDEO_TIMESCALE), '-f', 'mp4', spec.output,
  ];
}
