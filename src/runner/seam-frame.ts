// The frame a clip hands on under `seam_frame: sharpest`: which of its last frames it is and how sharp, as the cache
// records it beside the PNG, the runner reports it and the lock file keeps it.
import { isFileSeal, type FileSeal } from '../io/file-seal.js';

/** The sharpest of a clip's last frames, handed on to the clips continuing it by frame (the film ends the clip there). */
export interface SeamFrameChoice {
  /** Frames after it to the clip's end (0: the last frame is the sharpest; the film then keeps the whole clip). */
  readonly fromEnd: number;
  /** Its number from the clip's first frame (0-based), when the clip's frame count is known. */
  readonly index?: number;
  /** Its sharpness (variance of the Laplacian of luma at the working size, `media/sharpness.ts`) and the last frame's. */
  readonly sharpness: number;
  readonly lastSharpness: number;
}

/** What is recorded next to the PNG: the clip it came from, the PNG's seal, the choice and how many frames were looked at. */
export interface SeamFrameRecord extends FileSeal {
  readonly clipSha256: string;
  readonly of: number;
  readonly choice: SeamFrameChoice;
}

const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);

/** Whether a record read back from disk is whole (a damaged one is not used). */
export function isSeamFrameRecord(value: unknown): value is SeamFrameRecord {
  if (!isFileSeal(value)) return false;
  const v = value as unknown as Record<string, unknown>;
  const c = v.choice as Record<string, unknown> | undefined;
  return typeof v.clipSha256 === 'string' && Number.isSafeInteger(v.of) && typeof c === 'object' && c !== null
    && Number.isSafeInteger(c.fromEnd) && (c.fromEnd as number) >= 0 && (c.index === undefined || Number.isSafeInteger(c.index))
    && finite(c.sharpness) && finite(c.lastSharpness);
}

/** Sharpness scores as recorded: two decimals (the lock file stays readable and stable). */
export function roundScore(score: number): number {
  return Math.round(score * 100) / 100;
}
