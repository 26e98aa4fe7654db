// The film's timeline as verification needs it: which clip and which of its frames belongs at every frame of
// the assembled film, and where each transition blends two clips. Built from the same `planTimeline` the
// assembly uses, written next to the film (`<film>.timeline.json`) so `storyboard verify <film>` can check a
// film on its own. Pure, except the two small file helpers at the end.
import { readFile } from 'node:fs/promises';
import type { Join } from '../compiler/plan/types.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { FPS } from './encode-settings.js';
import type { Fit } from './normalize-args.js';
import type { Timeline } from './timeline.js';

// What verify-film.ts finds, stored in the manifest after a render (here, not there: no import cycle).

/** A continuity seam or cut, measured on the film. */
export interface SeamMeasure {
  readonly from: string;
  readonly to: string;
  readonly type: string;
  /** Film frames compared: the last one before the join and the first one after it (past any overlap). */
  readonly before: number;
  readonly after: number;
  readonly ssim: number;
}

/** A problem found; frame problems carry their film frame range. */
export interface VerifyProblem {
  readonly kind: string;
  readonly message: string;
  readonly first?: number;
  readonly last?: number;
}

/** What verification found. `ok` is false when any problem was found. */
export interface FilmVerification {
  readonly ok: boolean;
  readonly frames: { readonly expected: number; readonly decoded: number; readonly verified: number; readonly unchecked: number };
  readonly clips: readonly { readonly clip: string; readonly coded: boolean }[];
  readonly seams: readonly SeamMeasure[];
  readonly audio?: { readonly seconds: number; readonly videoSeconds: number };
  readonly problems: readonly VerifyProblem[];
}

/** One clip's place in the film. */
export interface ManifestClip {
  readonly clip: string;
  readonly sha256: string;
  /** The source clip's size and frame rate (its frame code sits where the source drew it). */
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  /** Film frames the clip spans, its overlaps included, after the frames it repeats are dropped. */
  readonly frames: number;
  /** Source frames skipped at the start: 1 after a frame seam, the carried frames of a clip continuation (`carry × 30`). */
  readonly drop: number;
  /** Source frames cut from the end, after the sharpest last frame it hands on (`seam_frame: sharpest`); absent: none. */
  readonly trim?: number;
  /** Frames blended with the previous clip (head) and the next (tail). */
  readonly head: number;
  readonly tail: number;
  /** Film frame of the clip's first frame. */
  readonly start: number;
  readonly audio: boolean;
  /** Frame-code tag the clip carries, when known (preview clips); else learned from the film. */
  readonly tag?: number;
}

/** A join between clip `index` and the next. */
export interface ManifestJoin {
  readonly index: number;
  readonly type: Join['type'];
  /** Frames of overlap (0 for cuts and frame-exact seams). */
  readonly frames: number;
  /** xfade transition of an overlap. */
  readonly transition?: string;
}

/** Everything `verifyFilm` checks a film against. */
export interface FilmManifest {
  readonly version: 1;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly frames: number;
  readonly fit: Fit;
  /** Whether the film has a sound track (some clip has audio, or music is mixed in). */
  readonly audio: boolean;
  readonly clips: readonly ManifestClip[];
  readonly joins: readonly ManifestJoin[];
  /** The film's content hash when the manifest was written (a different film is reported, not trusted). */
  readonly sha256?: string;
  /** What verifying those bytes found, recorded by `render` (an unchanged film is not decoded again). */
  readonly verification?: FilmVerification;
}

/** A clip as the manifest builder needs it. */
interface ManifestSource {
  readonly clip: string;
  readonly sha256: string;
  readonly width: number;
  readonly height: number;
  readonly fps?: number;
  readonly audio: boolean;
  readonly tag?: number;
}

/** The manifest of a film laid out by `timeline` from these clips. */
export function buildManifest(timeline: Timeline, joins: readonly Join[], clips: readonly ManifestSource[], film: { width: number; height: number; fit: Fit; audio: boolean }): FilmManifest {
  let start = 0;
  const entries = timeline.clips.map((span, i): ManifestClip => {
    const c = clips[i];
    if (!c) throw new Error(`clip ${i + 1} is missing`);
    const entry: ManifestClip = {
      clip: c.clip, sha256: c.sha256, width: c.width, height: c.height, fps: c.fps ?? FPS,
      frames: span.frames, drop: span.drop, ...(span.trim > 0 ? { trim: span.trim } : {}), head: span.head, tail: span.tail, start, audio: c.audio, ...(c.tag === undefined ? {} : { tag: c.tag }),
    };
    start += span.frames - span.tail;
    return entry;
  });
  const seams = new Map(timeline.seams.map((s) => [s.index, s]));
  const manifestJoins = joins.map((j, index): ManifestJoin => {
    const seam = seams.get(index);
    return { index, type: j.type, frames: seam?.frames ?? 0, ...(seam ? { transition: seam.transition } : {}) };
  });
  return { version: 1, width: film.width, height: film.height, fps: FPS, frames: timeline.frames, fit: film.fit, audio: film.audio, clips: entries, joins: manifestJoins };
}

/** What belongs at one film frame: one clip's frame, or two clips blended by a transition. */
export type ExpectedFrame =
  | { readonly kind: 'clip'; readonly clip: number; readonly frame: number }
  | { readonly kind: 'blend'; readonly from: number; readonly fromFrame: number; readonly to: number; readonly toFrame: number; readonly step: number; readonly steps: number; readonly transition: string };

/** Every film frame's expectation, in order (frames are the clips' own, counted after the drop). */
export function expectedFrames(manifest: FilmManifest): ExpectedFrame[] {
  const out: ExpectedFrame[] = [];
  manifest.clips.forEach((c, i) => {
    for (let k = c.head; k < c.frames - c.tail; k++) out.push({ kind: 'clip', clip: i, frame: k });
    const join = manifest.joins[i];
    const next = manifest.clips[i + 1];
    if (c.tail > 0 && join && next) {
      for (let s = 0; s < c.tail; s++) {
        out.push({ kind: 'blend', from: i, fromFrame: c.frames - c.tail + s, to: i + 1, toFrame: s, step: s, steps: c.tail, transition: join.transition ?? 'fade' });
      }
    }
  });
  return out;
}

/** The source frame (as its frame code counts) of a clip's frame `k`, for a source at `fps`. */
export function sourceFrame(clip: ManifestClip, k: number, filmFps: number): number {
  const m = k + clip.drop;
  if (clip.fps === filmFps) return m;
  // the fps filter (round=near) shows at output frame m the last source frame i whose time rounds to <= m,
  // i.e. i * filmFps / fps < m + 1/2 (integer arithmetic keeps the boundary exact)
  return Math.ceil(((2 * m + 1) * clip.fps) / (2 * filmFps)) - 1;
}

/** `<film>.timeline.json` for `<film>.mp4`. */
export function manifestPath(film: string): string {
  return film.replace(/\.mp4$/i, '') + '.timeline.json';
}

/** Writes the manifest next to the film, atomically. */
export async function writeManifest(film: string, manifest: FilmManifest): Promise<void> {
  await writeFileAtomic(manifestPath(film), JSON.stringify(manifest, null, 1) + '\n');
}

/** Reads a film's manifest; undefined when there is none. Throws on a damaged one. */
export async function readManifest(film: string): Promise<FilmManifest | undefined> {
  const text = await readFile(manifestPath(film), 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
  if (text === undefined) return undefined;
  const parsed = JSON.parse(text) as FilmManifest;
  if (parsed.version !== 1 || !Array.isArray(parsed.clips) || !Array.isArray(parsed.joins)) throw new Error(`${manifestPath(film)} is not a film timeline`);
  return parsed;
}
