// Makes a clip's pieces once and keeps them in a content-addressed cache: `<cacheDir>/<key>.body.mp4` and
// `<key>.seam.mp4` (the transition into the next clip), written under temp names and renamed, so a crash or
// a concurrent run never leaves a half-written entry. An entry missing a piece is encoded again whole.
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { commitFile, tempPathFor } from '../io/atomic-write.js';
import { runFfmpeg } from '../media/ffmpeg.js';
import type { FfmpegTools } from '../media/ffmpeg-binaries.js';
import { bodyRange, piecesKey, type FilmFrame } from './normalize-args.js';
import { buildPieceArgs } from './piece-args.js';
import type { ClipSpan } from './timeline.js';

/** A source clip: the file, its content hash and whether it has audio. */
export interface NormalizeSource {
  readonly file: string;
  readonly sha256: string;
  readonly audio: boolean;
}

/** A clip's pieces in the cache (absent when the clip has no body, or no transition out). */
export interface NormalizedClip {
  readonly body?: string;
  readonly seam?: string;
  /** True when every piece came from the cache, false when something was encoded now. */
  readonly reused: boolean;
}

/** Settings shared by all clips of one film. */
interface NormalizeContext extends FilmFrame {
  readonly tools: FfmpegTools;
  readonly cacheDir: string;
  readonly signal?: AbortSignal;
}

/** The clip after this one, when a transition window joins them. */
interface NextClip {
  readonly source: NormalizeSource;
  readonly span: ClipSpan;
  readonly transition: string;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then((s) => s.isFile() && s.size > 0, () => false);
}

/** Returns the cached pieces of `source` for its place in the film, encoding them (in one process) if missing. */
export async function normalizeClip(ctx: NormalizeContext, source: NormalizeSource, span: ClipSpan, next?: NextClip): Promise<NormalizedClip> {
  const frame: FilmFrame = { width: ctx.width, height: ctx.height, fit: ctx.fit };
  const range = bodyRange(span);
  const seamNext = next && span.tail > 0 ? next : undefined;
  const key = piecesKey(source.sha256, frame, span, seamNext && { sha256: seamNext.source.sha256, span: seamNext.span, transition: seamNext.transition });
  const files = { ...(range ? { body: join(ctx.cacheDir, `${key}.body.mp4`) } : {}), ...(seamNext ? { seam: join(ctx.cacheDir, `${key}.seam.mp4`) } : {}) };
  const wanted = [files.body, files.seam].filter((f): f is string => f !== undefined);
  if (!wanted.length) return { reused: true };
  if ((await Promise.all(wanted.map(exists))).every(Boolean)) return { ...files, reused: true };
  await mkdir(ctx.cacheDir, { recursive: true });
  const tmp = tempPathFor(join(ctx.cacheDir, key));
  const piece = (n: number): string => `${tmp}-${n}.mp4`;
  try {
    await runFfmpeg(ctx.tools, buildPieceArgs({
      frame, source: source.file, span, pattern: `${tmp}-%d.mp4`, ...(range ? { body: range } : {}),
      ...(seamNext ? { seam: { next: seamNext.source.file, nextSpan: seamNext.span, transition: seamNext.transition } } : {}),
    }), ctx.signal ? { signal: ctx.signal } : {});
    // the seam last: an entry counts only once all its pieces are in place
    for (const [n, file] of wanted.entries()) await commitFile(piece(n), file);
  } finally {
    await Promise.all([0, 1].map((n) => rm(piece(n), { force: true })));
  }
  return { ...files, reused: false };
}
