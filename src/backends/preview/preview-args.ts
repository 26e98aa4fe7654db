// The ffmpeg command of a preview clip (an animatic): argument array plus the text files drawtext reads.
// Pure: no fs, no spawning; the backend writes the files and runs the command. The graph is built in
// preview-graph.ts: a still gradient with each shot's text drawn once and looped (no images), or a
// 10 fps zoompan over the first-frame image with the text as a pre-drawn layer, an alpha fade into the
// last-frame image, then repeated to 30 fps; timecode and progress bar drawn on every frame.
//
// Measured with bench/preview.ts (Debian ffmpeg 5.1, 2 cores shared with other jobs, so absolute numbers
// move ±25 % between runs; the ratio to the bare encode measured in the same run moves less). 10 s clips
// with audio, seconds of video per wall second, three runs:
//   720p  no images 11–13 ×, first frame 7–9 ×, first + last 6–8 ×   (ratio to bare encode 1.3–1.9 / 2.1–2.4 / 2.5–2.6)
//   1080p no images 5–6 ×,   first frame 3.4–4.2 ×, first + last 3.3–4.2 ×   (ratio 1.4–1.7 / 2.1–2.6 / 2.1–2.9)
//   bare `color` + libx264 ultrafast: 720p 15–22 ×, 1080p 7–11 ×.
//   720p over a first frame, 4 clips two at a time (the default concurrency): 11 × (8 × one at a time).
// What it took (each measured on its own): libx264 ultrafast; aac -aac_coder fast (the default twoloop
// coder spent 70 ms per second of audio, 4× more); text over moving images drawn once per shot onto a
// transparent layer and overlaid (per-frame drawtext cost 1.3 ms a frame at 720p, the overlay 0.4 ms);
// moving images at 10 fps repeated 3× (zoompan, overlays and x264 do a third of the work: −0.25 s a clip);
// a 4×4 geq gradient scaled up once instead of `gradients` per frame.
import { join } from 'node:path';
import { codeTag, frameCodeChains } from '../../media/frame-code.js';
import type { ClipJob } from '../../compiler/plan/types.js';
import type { ResolvedInput } from '../backend.js';
import { PREVIEW_FPS, previewCards, type PreviewCard, type ResolvedInputs } from './preview-cards.js';
import { CARRIED_LAST, carriedAudioChain, carriedTimecode, carriedVideoChains, dropStartFrame, joinCarried, tailSeek, type CarriedClip } from './preview-carry.js';
import { previewPalette, type PreviewPalette } from './preview-colors.js';
import type { PreviewDrift } from './preview-drift.js';
import { filter, formatNumber, type OverlayGate } from './preview-filters.js';
import { type CardFiles, type GraphContext, videoGraph } from './preview-graph.js';
import { previewLayout, type PreviewLayout } from './preview-layout.js';
import { referenceCaption, referenceStripLayout, type StripGraph } from './preview-references.js';
import { thumbnailChain } from './preview-thumbs.js';

/** Fixed encoder settings: part of what makes two renders byte-identical (x264 writes them into the stream). */
const PREVIEW_ENCODER = { preset: 'ultrafast', crf: 23, ipratio: 4, threads: 2, audioBitrate: '128k' } as const;
const SAMPLE_RATE = 48_000;
/** Overlays stay off the first/last frames when those are images, so chained clips join seamlessly. */
const FADE_FRAMES = 15;
/** The crossfade into a last-frame image lasts up to 1.5 s. */
const BLEND_FRAMES = 45;
const TONE_VOLUME = 0.08;
/** The on-screen timecode: time and frame number in the clip. */
const TIMECODE = '%{pts:hms}  #%{eif:n:d:3}';

/** What the command is built from. */
interface PreviewArgsInput {
  readonly job: ClipJob;
  readonly key: string;
  readonly inputs: ResolvedInputs;
  readonly fonts: { readonly sans: string; readonly mono: string };
  /** Directory the text files will be written to. */
  readonly textDir: string;
  readonly outFile: string;
  /** Simulated drift over a first-frame image (absent: none). */
  readonly drift?: PreviewDrift;
  /** The `first_clip` of a continued clip, probed: the output begins with its frames. */
  readonly carried?: CarriedClip;
}

/** A text file drawtext reads (path inside textDir, UTF-8 content). */
interface PreviewTextFile {
  readonly path: string;
  readonly content: string;
}

/** The ffmpeg arguments (after runFfmpeg's own `-hide_banner -nostdin -y`) and the files to write first. */
interface PreviewCommand {
  readonly args: string[];
  readonly files: PreviewTextFile[];
  readonly frames: number;
  readonly filterGraph: string;
}

const localFile = (input: ResolvedInput | undefined): string | undefined => (input && 'file' in input ? input.file : undefined);

/** The audio track: the supplied file or a quiet tone, exactly as long as the video, 48 kHz stereo. */
function audioGraph(index: number | undefined, frames: number, palette: PreviewPalette, out: string): string {
  const samples = (frames * SAMPLE_RATE) / PREVIEW_FPS;
  const seconds = formatNumber(frames / PREVIEW_FPS);
  const format = filter('aformat', { sample_fmts: 'fltp', sample_rates: SAMPLE_RATE, channel_layouts: 'stereo' });
  const exact = [filter('apad', { whole_len: samples }), filter('atrim', { end_sample: samples }), 'asetpts=N/SR/TB'];
  if (index !== undefined) return [`[${index}:a:0]asetpts=PTS-STARTPTS`, format, ...exact].join(',') + out;
  const edge = Math.min(0.05, frames / PREVIEW_FPS / 4);
  return [
    filter('sine', { frequency: palette.toneHz, sample_rate: SAMPLE_RATE, duration: seconds }),
    filter('volume', { volume: TONE_VOLUME }),
    format,
    filter('afade', { t: 'in', d: formatNumber(edge) }),
    filter('afade', { t: 'out', st: formatNumber(frames / PREVIEW_FPS - edge), d: formatNumber(edge) }),
    ...exact,
  ].join(',') + out;
}

/** Overlays are off for the first FADE_FRAMES over a first image, and gone shortly into the blend into a last image. */
function overlayGate(frames: number, hasFirst: boolean, blendFrames: number | undefined): OverlayGate | undefined {
  if (!hasFirst && blendFrames === undefined) return undefined;
  const from = hasFirst ? Math.min(FADE_FRAMES, frames - 1) : 0;
  const to = blendFrames === undefined ? frames : Math.max(from + 1, frames - blendFrames + FADE_FRAMES);
  return { from, to, fadeIn: hasFirst ? FADE_FRAMES : 0, fadeOut: blendFrames === undefined ? 0 : FADE_FRAMES };
}

function textFiles(cards: readonly PreviewCard[], textDir: string, timecode = TIMECODE): { cards: CardFiles[]; files: PreviewTextFile[]; timecodeFile: string } {
  const files: PreviewTextFile[] = [];
  const withFiles = cards.map((card, i) => {
    const headerFile = join(textDir, `card${i}-header.txt`);
    const bodyFile = join(textDir, `card${i}-body.txt`);
    files.push({ path: headerFile, content: card.header }, { path: bodyFile, content: card.body });
    return { ...card, headerFile, bodyFile };
  });
  const timecodeFile = join(textDir, 'timecode.txt');
  files.push({ path: timecodeFile, content: timecode });
  return { cards: withFiles, files, timecodeFile };
}

function outputArgs(hasAudio: boolean, frames: number, outFile: string): string[] {
  const e = PREVIEW_ENCODER;
  return [
    '-map', '[v]', ...(hasAudio ? ['-map', '[a]'] : []),
    '-c:v', 'libx264', '-preset', e.preset, '-crf', String(e.crf), '-threads', String(e.threads),
    // Crisp first and last frames (chained clips start on the extracted last frame): the last frame is
    // a keyframe, and keyframes get a much lower QP than the rest (x264's default ipratio is 1.4).
    '-x264-params', `ipratio=${e.ipratio}`, '-force_key_frames', `expr:eq(n,${frames - 1})`,
    '-pix_fmt', 'yuv420p', '-r', String(PREVIEW_FPS),
    // aac's default twoloop coder costs ~70 ms per second of audio here, 4× the fast coder.
    ...(hasAudio ? ['-c:a', 'aac', '-aac_coder', 'fast', '-b:a', e.audioBitrate, '-ar', String(SAMPLE_RATE), '-ac', '2'] : []),
    '-map_metadata', '-1', '-map_chapters', '-1',
    '-fflags', '+bitexact', '-flags:v', '+bitexact', '-flags:a', '+bitexact',
    '-movflags', '+faststart', '-f', 'mp4', outFile,
  ];
}

/**
 * The reference strip of an r2v clip (undefined for other clips): a thumbnail per reference from its local file
 * (an image, or a video's first frame; each added as an input by `addInput`), and its caption file.
 */
function referenceStrip(
  input: PreviewArgsInput, layout: PreviewLayout, addInput: (file: string, image: boolean) => number, files: PreviewTextFile[],
): StripGraph | undefined {
  const references = input.job.references ?? [];
  if (references.length === 0) return undefined;
  const strip = referenceStripLayout(layout, references.length);
  const thumbs = references.map((reference, i) => {
    const resolved = input.inputs.get(reference.input);
    const file = localFile(resolved);
    const index = file === undefined ? undefined : addInput(file, reference.kind === 'image');
    const path = join(input.textDir, `ref${i}-caption.txt`);
    files.push({ path, content: referenceCaption(reference, resolved, strip.grid) });
    return { chain: thumbnailChain(index, strip.grid.thumbs[i]?.width ?? 2, `[refthumb${i}]`), label: `[refthumb${i}]` };
  });
  const captionFiles = references.map((_, i) => join(input.textDir, `ref${i}-caption.txt`));
  return { layout: strip, thumbs, captionFiles, font: input.fonts.sans };
}

/** The inputs as ffmpeg arguments, added one by one; each call gives the input's index. */
function inputList(): { args: string[]; add: (file: string, options?: { image?: boolean; seek?: string }) => number } {
  const args: string[] = [];
  let count = 0;
  return {
    args,
    add: (file, options = {}) => {
      args.push(...(options.image ? ['-f', 'image2pipe'] : []), ...(options.seek === undefined ? [] : ['-ss', options.seek]), '-i', file);
      return count++;
    },
  };
}

/**
 * Builds the whole command: inputs (images, audio file, a carried clip), filter graph, encoder and muxer settings.
 * A continued clip (`carried`) is the carried frames, then its new frames drawn from the carried clip's last frame.
 */
export function buildPreviewCommand(input: PreviewArgsInput): PreviewCommand {
  const { job, carried } = input;
  const expected = job.expected;
  const frames = Math.round(expected.duration * PREVIEW_FPS);
  // the frames this command draws: the whole clip, or the new seconds plus the carried last frame they start on
  const drawn = carried ? frames - carried.frames + 1 : frames;
  if (drawn < 2) throw new Error(`clip \`${job.id}\` lasts ${frames} frames but carries ${carried?.frames ?? 0}: no new frames to draw`);
  const frameLayout = previewLayout(expected.width, expected.height);
  const inputs = inputList();
  const carriedInputs = carried ? { whole: inputs.add(carried.file), tail: inputs.add(carried.file, { seek: tailSeek(carried) }) } : undefined;
  const first = carried ? undefined : localFile(input.inputs.get('first_frame'));
  const last = localFile(input.inputs.get('last_frame'));
  const audio = expected.audio ? localFile(input.inputs.get('audio')) : undefined;
  const firstIndex = carriedInputs ? CARRIED_LAST : first === undefined ? undefined : inputs.add(first, { image: true });
  const lastIndex = last === undefined ? undefined : inputs.add(last, { image: true });
  const audioIndex = audio === undefined ? undefined : inputs.add(audio);
  const stripFiles: PreviewTextFile[] = [];
  const strip = referenceStrip(input, frameLayout, (file, image) => inputs.add(file, { image }), stripFiles);
  // An r2v clip's header and prompt text keep out of its reference strip.
  const layout = strip?.layout.cards ?? frameLayout;
  const blendFrames = lastIndex === undefined ? undefined : Math.max(2, Math.min(BLEND_FRAMES, Math.floor(drawn / 2)));
  const text = textFiles(previewCards(job, input.inputs, layout, drawn), input.textDir, carried ? carriedTimecode(carried.frames - 1) : undefined);
  const ctx: GraphContext = {
    layout, rate: PREVIEW_FPS, frames: drawn, cards: text.cards, fonts: input.fonts, palette: previewPalette(input.key),
    timecodeFile: text.timecodeFile, gate: overlayGate(drawn, firstIndex !== undefined, blendFrames), blendFrames: blendFrames ?? 0,
    ...(strip ? { strip } : {}), ...(input.drift ? { drift: input.drift } : {}),
  };
  const code = { tag: codeTag(input.key), width: expected.width, height: expected.height };
  const graph = [
    ...(carried && carriedInputs ? carriedVideoChains(carried, carriedInputs, expected) : []),
    ...videoGraph(ctx, firstIndex, lastIndex),
    // the frame code goes on last, over everything: which clip (a tag of its cache key) and which frame
    ...(carried && carriedInputs
      ? [
          dropStartFrame('[drawn]', '[newdrawn]'),
          ...frameCodeChains('[newdrawn]', '[newv]', { ...code, firstFrame: carried.frames }),
          ...(expected.audio ? [carriedAudioChain(carried, carriedInputs), audioGraph(audioIndex, drawn - 1, ctx.palette, '[newa]')] : []),
          ...joinCarried('[newv]', expected.audio ? '[newa]' : undefined),
        ]
      : [...frameCodeChains('[drawn]', '[v]', code), ...(expected.audio ? [audioGraph(audioIndex, frames, ctx.palette, '[a]')] : [])]),
  ].join(';');
  const args = ['-v', 'error', ...inputs.args, '-filter_complex', graph, ...outputArgs(expected.audio, frames, input.outFile)];
  return { args, files: [...text.files, ...stripFiles], frames, filterGraph: graph };
}
