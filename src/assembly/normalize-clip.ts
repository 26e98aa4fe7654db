// Makes a clip's pieces once and keeps them in a content-addressed cache: `<cacheDir>/<key>.body.mp4` and
// `<key>.seam.mp4` (the transition into the next clip), written under temp names and renamed, so a crash or
// a concurrent run never leaves a half-written entry, and recorded in `<key>.json` (each piece's size, sha256
// and frame count). Pieces are reused only while they match that record; otherwise they are encoded again.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { repair, type OnRepair } from '../diagnostics/repair.js';
import { commitFile, tempPathFor } from '../io/atomic-write.js';
import { sealFile } from '../io/file-seal.js';
import { probeMedia, runFfmpeg } from '../media/ffmpeg.js';
import type { FfmpegTools } from '../media/ffmpeg-binaries.js';
import type { ColourGrade } from '../media/colour-grade.js';
import { bodyRange, piecesKey, type FilmFrame } from './normalize-args.js';
import { buildPieceArgs } from './piece-args.js';
import { checkPieces, writePiecesRecord, type PiecesRecord, type WantedPiece } from './piece-record.js';
import type { ClipSpan } from './timeline.js';

/** A source clip: the file, its content hash and whether it has audio (and its id, for messages). */
export interface NormalizeSource {
  readonly file: string;
  readonly sha256: string;
  readonly audio: boolean;
  readonly clip?: string;
  /** Colour grade toward the clip's chain anchor, applied while normalising (its key is part of the pieces' key). */
  readonly grade?: ColourGrade;
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
  /** Hears about cached pieces that were damaged (and are encoded again). */
  readonly onRepair?: OnRepair;
}

/** The clip after this one, when a transition window joins them. */
interface NextClip {
  readonly source: NormalizeSource;
  readonly span: ClipSpan;
  readonly transition: string;
}

/** Returns the cached pieces of `source` for its place in the film, encoding them (in one process) if missing or damaged. */
export async function normalizeClip(ctx: NormalizeContext, source: NormalizeSource, span: ClipSpan, next?: NextClip): Promise<NormalizedClip> {
  const frame: FilmFrame = { width: ctx.width, height: ctx.height, fit: ctx.fit };
  const range = bodyRange(span);
  const seamNext = next && span.tail > 0 ? next : undefined;
  const nextKey = seamNext && { sha256: seamNext.source.sha256, span: seamNext.span, transition: seamNext.transition, ...(seamNext.source.grade ? { grade: seamNext.source.grade.key } : {}) };
  const key = piecesKey(source.sha256, frame, span, nextKey, source.grade?.key);
  const files = { ...(range ? { body: join(ctx.cacheDir, `${key}.body.mp4`) } : {}), ...(seamNext ? { seam: join(ctx.cacheDir, `${key}.seam.mp4`) } : {}) };
  const wanted: WantedPiece[] = [
    ...(files.body && range ? [{ name: 'body' as const, file: files.body, frames: range.end - range.start }] : []),
    ...(files.seam ? [{ name: 'seam' as const, file: files.seam, frames: span.tail }] : []),
  ];
  if (!wanted.length) return { reused: true };
  const recordPath = join(ctx.cacheDir, `${key}.json`);
  const check = await checkPieces(recordPath, wanted);
  if (check.state === 'ok') return { ...files, reused: true };
  const who = source.clip === undefined ? `clip ${span.index + 1}` : `clip \`${source.clip}\``;
  if (check.state === 'damaged') {
    for (const p of check.problems) ctx.onRepair?.(repair('cache-entry-damaged', p.file, `a cached normalized piece of ${who} (${p.file}) ${p.message}: it is encoded again from the clip`, source.clip));
  }
  await mkdir(ctx.cacheDir, { recursive: true });
  // the record goes first: pieces without a record are never used
  await rm(recordPath, { force: true });
  const tmp = tempPathFor(join(ctx.cacheDir, key));
  const piece = (n: number): string => `${tmp}-${n}.mp4`;
  try {
    await runFfmpeg(ctx.tools, buildPieceArgs({
      frame, source: source.file, span, pattern: `${tmp}-%d.mp4`, ...(range ? { body: range } : {}), ...(source.grade ? { grade: source.grade } : {}),
      ...(seamNext ? { seam: { next: seamNext.source.file, nextSpan: seamNext.span, transition: seamNext.transition, ...(seamNext.source.grade ? { grade: seamNext.source.grade } : {}) } } : {}),
    }), ctx.signal ? { signal: ctx.signal } : {});
    const record: { -readonly [K in keyof PiecesRecord]: PiecesRecord[K] } = {};
    for (const [n, p] of wanted.entries()) record[p.name] = { ...(await sealFile(piece(n))), frames: await framesOf(ctx, piece(n), p, who) };
    for (const [n, p] of wanted.entries()) await commitFile(piece(n), p.file);
    await writePiecesRecord(recordPath, record);
  } finally {
    await Promise.all([0, 1].map((n) => rm(piece(n), { force: true })));
  }
  return { ...files, reused: false };
}

/** A freshly encoded piece's frame count (its stream facts); a piece of another length is never cached. */
async function framesOf(ctx: NormalizeContext, file: string, piece: WantedPiece, who: string): Promise<number> {
  const info = await probeMedia(ctx.tools, file, ctx.signal ? { signal: ctx.signal } : {});
  const frames = info.streams.find((s) => s.codecType === 'video')?.nbFrames;
  if (frames !== piece.frames) throw new Error(`the ${piece.name} piece of ${who} came out ${frames ?? 'an unknown number of'} frames long, ${piece.frames} expected`);
  return frames;
}
