// ffmpeg arguments for one clip's video pieces, straight from the sources in ONE process: the clip's body,
// then the transition window (seam) into the next clip, blended from this clip's last frames and the next
// clip's first ones (ffmpeg-notes §3 (c')). One x264 encodes both, an IDR forced where the seam starts, and
// the segment muxer writes them as two files that are copied into the film as they are: no frame of the
// film is encoded twice, and one encoder per process keeps its memory at ~300 MB (two would take ~450).
import { BITEXACT_ARGS, DECODE_ARGS, frameSeconds, GLOBAL_ARGS, PIN_FRAME_PROPS, segmentArgs, VIDEO_ENCODE_ARGS } from './encode-settings.js';
import type { ColourGrade } from '../media/colour-grade.js';
import { clipChain, type FilmFrame } from './normalize-args.js';
import type { ClipSpan } from './timeline.js';

/** The transition into the next clip: its source and span, and the xfade transition. */
interface SeamInput {
  readonly next: string;
  readonly nextSpan: ClipSpan;
  readonly transition: string;
  /** The next clip's colour grade. */
  readonly grade?: ColourGrade;
}

/** One clip's pieces: its body's frame range (if it has one), its seam (if one follows), the output pattern. */
interface PieceJob {
  readonly frame: FilmFrame;
  readonly source: string;
  readonly span: ClipSpan;
  readonly body?: { readonly start: number; readonly end: number };
  readonly seam?: SeamInput;
  /** This clip's colour grade toward its chain's anchor. */
  readonly grade?: ColourGrade;
  /** Output files, `%d` = piece number: 0 the body (or the seam when there is no body), 1 the seam. */
  readonly pattern: string;
}

/**
 * Transitions whose formula is the same on every plane at the plane's own size: xfade runs on the three
 * planes of yuv420p as gray images, with no conversion to 4:4:4 and back (3 swscale passes a frame, about
 * a third of a seam's filtering); the luma is bit-identical to the 4:4:4 path. fadeblack needs neutral chroma.
 */
const PLANAR = new Set(['fade', 'wipeleft', 'wiperight', 'wipeup', 'wipedown']);

/** Filter text blending `[tail]` into `[head]` over `frames` frames, ending in `[seam]`. */
function seamFilter(transition: string, frames: number): string {
  const xfade = `xfade=transition=${transition}:duration=${frameSeconds(frames)}:offset=0`;
  // xfade's output timestamps are a frame off (ffmpeg-notes §3 (c)): renumber and cut to the exact length;
  // SAR and frame props pinned again so the seam's SPS is byte-identical to the bodies'
  const tail = `setsar=1,${PIN_FRAME_PROPS},setpts=N/30/TB,trim=end_frame=${frames}[seam]`;
  if (!PLANAR.has(transition)) return `[tail][head]${xfade},format=yuv420p,${tail}`;
  const planes = ['y', 'u', 'v'];
  return [
    `[tail]extractplanes=y+u+v${planes.map((p) => `[t${p}]`).join('')}`, `[head]extractplanes=y+u+v${planes.map((p) => `[h${p}]`).join('')}`,
    ...planes.map((p) => `[t${p}][h${p}]${xfade}[x${p}]`), `${planes.map((p) => `[x${p}]`).join('')}mergeplanes=0x001020:yuv420p,${tail}`,
  ].join(';');
}

function graph(job: PieceJob): string {
  const { span, body, seam } = job;
  const outs = [...(body ? ['[b]'] : []), ...(seam ? ['[t]'] : [])];
  const parts = [`[0:v:0]${clipChain(job.frame, span, job.grade)}${outs.length > 1 ? `,split=2${outs.join('')}` : outs[0]}`];
  if (body) parts.push(`[b]trim=start_frame=${body.start}:end_frame=${body.end},setpts=PTS-STARTPTS[body]`);
  if (seam) {
    parts.push(`[t]trim=start_frame=${span.frames - span.tail},setpts=PTS-STARTPTS[tail]`);
    // the next clip is read only as far as its head: ffmpeg stops decoding an input nothing asks for
    parts.push(`[1:v:0]${clipChain(job.frame, seam.nextSpan, seam.grade)},trim=end_frame=${span.tail},setpts=PTS-STARTPTS[head]`);
    parts.push(seamFilter(seam.transition, span.tail));
  }
  return parts.join(';');
}

/** The full ffmpeg argument list for one clip's pieces; throws when there is nothing to encode. */
export function buildPieceArgs(job: PieceJob): string[] {
  if (!job.body && !job.seam) throw new Error(`clip ${job.span.index + 1}: no piece to encode`);
  if (job.seam && job.span.tail < 1) throw new Error(`clip ${job.span.index + 1}: a seam needs a transition window`);
  const bodyFrames = job.body ? job.body.end - job.body.start : 0;
  const both = bodyFrames > 0 && job.seam !== undefined;
  // the seam follows the body in the source's order, so concat never waits on frames held elsewhere
  const joined = both ? ';[body][seam]concat=n=2:v=1:a=0,setpts=N/30/TB[v]' : '';
  return [
    ...GLOBAL_ARGS, ...DECODE_ARGS, '-i', job.source, ...(job.seam ? [...DECODE_ARGS, '-i', job.seam.next] : []),
    '-filter_complex', graph(job) + joined, '-map', both ? '[v]' : job.body ? '[body]' : '[seam]',
    ...VIDEO_ENCODE_ARGS, ...(both ? ['-force_key_frames', `expr:eq(n,0)+eq(n,${bodyFrames})`] : []),
    ...BITEXACT_ARGS, ...segmentArgs(both ? [bodyFrames] : [], job.pattern),
  ];
}
