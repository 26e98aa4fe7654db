// What the copy path needs to know about each clip, from ffprobe (cached by content hash) or from the
// caller, and the test that decides whether the clips can be joined by stream copy at all. The facts file
// carries its own hash, so a damaged one is probed again instead of steering the copy decision.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repair, type OnRepair } from '../diagnostics/repair.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { sha256Text } from '../io/hash.js';
import { probeMedia, videoStreamDuration, type MediaInfo } from '../media/ffmpeg.js';
import type { FfmpegTools } from '../media/ffmpeg-binaries.js';
import { FPS, SAMPLE_RATE } from './encode-settings.js';

/** Stream facts of one clip; the caller may pass them in so that the copy path needs no probing. */
export interface ClipMediaFacts {
  readonly videoCodec: string;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly pixFmt: string;
  /** Sample aspect ratio as a number (1 = square pixels; unknown counts as square). */
  readonly sar: number;
  /** Fingerprint of the decoder configuration (ffprobe's extradata hash): copied clips must agree. */
  readonly videoParams?: string;
  readonly videoDuration: number;
  readonly audioCodec?: string;
  readonly sampleRate?: number;
  readonly channels?: number;
  readonly audioParams?: string;
  readonly audioDuration?: number;
}

/** The facts of a probed file; undefined when it has no video stream. */
function factsFromProbe(info: MediaInfo): ClipMediaFacts | undefined {
  const v = info.streams.find((s) => s.codecType === 'video' && !s.attachedPic);
  const a = info.streams.find((s) => s.codecType === 'audio');
  if (!v) return undefined;
  return {
    videoCodec: v.codecName ?? '', width: v.width ?? 0, height: v.height ?? 0, fps: v.frameRate ?? 0, pixFmt: v.pixFmt ?? '',
    sar: v.sampleAspectRatio ?? 1, videoDuration: videoStreamDuration(info) ?? 0,
    ...(v.extradataHash ? { videoParams: `${v.profile ?? ''}|${v.extradataHash}` } : {}),
    ...(a ? { audioCodec: a.codecName ?? '', sampleRate: a.sampleRate ?? 0, channels: a.channels ?? 0, audioDuration: a.duration ?? 0 } : {}),
    ...(a?.extradataHash ? { audioParams: `${a.profile ?? ''}|${a.extradataHash}` } : {}),
  };
}

/** Options of {@link clipFacts}. */
interface ClipFactsOptions {
  readonly signal?: AbortSignal;
  /** Hears about a damaged facts file (probed again). */
  readonly onRepair?: OnRepair;
}

/** What `<sha256>.json` holds: the facts and their own hash, so a damaged file is told from a valid one. */
interface FactsRecord {
  readonly facts: ClipMediaFacts;
  readonly sha256: string;
}

/** The recorded facts when the record is intact; `damaged` when it is there but does not check out. */
async function readFacts(path: string): Promise<ClipMediaFacts | 'absent' | 'damaged'> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return 'absent';
  try {
    const record = JSON.parse(text) as Partial<FactsRecord> | null;
    // bare facts, as versions before the record wrote them: probed again, nothing is wrong
    if (typeof record !== 'object' || record === null || !('sha256' in record)) return typeof record === 'object' && record !== null && 'videoCodec' in record ? 'absent' : 'damaged';
    return record.facts && record.sha256 === sha256Text(JSON.stringify(record.facts)) ? record.facts : 'damaged';
  } catch {
    return 'damaged';
  }
}

/**
 * Probes `file` once per content hash: the facts are kept as `<dir>/<sha256>.json` with their own hash, and
 * probed again when that file does not check out.
 */
export async function clipFacts(tools: FfmpegTools, file: string, sha256: string, dir: string, options: ClipFactsOptions = {}): Promise<ClipMediaFacts | undefined> {
  const cached = join(dir, `${sha256}.json`);
  const known = await readFacts(cached);
  if (typeof known === 'object') return known;
  if (known === 'damaged') options.onRepair?.(repair('cache-entry-damaged', cached, `the cached probe facts of ${file} (${cached}) do not match their recorded hash: the clip is probed again`));
  const facts = factsFromProbe(await probeMedia(tools, file, options.signal ? { signal: options.signal } : {}));
  if (facts) {
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(cached, JSON.stringify({ facts, sha256: sha256Text(JSON.stringify(facts)) } satisfies FactsRecord));
  }
  return facts;
}

/** The film's frame, and whether music is mixed in (which always needs an audio render). */
interface CopyTarget {
  readonly width: number;
  readonly height: number;
  readonly music: boolean;
}

function clipBlocker(f: ClipMediaFacts, target: CopyTarget): string | undefined {
  if (f.videoCodec !== 'h264') return `video codec ${f.videoCodec}`;
  if (f.width !== target.width || f.height !== target.height) return `size ${f.width}x${f.height}`;
  if (Math.abs(f.fps - FPS) > 1e-6) return `${f.fps} fps`;
  if (f.pixFmt !== 'yuv420p') return `pixel format ${f.pixFmt}`;
  if (Math.abs(f.sar - 1) > 1e-6) return `sample aspect ratio ${f.sar}`;
  if (f.audioCodec === undefined) return undefined;
  if (f.audioCodec !== 'aac' || f.sampleRate !== SAMPLE_RATE || f.channels !== 2) return `audio ${f.audioCodec} ${f.sampleRate} Hz ${f.channels} ch`;
  // audio much longer or shorter than the video would shift every later clip's sound
  if (f.audioDuration !== undefined && Math.abs(f.audioDuration - f.videoDuration) > 1 / FPS) return `audio ${f.audioDuration} s against video ${f.videoDuration} s`;
  return undefined;
}

/**
 * Why the clips cannot simply be stream-copied together (undefined when they can): every clip must be
 * H.264 at the film's size, 30 fps, yuv420p, square pixels, with the same decoder configuration, and
 * either all with AAC 48 kHz stereo or all silent; and there must be no music to mix in.
 */
export function copyBlocker(facts: readonly (ClipMediaFacts | undefined)[], target: CopyTarget): string | undefined {
  if (target.music) return 'music is mixed in';
  const missing = facts.findIndex((f) => f === undefined);
  if (missing >= 0) return `clip ${missing + 1} could not be probed`;
  const all = facts as readonly ClipMediaFacts[];
  for (const [i, f] of all.entries()) {
    const why = clipBlocker(f, target);
    if (why) return `clip ${i + 1}: ${why}`;
  }
  if (new Set(all.map((f) => f.audioCodec !== undefined)).size > 1) return 'some clips have audio and some do not';
  // the concat demuxer keeps only the first file's SPS/PPS: the others must be the same
  if (new Set(all.map((f) => f.videoParams ?? '')).size > 1) return 'the clips were encoded with different H.264 parameters';
  if (new Set(all.map((f) => f.audioParams ?? '')).size > 1) return 'the clips were encoded with different AAC parameters';
  return undefined;
}
