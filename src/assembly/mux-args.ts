// The last step of every assembly: the concat demuxer joins the video pieces by stream copy, and the same
// process muxes the audio and the chapters in, with +faststart and no version strings (deterministic).
import { resolve } from 'node:path';
import { frameSeconds } from './encode-settings.js';

/** One file of a concat list and its length in frames (the demuxer offsets the next file by it). */
export interface ConcatEntry {
  readonly file: string;
  readonly frames: number;
}

/**
 * An ffconcat list. Paths are absolute and single-quoted (a quote inside is closed, escaped and reopened),
 * so any file name is safe with `-safe 0`. Explicit durations make the offsets exact, whatever the
 * container says about a piece's (B-frame delayed or audio-padded) duration.
 */
export function concatList(entries: readonly ConcatEntry[]): string {
  const quote = (path: string): string => `'${resolve(path).replace(/'/g, `'\\''`)}'`;
  return ['ffconcat version 1.0', ...entries.flatMap((e) => [`file ${quote(e.file)}`, `duration ${frameSeconds(e.frames)}`])].join('\n') + '\n';
}

/** What goes into the film file. */
interface MuxSpec {
  /** ffconcat list of the video pieces. */
  readonly videoList: string;
  /** `concat`: the listed files' own audio (copy path); a path: a separately rendered audio file; none: silent. */
  readonly audio?: 'concat' | string;
  /** ffmetadata file (title, chapters) and whether its chapters are wanted. */
  readonly metadata?: { readonly file: string; readonly chapters: boolean };
  /**
   * False when every piece is known to carry the same SPS/PPS: packets are then copied untouched. Otherwise
   * the demuxer repeats each file's SPS/PPS in-band at its first IDR, so an unnoticed mismatch still decodes.
   */
  readonly repeatParams?: boolean;
  readonly output: string;
}

/** Arguments for the final stream-copy mux. */
export function buildMuxArgs(spec: MuxSpec): string[] {
  const external = spec.audio !== undefined && spec.audio !== 'concat';
  const metaIndex = external ? 2 : 1;
  const audioMap = spec.audio === 'concat' ? ['-map', '0:a:0'] : external ? ['-map', '1:a:0'] : [];
  return [
    // keep the pieces' own timestamps: the concat input's start time is the first clip's AAC priming
    // (-21 ms), and ffmpeg would otherwise shift the whole film by it, starting the video 21 ms late
    '-copyts',
    '-f', 'concat', '-safe', '0', ...(spec.repeatParams === false ? ['-auto_convert', '0'] : []), '-i', spec.videoList,
    ...(external ? ['-i', spec.audio] : []),
    ...(spec.metadata ? ['-f', 'ffmetadata', '-i', spec.metadata.file] : []),
    '-map', '0:v:0', ...audioMap, '-c', 'copy',
    '-map_metadata', spec.metadata ? String(metaIndex) : '-1',
    '-map_chapters', spec.metadata?.chapters ? String(metaIndex) : '-1',
    '-fflags', '+bitexact', '-flags:v', '+bitexact', '-flags:a', '+bitexact',
    '-movflags', '+faststart', '-f', 'mp4', spec.output,
  ];
}
