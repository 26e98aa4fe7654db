// Normalises clips once and keeps them in a content-addressed cache: `<cacheDir>/<key>.mp4`, written
// through a temp file and a rename, so a crash or a concurrent run never leaves a half-written entry.
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { commitFile, tempPathFor } from '../runner/atomic-write.js';
import { runFfmpeg } from './ffmpeg.js';
import type { FfmpegTools } from './ffmpeg-binaries.js';
import { buildNormalizeArgs, normalizeKey, type Fit } from './normalize-args.js';
import type { ClipSpan } from './timeline.js';

/** A clip to normalise: the source file, its content hash and whether it has audio. */
export interface NormalizeSource {
  readonly file: string;
  readonly sha256: string;
  readonly audio: boolean;
}

/** A normalised clip in the cache. */
export interface NormalizedClip {
  readonly file: string;
  readonly audio: boolean;
  /** True when it came from the cache, false when it was encoded now. */
  readonly reused: boolean;
}

/** Settings shared by all clips of one film. */
export interface NormalizeContext {
  readonly tools: FfmpegTools;
  readonly cacheDir: string;
  readonly width: number;
  readonly height: number;
  readonly fit: Fit;
  readonly signal?: AbortSignal;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then((s) => s.isFile() && s.size > 0, () => false);
}

/** Returns the normalised version of `source` for its place in the film, encoding it only on a cache miss. */
export async function normalizeClip(ctx: NormalizeContext, source: NormalizeSource, span: ClipSpan): Promise<NormalizedClip> {
  const settings = { width: ctx.width, height: ctx.height, fit: ctx.fit, frames: span.frames, drop: span.drop, head: span.head, tail: span.tail, audio: source.audio };
  const file = join(ctx.cacheDir, `${normalizeKey(source.sha256, settings).slice(0, 40)}.mp4`);
  if (await exists(file)) return { file, audio: source.audio, reused: true };
  await mkdir(ctx.cacheDir, { recursive: true });
  const tmp = tempPathFor(file);
  try {
    await runFfmpeg(ctx.tools, buildNormalizeArgs({ ...settings, input: source.file, output: tmp }), ctx.signal ? { signal: ctx.signal } : {});
    await commitFile(tmp, file);
  } finally {
    await rm(tmp, { force: true });
  }
  return { file, audio: source.audio, reused: false };
}
