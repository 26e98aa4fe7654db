// What the copy path needs to know about each clip, from ffprobe (cached by content hash) or from the
// caller, and the test that decides whether the clips can be joined by stream copy at all.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
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

/** Probes `file` once per content hash: the facts are kept as `<dir>/<sha256>.json`. */
export async function clipFacts(tools: FfmpegTools, file: string, sha256: string, dir: string, signal?: AbortSignal): Promise<ClipMediaFacts | undefined> {
  const cached = join(dir, `${sha256}.json`);
  const known = await readFile(cached, 'utf8').then((t) => JSON.parse(t) as ClipMediaFacts, () => undefined);
  if (known) return known;
  const facts = factsFromProbe(await probeMedia(tools, file, signal ? { signal } : {}));
  if (facts) {
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(cached, JSON.stringify(facts));
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
