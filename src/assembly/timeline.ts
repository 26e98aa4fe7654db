// The film's timeline in whole frames: what each normalized clip contributes (head / body / tail) and
// where the transition windows (seams) are. Pure; shared by the video and the audio assembly.
import type { Join } from '../compiler/plan/types.js';

/** xfade transition for each join type (ffmpeg-notes §3 (c')): a dissolve is xfade's `fade`, a fade goes through black. */
const XFADE: Readonly<Record<string, string>> = {
  dissolve: 'fade', fade: 'fadeblack', seam: 'fade', wipeleft: 'wipeleft', wiperight: 'wiperight', wipeup: 'wipeup', wipedown: 'wipedown',
};

/** One clip on the timeline, in frames of its normalized version (after the frames it repeats are dropped and its trimmed end). */
export interface ClipSpan {
  readonly index: number;
  /** Frames of the normalized clip. */
  readonly frames: number;
  /**
   * Source frames skipped at its start: the carried frames of a clip continuation (`ClipJob.carry.frames`, whatever
   * the join before it), else 1 when it continues the previous clip by frame (`seam`: its first frame repeats the
   * previous last frame), else 0.
   */
  readonly drop: number;
  /**
   * Source frames cut from its end: the frames after the sharpest of its last frames, which it hands on to the clip
   * continuing it (`seam_frame: sharpest`), so the film ends it on that frame; else 0.
   */
  readonly trim: number;
  /** Frames blended into the previous clip's tail (the incoming transition). */
  readonly head: number;
  /** Frames blended into the next clip's head (the outgoing transition). */
  readonly tail: number;
}

/** A transition window between clip `index` and clip `index + 1`. */
interface SeamSpan {
  readonly index: number;
  readonly frames: number;
  /** xfade transition name. */
  readonly transition: string;
}

/** A contiguous frame range of one normalized clip. */
interface PieceRange {
  readonly role: 'head' | 'body' | 'tail';
  readonly start: number;
  readonly end: number;
}

/** The whole film: clip spans, transition windows and the total length in frames. */
export interface Timeline {
  readonly clips: readonly ClipSpan[];
  readonly seams: readonly SeamSpan[];
  readonly frames: number;
}

/**
 * Lays out the film from each clip's source frame count, the joins between them, the frames each clip carries
 * from another (clip continuation; absent or 0: none) and the frames trimmed from each clip's end (`seam_frame:
 * sharpest`; absent or 0: none). Throws when a clip is too short for its two transitions (the planner clamps
 * them, so this is a bug guard).
 */
export function planTimeline(sourceFrames: readonly number[], joins: readonly Join[], carried: readonly number[] = [], trimmed: readonly number[] = []): Timeline {
  if (joins.length !== Math.max(0, sourceFrames.length - 1)) throw new Error(`${sourceFrames.length} clips need ${sourceFrames.length - 1} joins, got ${joins.length}`);
  const clips = sourceFrames.map((source, i): ClipSpan => {
    const carry = carried[i] ?? 0;
    const trim = trimmed[i] ?? 0;
    if (!Number.isInteger(carry) || carry < 0) throw new Error(`clip ${i + 1} carries ${carry} frames`);
    if (!Number.isInteger(trim) || trim < 0) throw new Error(`clip ${i + 1} has ${trim} frames trimmed`);
    // carried frames end on the previous clip's last frame: dropping them drops that duplicate too
    const drop = carry > 0 ? carry : joins[i - 1]?.type === 'seam' ? 1 : 0;
    const span = { index: i, frames: source - drop - trim, drop, trim, head: overlapFrames(joins[i - 1]), tail: overlapFrames(joins[i]) } as const;
    if (span.frames < 1 || span.head + span.tail > span.frames) {
      throw new Error(`clip ${i + 1} has ${span.frames} frames, too few for its transitions (${span.head} + ${span.tail} frames)`);
    }
    return span;
  });
  const seams = joins.flatMap((join, i): SeamSpan[] => {
    const frames = overlapFrames(join);
    return frames > 0 ? [{ index: i, frames, transition: XFADE[join.type] ?? 'fade' }] : [];
  });
  const frames = clips.reduce((sum, c) => sum + c.frames - c.tail, 0);
  return { clips, seams, frames };
}

/** The clip's pieces in order: head (if it has an incoming transition), body (if any frame is left), tail. */
export function pieceRanges(span: ClipSpan): PieceRange[] {
  const ranges: PieceRange[] = [];
  if (span.head > 0) ranges.push({ role: 'head', start: 0, end: span.head });
  if (span.frames - span.tail > span.head) ranges.push({ role: 'body', start: span.head, end: span.frames - span.tail });
  if (span.tail > 0) ranges.push({ role: 'tail', start: span.frames - span.tail, end: span.frames });
  return ranges;
}

/** Frames a join overlaps its two clips (0 for cuts and frame-exact seams). */
function overlapFrames(join: Join | undefined): number {
  return join && join.type !== 'cut' ? Math.round(join.duration * 30) : 0;
}
