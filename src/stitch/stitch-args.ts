import type { Join } from '../compiler/plan/types.js';

const FPS = 30;

/** One clip as the stitcher sees it. */
export interface StitchInput {
  readonly file: string;
  readonly frames: number;
  readonly hasAudio: boolean;
}

/** What the film is made of. */
export interface StitchSpec {
  readonly clips: readonly StitchInput[];
  /** joins[i] is between clips[i] and clips[i + 1]. */
  readonly joins: readonly Join[];
  readonly width: number;
  readonly height: number;
  readonly fit: 'cover' | 'contain' | 'stretch';
  readonly output: string;
  /** Encoder threads (default 1: the only setting measured to give the same bytes every run). */
  readonly threads?: number;
}

const XFADE: Record<string, string> = { dissolve: 'fade', fade: 'fadeblack', seam: 'fade', wipeleft: 'wipeleft', wiperight: 'wiperight', wipeup: 'wipeup', wipedown: 'wipedown' };

/** Frames each join overlaps (0 for cuts and frame-exact seams). */
export function overlapFrames(join: Join | undefined): number {
  return join && join.type !== 'cut' ? Math.round(join.duration * FPS) : 0;
}

/** Total frames of the film: clip frames less dropped seam frames and transition overlaps. */
export function filmFrames(spec: Pick<StitchSpec, 'clips' | 'joins'>): number {
  const clips = spec.clips.reduce((s, c) => s + c.frames, 0);
  return clips - spec.joins.reduce((s, j) => s + overlapFrames(j) + (j.type === 'seam' ? 1 : 0), 0);
}

function fitFilter(spec: StitchSpec): string {
  const { width: w, height: h } = spec;
  if (spec.fit === 'cover') return `scale=${w}:${h}:force_original_aspect_ratio=increase,crop=${w}:${h}`;
  if (spec.fit === 'stretch') return `scale=${w}:${h}`;
  return `scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:black`;
}

/**
 * ffmpeg arguments for the film: each clip normalised (size, 30 fps, yuv420p, AAC 48 kHz stereo padded to the
 * video's length), the duplicated first frame of a continuation dropped, and transitions made by the
 * segment-concat graph (xfade only on tail + head, one concat for everything) — never one long xfade chain.
 */
export function buildStitchArgs(spec: StitchSpec): string[] {
  const audio = spec.clips.some((c) => c.hasAudio);
  const graph: string[] = [];
  const pieces: string[] = [];
  spec.clips.forEach((clip, i) => {
    const inJoin = spec.joins[i - 1];
    const drop = inJoin?.type === 'seam' ? 1 : 0;
    const frames = clip.frames - drop;
    const head = overlapFrames(inJoin);
    const tail = overlapFrames(spec.joins[i]);
    const segments = [head > 0 ? 'h' : '', frames - head - tail > 0 ? 'b' : '', tail > 0 ? 't' : ''].filter(Boolean);
    const bounds: Record<string, [number, number]> = { h: [0, head], b: [head, frames - tail], t: [frames - tail, frames] };
    const split = (kind: 'v' | 'a', prefix: string): void => {
      if (segments.length === 1) {
        graph.push(`${prefix}[${kind}${i}${segments[0]}x]`);
        return;
      }
      const outs = segments.map((s) => `[${kind}${i}${s}]`).join('');
      graph.push(`${prefix},${kind === 'v' ? 'split' : 'asplit'}=${segments.length}${outs}`);
      {
        for (const s of segments) {
          const [a, b] = bounds[s] ?? [0, 0];
          graph.push(kind === 'v'
            ? `[${kind}${i}${s}]trim=start_frame=${a}:end_frame=${b},setpts=PTS-STARTPTS[${kind}${i}${s}x]`
            : `[${kind}${i}${s}]atrim=start=${(a / FPS).toFixed(6)}:end=${(b / FPS).toFixed(6)},asetpts=PTS-STARTPTS[${kind}${i}${s}x]`);
        }
      }
    };
    const name = (kind: 'v' | 'a', s: string): string => `[${kind}${i}${s}x]`;
    split('v', `[${i}:v]${fitFilter(spec)},setsar=1,fps=${FPS},format=yuv420p,trim=start_frame=${drop}:end_frame=${clip.frames},setpts=PTS-STARTPTS`);
    if (audio) {
      const src = clip.hasAudio ? `[${i}:a]aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,` : 'anullsrc=r=48000:cl=stereo,';
      // decoded AAC runs past the video: pad and trim to the video's exact length
      split('a', `${src}atrim=start=${(drop / FPS).toFixed(6)},asetpts=PTS-STARTPTS,apad,atrim=end=${(frames / FPS).toFixed(6)}`);
    }
    if (head > 0 && inJoin) {
      const d = (head / FPS).toFixed(6);
      graph.push(`[v${i - 1}tx]${name('v', 'h')}xfade=transition=${XFADE[inJoin.type] ?? 'fade'}:duration=${d}:offset=0,format=yuv420p,setpts=N/${FPS}/TB,trim=end_frame=${head}[x${i}v]`);
      if (audio) graph.push(`[a${i - 1}tx]${name('a', 'h')}acrossfade=d=${d}:c1=tri:c2=tri[x${i}a]`);
      pieces.push(`[x${i}v]${audio ? `[x${i}a]` : ''}`);
    }
    if (segments.includes('b')) pieces.push(`${name('v', 'b')}${audio ? name('a', 'b') : ''}`);
  });
  graph.push(`${pieces.join('')}concat=n=${pieces.length}:v=1:a=${audio ? 1 : 0}[v]${audio ? '[a]' : ''}`);
  // multi-threaded x264 after xfade gave different bytes run to run (measured: 3 of 8 differed); one thread is stable
  const threads = String(spec.threads ?? 1);
  return [
    ...spec.clips.flatMap((c) => ['-i', c.file]),
    '-filter_complex', graph.join(';'), '-map', '[v]', ...(audio ? ['-map', '[a]'] : []),
    '-frames:v', String(filmFrames(spec)),
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', '-threads', threads, '-filter_complex_threads', '1',
    ...(audio ? ['-c:a', 'aac', '-b:a', '160k', '-ar', '48000', '-ac', '2'] : []),
    '-map_metadata', '-1', '-fflags', '+bitexact', '-flags:v', '+bitexact', '-flags:a', '+bitexact', '-movflags', '+faststart',
    spec.output,
  ];
}
