// The film's audio in one audio-only ffmpeg pass (ffmpeg-notes §3 (d) step 4, (e)): every clip's audio
// (or silence) cut into the same head/body/tail pieces as the video, sample-exact (1600 samples a frame),
// crossfaded over each transition window, concatenated, then optionally mixed with (ducked) music.
import { AUDIO_ENCODE_ARGS, BITEXACT_ARGS, GLOBAL_ARGS, SAMPLES_PER_FRAME } from './encode-settings.js';
import { pieceRanges, type ClipSpan, type Timeline } from './timeline.js';

/** Background music, with an absolute file path. */
export interface MusicSpec {
  readonly file: string;
  readonly volume: number;
  readonly fadeIn: number;
  readonly fadeOut: number;
  readonly loop: boolean;
  /** Lower the music while the clips' own audio is loud (sidechain compression keyed by the clips). */
  readonly duck: boolean;
}

/** What the audio pass needs: the timeline, each clip's source file (undefined = silent) and the music. */
interface AudioSpec {
  readonly timeline: Timeline;
  readonly files: readonly (string | undefined)[];
  readonly music?: MusicSpec;
  readonly output: string;
}

const FORMAT = 'aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo';

/** One clip's audio split into its pieces; returns the filter text and the label of each piece by role. */
function clipPieces(span: ClipSpan, input: number | undefined): { graph: string; labels: Record<string, string> } {
  const samples = span.frames * SAMPLES_PER_FRAME;
  // decoded AAC runs past the video (encoder padding), so pad and trim to the exact length; a continuity
  // seam's dropped first frame takes its 1/30 s of sound with it
  const drop = span.drop ? `,atrim=start_sample=${span.drop * SAMPLES_PER_FRAME},asetpts=PTS-STARTPTS` : '';
  const source = input === undefined ? `anullsrc=r=48000:cl=stereo,${FORMAT}` : `[${input}:a:0]${FORMAT},asetpts=PTS-STARTPTS${drop},apad`;
  const ranges = pieceRanges(span);
  const labels: Record<string, string> = {};
  const prefix = `${source},atrim=end_sample=${samples},asetpts=PTS-STARTPTS`;
  if (ranges.length === 1) {
    labels[ranges[0]?.role ?? 'body'] = `[c${span.index}]`;
    return { graph: `${prefix}[c${span.index}]`, labels };
  }
  const parts = ranges.map((r) => {
    const label = `[c${span.index}${r.role[0]}]`;
    labels[r.role] = label;
    return `[s${span.index}${r.role[0]}]atrim=start_sample=${r.start * SAMPLES_PER_FRAME}:end_sample=${r.end * SAMPLES_PER_FRAME},asetpts=PTS-STARTPTS${label}`;
  });
  return { graph: [`${prefix},asplit=${ranges.length}${ranges.map((r) => `[s${span.index}${r.role[0]}]`).join('')}`, ...parts].join(';'), labels };
}

/** Filter text for the clips' audio, ending in `[clips]`. */
function clipsGraph(spec: AudioSpec, inputs: readonly (number | undefined)[]): string {
  const graph: string[] = [];
  const order: string[] = [];
  let previousTail = '';
  for (const span of spec.timeline.clips) {
    const { graph: g, labels } = clipPieces(span, inputs[span.index]);
    graph.push(g);
    if (span.head > 0 && labels.head) {
      // tri = linear gains summing to 1, the audio twin of xfade's dissolve
      graph.push(`${previousTail}${labels.head}acrossfade=ns=${span.head * SAMPLES_PER_FRAME}:c1=tri:c2=tri[x${span.index}]`);
      order.push(`[x${span.index}]`);
    }
    if (labels.body) order.push(labels.body);
    previousTail = labels.tail ?? '';
  }
  graph.push(`${order.join('')}concat=n=${order.length}:v=0:a=1[clips]`);
  return graph.join(';');
}

/** Filter text that mixes the music under `[clips]`, ending in `[out]`. */
function musicGraph(music: MusicSpec, input: number, frames: number): string {
  const total = frames / 30;
  const fades = [
    ...(music.fadeIn > 0 ? [`afade=t=in:st=0:d=${music.fadeIn}`] : []),
    ...(music.fadeOut > 0 ? [`afade=t=out:st=${Math.max(0, total - music.fadeOut).toFixed(6)}:d=${music.fadeOut}`] : []),
  ];
  const chain = [`[${input}:a:0]${FORMAT}`, 'asetpts=PTS-STARTPTS', `atrim=end_sample=${frames * SAMPLES_PER_FRAME}`, `volume=${music.volume}`, ...fades].join(',');
  if (!music.duck) return `${chain}[music];[clips][music]amix=inputs=2:duration=first:normalize=0[out]`;
  return `${chain}[music];[clips]asplit=2[voice][key];` +
    '[music][key]sidechaincompress=threshold=0.02:ratio=10:attack=10:release=400[ducked];' +
    '[voice][ducked]amix=inputs=2:duration=first:normalize=0[out]';
}

/** The full argument list of the audio pass; inputs are read audio-only (`-vn`), so video is never decoded. */
export function buildAudioArgs(spec: AudioSpec): string[] {
  const inputs: (number | undefined)[] = [];
  const args: string[] = [...GLOBAL_ARGS];
  spec.files.forEach((file, i) => {
    if (file === undefined) return;
    inputs[i] = args.filter((a) => a === '-i').length;
    args.push('-vn', '-i', file);
  });
  const musicInput = args.filter((a) => a === '-i').length;
  if (spec.music) args.push(...(spec.music.loop ? ['-stream_loop', '-1'] : []), '-vn', '-i', spec.music.file);
  const graph = clipsGraph(spec, inputs) + (spec.music ? `;${musicGraph(spec.music, musicInput, spec.timeline.frames)}` : '');
  return [
    ...args, '-filter_complex', graph, '-map', spec.music ? '[out]' : '[clips]',
    ...AUDIO_ENCODE_ARGS, ...BITEXACT_ARGS, '-f', 'mp4', spec.output,
  ];
}
