// Clip continuation in the preview (issue 15): a clip sent a `first_clip` begins with that clip's frames, re-encoded
// but otherwise unchanged (their frame codes are the upstream clip's), and goes on with its new seconds rendered from
// the carried clip's exact last frame, as a first-frame clip is. Pure: the filter chains and the facts they need.
import { PREVIEW_FPS } from './preview-cards.js';
import { filter, formatNumber } from './preview-filters.js';

/** The carried clip (the `first_clip` input) as the backend probed it. */
export interface CarriedClip {
  readonly file: string;
  /** Its video frames (30 fps): the output's first `frames` frames. */
  readonly frames: number;
  /** Seconds of its video stream (where the seek for its last frame starts from). */
  readonly seconds: number;
  readonly audio: boolean;
}

/** The two inputs a carried clip is read through: the whole clip, and its last half second (for the exact last frame). */
export interface CarriedInputs {
  readonly whole: number;
  readonly tail: number;
}

/** Label of the carried clip's last frame: the first-frame picture of the new seconds. */
export const CARRIED_LAST = '[carrylast]';

const SAMPLE_RATE = 48_000;

/** Where the input for the last frame starts: half a second before the end, as `extractLastFrame` seeks. */
export function tailSeek(clip: CarriedClip): string {
  return Math.max(0, clip.seconds - 0.5).toFixed(6);
}

/**
 * The carried frames covering W×H (unchanged when the sizes agree) as `[carriedv]`, and the clip's exact last frame
 * as {@link CARRIED_LAST}: the tail input decoded in reverse, its first frame kept (only about 15 frames buffered).
 */
export function carriedVideoChains(clip: CarriedClip, inputs: CarriedInputs, size: { readonly width: number; readonly height: number }): string[] {
  const { width: w, height: h } = size;
  return [
    [
      `[${inputs.whole}:v:0]${filter('scale', { w, h, force_original_aspect_ratio: 'increase' })}`,
      filter('crop', { w, h }), 'setsar=1', filter('format', { pix_fmts: 'yuv420p' }),
      filter('trim', { end_frame: clip.frames }), `settb=1/${PREVIEW_FPS}`, `setpts=N/${PREVIEW_FPS}/TB`,
    ].join(',') + '[carriedv]',
    `[${inputs.tail}:v:0]reverse,${filter('trim', { end_frame: 1 })}${CARRIED_LAST}`,
  ];
}

/** The carried sound as `[carrieda]`, exactly as long as the carried frames: the clip's audio, or silence when it has none. */
export function carriedAudioChain(clip: CarriedClip, inputs: CarriedInputs): string {
  const samples = (clip.frames * SAMPLE_RATE) / PREVIEW_FPS;
  const format = filter('aformat', { sample_fmts: 'fltp', sample_rates: SAMPLE_RATE, channel_layouts: 'stereo' });
  const exact = [filter('apad', { whole_len: samples }), filter('atrim', { end_sample: samples }), 'asetpts=N/SR/TB'];
  const source = clip.audio
    ? `[${inputs.whole}:a:0]asetpts=PTS-STARTPTS`
    : filter('anullsrc', { r: SAMPLE_RATE, cl: 'stereo', d: formatNumber(clip.frames / PREVIEW_FPS + 0.1) });
  return [source, format, ...exact].join(',') + '[carrieda]';
}

/**
 * The new seconds are rendered one frame longer, from the carried last frame, and that first frame (the carried
 * picture itself) is dropped: the new footage moves on from the carried clip as the model's does, and its frame
 * codes count on from the carried frames (new frame i is frame carried + i of the file).
 */
export function dropStartFrame(input: string, output: string): string {
  return `${input}${filter('trim', { start_frame: 1 })},setpts=PTS-STARTPTS${output}`;
}

/** Carried then new: video `[v]` and, with sound, audio `[a]`. */
export function joinCarried(newVideo: string, newAudio: string | undefined): string[] {
  return [
    `[carriedv]${newVideo}concat=n=2:v=1:a=0[v]`,
    ...(newAudio ? [`[carrieda]${newAudio}concat=n=2:v=0:a=1[a]`] : []),
  ];
}

/** The on-screen timecode of the new seconds, counting on from the carried frames (`offset` = frames before the new part's frame 0). */
export function carriedTimecode(offset: number): string {
  return `%{pts:hms:${formatNumber(offset / PREVIEW_FPS)}}  #%{eif:n+${offset}:d:3}`;
}
