// ffmpeg arguments for the video pieces of a smart assembly: splitting normalised clips at their IDRs by
// stream copy, and encoding the transition windows (seams) with the normalisation's exact x264 settings.
import { BITEXACT_ARGS, frameSeconds, GLOBAL_ARGS, PIN_FRAME_PROPS, segmentArgs, VIDEO_ENCODE_ARGS } from './encode-settings.js';
import { keyframeExpr } from './normalize-args.js';

/** One normalised clip to split: where (frame numbers, all IDRs) and the output pattern (`…-%d.mp4`). */
export interface SplitJob {
  readonly input: string;
  readonly splitFrames: readonly number[];
  readonly pattern: string;
}

/** One transition window: the outgoing clip's tail piece, the incoming clip's head piece, both `frames` long. */
export interface SeamJob {
  readonly tail: string;
  readonly head: string;
  readonly frames: number;
  readonly transition: string;
}

/**
 * Splits several normalised clips in one process (stream copy of the video only; audio is rendered apart).
 * Copying needs no decoder, so a handful of inputs per process costs little memory.
 */
export function buildSplitArgs(jobs: readonly SplitJob[]): string[] {
  return [
    ...jobs.flatMap((j) => ['-i', j.input]),
    ...jobs.flatMap((j, k) => ['-map', `${k}:v:0`, '-c', 'copy', ...BITEXACT_ARGS, ...segmentArgs(j.splitFrames, j.pattern)]),
  ];
}

/** Running frame offsets of consecutive windows: where each seam starts in the batch's single output. */
export function seamStarts(seams: readonly Pick<SeamJob, 'frames'>[]): number[] {
  const starts: number[] = [];
  seams.reduce((at, s) => (starts.push(at), at + s.frames), 0);
  return starts;
}

function seamChain(seam: SeamJob, k: number): string {
  // xfade's output timestamps are a frame off and it works in 4:4:4 (ffmpeg-notes §3 (c)): back to
  // yuv420p, renumber the frames and cut the window to its exact length
  return `[${2 * k}:v:0]setpts=PTS-STARTPTS[t${k}];[${2 * k + 1}:v:0]setpts=PTS-STARTPTS[h${k}];` +
    `[t${k}][h${k}]xfade=transition=${seam.transition}:duration=${frameSeconds(seam.frames)}:offset=0,` +
    `format=yuv420p,${PIN_FRAME_PROPS},setpts=N/30/TB,trim=end_frame=${seam.frames}[x${k}]`;
}

/**
 * Encodes a batch of seams in ONE process with ONE x264 instance: the windows are concatenated, IDRs are
 * forced where each starts, and the segment muxer cuts the stream back into one file per seam
 * (`pattern` with %d = position in the batch). One encoder keeps memory flat however many seams there are;
 * the caller bounds the batch size because every input keeps its decoder until the process ends.
 */
export function buildSeamArgs(seams: readonly SeamJob[], pattern: string): string[] {
  const starts = seamStarts(seams);
  const joined = seams.length > 1 ? `;${seams.map((_, k) => `[x${k}]`).join('')}concat=n=${seams.length}:v=1:a=0,setpts=N/30/TB[v]` : '';
  const graph = seams.map(seamChain).join(';') + joined;
  return [
    ...GLOBAL_ARGS,
    // a 15-frame input decodes fast on one thread, and a frame-threaded decoder holds more frames in memory
    ...seams.flatMap((s) => ['-threads', '1', '-i', s.tail, '-threads', '1', '-i', s.head]),
    '-filter_complex', graph, '-map', seams.length > 1 ? '[v]' : '[x0]',
    ...VIDEO_ENCODE_ARGS, '-force_key_frames', keyframeExpr(starts), ...BITEXACT_ARGS, ...segmentArgs(starts.slice(1), pattern),
  ];
}
