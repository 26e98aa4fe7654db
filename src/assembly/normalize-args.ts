// How a source clip becomes film frames (ffmpeg-notes §3 (d), §4): the film's size, 30 fps, yuv420p, SAR 1,
// the seam's duplicated first frame dropped, exactly `frames` long; and the cache key of the pieces a clip
// contributes: its body and the transition (seam) into the next clip. Pure.
import { sha256Text } from '../io/hash.js';
import { colourGradeFilter, type ColourGrade } from '../media/colour-grade.js';
import { FPS, PIN_FRAME_PROPS, RECIPE_VERSION, X264_THREADS } from './encode-settings.js';
import type { ClipSpan } from './timeline.js';

/** How a clip is fitted into the film's frame. */
export type Fit = 'cover' | 'contain' | 'stretch';

/** The film's frame: every clip is fitted into it. */
export interface FilmFrame {
  readonly width: number;
  readonly height: number;
  readonly fit: Fit;
}

/** Scaling (and cropping or padding) into the film's frame. */
export function fitFilter(width: number, height: number, fit: Fit): string {
  if (fit === 'cover') return `scale=${width}:${height}:force_original_aspect_ratio=increase,crop=${width}:${height}`;
  if (fit === 'stretch') return `scale=${width}:${height}`;
  return `scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2:black`;
}

/**
 * Filter chain (without input and output labels) turning a decoded source into the clip's film frames
 * `0…frames-1`: fitted, 30 fps, pinned frame props, padded by its last frame if the source is a frame or two
 * short (fps rounding), the dropped seam frame skipped, colour graded when `grade` is given. A size or fps the film already has costs nothing:
 * scale and crop pass frames through untouched, fps only renumbers them.
 */
export function clipChain(frame: FilmFrame, span: Pick<ClipSpan, 'index' | 'frames' | 'drop'>, grade?: ColourGrade): string {
  return [
    fitFilter(frame.width, frame.height, frame.fit), 'setsar=1', 'setpts=PTS-STARTPTS', `fps=${FPS}`,
    // the colour grade (toward the chain's anchor) on the fitted frames, before the frame props are pinned
    grade ? colourGradeFilter(grade, `g${span.index}`) : 'format=yuv420p', PIN_FRAME_PROPS,
    `tpad=stop_mode=clone:stop=${FPS}`, `trim=start_frame=${span.drop}:end_frame=${span.drop + span.frames}`, 'setpts=PTS-STARTPTS',
  ].join(',');
}

/** The body's frame range of a clip: what is left between its incoming and outgoing transitions. */
export function bodyRange(span: ClipSpan): { start: number; end: number } | undefined {
  const start = span.head;
  const end = span.frames - span.tail;
  return end > start ? { start, end } : undefined;
}

/** The clip after this one, joined to it by a transition window: what its seam depends on. */
interface NextSpan {
  readonly sha256: string;
  /** Key of the next clip's colour grade, when it has one. */
  readonly grade?: string;
  readonly span: ClipSpan;
  readonly transition: string;
}

/**
 * Cache key of a clip's pieces (its body and the seam into the next clip, encoded together): the sources'
 * content hashes plus every setting that changes their bytes (a colour grade by its key).
 */
export function piecesKey(sourceSha256: string, frame: FilmFrame, span: ClipSpan, next?: NextSpan, grade?: string): string {
  const seam = next && span.tail > 0 ? { src: next.sha256, frames: next.span.frames, drop: next.span.drop, transition: next.transition, ...(next.grade ? { grade: next.grade } : {}) } : null;
  const { frames, drop, head, tail } = span;
  // an ungraded clip keeps the key it always had (its cached pieces stay valid)
  return sha256Text(JSON.stringify({ v: RECIPE_VERSION, t: X264_THREADS, src: sourceSha256, ...frame, frames, drop, head, tail, seam, ...(grade ? { grade } : {}) })).slice(0, 40);
}
