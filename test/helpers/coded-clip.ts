// Source clips that carry frame codes, made the way the Wan models deliver theirs (libx264 High, yuv420p,
// x264's default keyint 250 with B-frames, AAC 48 kHz stereo or no sound), so a film stitched from them can be
// verified frame by frame (STYLE.md "Proving media"). Each clip's picture comes from a lavfi source; clips of
// a continuity chain cut consecutive, overlapping frame ranges out of one shared source, so clip B's first
// frame is exactly clip A's last (the duplicate the stitcher drops at a `seam`). Generated once per
// parameters and test process.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeCell, codeTag, frameCodeChains } from '../../src/media/frame-code.js';
import { runFfmpeg } from '../../src/media/ffmpeg.js';
import type { FfmpegTools } from '../../src/media/ffmpeg-binaries.js';
import type { FilmClip } from '../../src/assembly/stitch-film.js';
import { sha256File, sha256Text } from '../../src/io/hash.js';

/** Where a clip's picture comes from: a lavfi pattern, turned by `hue` degrees (testsrc2 moves, bars do not). */
export interface CodedPicture {
  readonly source: 'testsrc2' | 'smptebars' | 'rgbtestsrc' | 'yuvtestsrc' | 'pal100bars';
  readonly hue?: number;
  /** First frame of the source used (a chain's clips overlap by one frame). */
  readonly from?: number;
}

/** One source clip: its id (the frame-code tag is derived from it), size, rate, length, picture and sound. */
export interface CodedClipSpec {
  readonly clip: string;
  readonly width: number;
  readonly height: number;
  readonly fps: 24 | 25 | 30;
  readonly frames: number;
  readonly picture: CodedPicture;
  /** Sine frequency of the clip's sound; undefined for a silent clip (no audio stream at all). */
  readonly tone?: number;
}

let scratch: Promise<string> | undefined;
const made = new Map<string, Promise<FilmClip>>();

/** The clip's frame-code tag. */
export function clipTag(clip: string): number {
  return codeTag(clip);
}

function videoGraph(spec: CodedClipSpec): string {
  const { width, height, fps, frames, picture } = spec;
  const from = picture.from ?? 0;
  const source = [
    `${picture.source}=s=${width}x${height}:r=${fps}`,
    ...(picture.hue ? [`hue=h=${picture.hue}`] : []),
    `trim=start_frame=${from}:end_frame=${from + frames}`, 'setpts=PTS-STARTPTS', 'format=yuv420p', 'setsar=1',
    // one model writes the same colour tags on every clip (smptebars would tag its own, changing the SPS)
    'setparams=range=tv:color_primaries=unknown:color_trc=unknown:colorspace=unknown',
  ].join(',');
  return [`${source}[src]`, ...frameCodeChains('[src]', '[v]', { tag: clipTag(spec.clip), width, height })].join(';');
}

async function generate(tools: FfmpegTools, spec: CodedClipSpec): Promise<FilmClip> {
  if (codeCell(spec.width, spec.height) * 28 > spec.width) throw new Error(`${spec.clip}: ${spec.width}×${spec.height} is too narrow for the frame code`);
  const dir = await (scratch ??= mkdtemp(join(tmpdir(), 'sb-coded-')));
  const file = join(dir, `${spec.clip}-${sha256Text(JSON.stringify(spec)).slice(0, 12)}.mp4`);
  const seconds = spec.frames / spec.fps;
  const audio = spec.tone === undefined ? [] : ['-f', 'lavfi', '-t', seconds.toFixed(6), '-i', `sine=f=${spec.tone}:r=48000`];
  await runFfmpeg(tools, [
    ...audio, '-filter_complex', videoGraph(spec), '-map', '[v]', ...(audio.length ? ['-map', '0:a'] : []),
    // no -frames:v: ffmpeg 5.1 then closes the audio too, wherever it happens to be; trim makes the length exact
    '-r', String(spec.fps),
    // Wan-like: x264 High with its default GOP (keyint 250, B-frames), no forced keyframes
    '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-threads', '2',
    ...(audio.length ? ['-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2'] : []),
    '-y', file,
  ]);
  return {
    clip: spec.clip, file, sha256: await sha256File(file), duration: seconds, width: spec.width, height: spec.height,
    audio: spec.tone !== undefined, fps: spec.fps, tag: clipTag(spec.clip),
  };
}

/** The clip for these parameters, generated on first use in this process. */
export function codedClip(tools: FfmpegTools, spec: CodedClipSpec): Promise<FilmClip> {
  const key = JSON.stringify(spec);
  let clip = made.get(key);
  if (!clip) {
    clip = generate(tools, spec);
    made.set(key, clip);
  }
  return clip;
}

/** A continuity chain's specs: each clip starts on the previous clip's last frame of the same moving source. */
export function chainSpecs(prefix: string, base: Omit<CodedClipSpec, 'clip' | 'frames' | 'picture' | 'tone'>, lengths: readonly number[], tones: readonly (number | undefined)[], hue = 0): CodedClipSpec[] {
  let from = 0;
  return lengths.map((frames, i) => {
    const spec: CodedClipSpec = { ...base, clip: `${prefix}${i + 1}`, frames, picture: { source: 'testsrc2', hue, from }, ...(tones[i] === undefined ? {} : { tone: tones[i] }) };
    from += frames - 1;
    return spec;
  });
}
