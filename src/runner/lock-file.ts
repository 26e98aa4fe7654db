// The lock file (`<storyboard>.lock.json`): per clip its key, model, seed, prompt, task and output hash (and the frame
// it hands on under `seam_frame: sharpest`), and the film's; read and written as canonical JSON.
import { readFile } from 'node:fs/promises';
import { canonicalJson } from '../compiler/plan/plan-json.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import type { SeamFrameChoice } from './seam-frame.js';

/** What the lock records of anything paid for (a clip or a still): enough to reproduce it and to see why it would be made again. */
interface LockedOutput {
  readonly key: string;
  readonly model: string;
  readonly seed: number;
  readonly prompt: string;
  readonly actualPrompt?: string;
  readonly taskId?: string;
  readonly sha256: string;
  readonly backend: string;
}

/** What the lock records per clip; `seamFrame`: the sharpest of its last frames, handed on (`seam_frame: sharpest`). */
export interface LockedClip extends LockedOutput {
  readonly duration: number;
  readonly seamFrame?: SeamFrameChoice;
}

/** What the lock records per still, with its pixel size. */
export interface LockedStill extends LockedOutput {
  readonly width: number;
  readonly height: number;
}

/** `<storyboard>.lock.json`, meant to be committed next to the storyboard. */
export interface LockFile {
  readonly version: 1;
  readonly storyboard: string;
  readonly clips: Readonly<Record<string, LockedClip>>;
  /** Stills made or reused (absent when the storyboard has none). */
  readonly stills?: Readonly<Record<string, LockedStill>>;
  readonly film?: { readonly file: string; readonly sha256: string; readonly stitchKey: string; readonly duration: number };
}

/** The lock file path of a storyboard: `film.yaml` → `film.lock.json`. */
export function lockPathFor(storyboardPath: string): string {
  return storyboardPath.replace(/\.ya?ml$/i, '') + '.lock.json';
}

/** Reads a lock file; undefined when absent or unreadable (it is then rewritten). */
export async function readLock(path: string): Promise<LockFile | undefined> {
  try {
    const lock = JSON.parse(await readFile(path, 'utf8')) as LockFile;
    return lock.version === 1 ? lock : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the lock atomically as canonical JSON (stable diffs). */
export async function writeLock(path: string, lock: LockFile): Promise<void> {
  await writeFileAtomic(path, canonicalJson(lock));
}
