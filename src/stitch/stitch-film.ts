import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { canonicalJson } from '../compiler/plan/plan-json.js';
import type { StitchJob } from '../compiler/plan/types.js';
import { commitFile, tempPathFor } from '../runner/atomic-write.js';
import { sha256File, sha256Text } from '../runner/hash.js';
import { probeMedia, runFfmpeg } from './ffmpeg.js';
import type { FfmpegTools } from './ffmpeg-binaries.js';
import { buildStitchArgs, filmFrames, type StitchInput } from './stitch-args.js';

/** Version of the assembly recipe; part of the stitch key so a change re-assembles. */
export const STITCH_VERSION = 'segconcat-1';

/** A clip ready for assembly. */
export interface FilmClip {
  readonly clip: string;
  readonly file: string;
  readonly sha256: string;
  readonly duration: number;
  readonly width: number;
  readonly height: number;
  readonly audio: boolean;
}

/** Options for assembling a film. */
export interface StitchFilmOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (fraction: number) => void;
}

/** Identifies a film by its clips' contents and the assembly settings: the same key gives the same bytes. */
export function stitchKey(stitch: StitchJob, clips: readonly FilmClip[]): string {
  return sha256Text(canonicalJson({ v: STITCH_VERSION, clips: clips.map((c) => c.sha256), joins: stitch.joins, fit: stitch.fit, size: stitch.size ?? null })).slice(0, 32);
}

/** Assembles the clips into `output` (atomically) and returns its duration and hash. */
export async function stitchFilm(tools: FfmpegTools, stitch: StitchJob, clips: readonly FilmClip[], output: string, options: StitchFilmOptions = {}): Promise<{ duration: number; sha256: string }> {
  const first = clips[0];
  if (!first) throw new Error('there are no clips to assemble');
  const size = stitch.size ?? { width: first.width, height: first.height };
  const inputs: StitchInput[] = clips.map((c) => ({ file: c.file, frames: Math.round(c.duration * 30), hasAudio: c.audio }));
  await mkdir(dirname(output), { recursive: true });
  const tmp = tempPathFor(output) + '.mp4';
  const spec = { clips: inputs, joins: stitch.joins, width: even(size.width), height: even(size.height), fit: stitch.fit, output: tmp };
  const total = filmFrames(spec) / 30;
  try {
    await runFfmpeg(tools, buildStitchArgs(spec), {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: (p: { outTimeSeconds: number }) => options.onProgress?.(Math.min(1, p.outTimeSeconds / total)) } : {}),
    });
    const info = await probeMedia(tools, tmp);
    const duration = info.streams.find((s) => s.codecType === 'video')?.duration ?? info.duration ?? 0;
    await commitFile(tmp, output);
    return { duration, sha256: await sha256File(output) };
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

function even(n: number): number {
  return Math.max(2, Math.round(n / 2) * 2);
}
