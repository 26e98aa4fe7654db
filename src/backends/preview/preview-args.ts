// The ffmpeg command of a preview clip (an animatic): argument array plus the text files drawtext reads.
// Pure: no fs, no spawning; the backend writes the files and runs the command.
//
// MEASURED (bench/preview.ts; see the numbers in the report of the task that wrote this file).
import { join } from 'node:path';
import type { ClipJob } from '../../compiler/plan/types.js';
import type { ResolvedInput } from '../backend.js';
import { PREVIEW_FPS, previewCards, type PreviewCard, type ResolvedInputs } from './preview-cards.js';
import { ffmpegColor, previewPalette, type PreviewPalette } from './preview-colors.js';
import { drawtext, filter, formatNumber, gateEnable, type OverlayGate, trackBoxes } from './preview-filters.js';
import { previewLayout, type PreviewLayout } from './preview-layout.js';

/** Fixed encoder settings: part of what makes two renders byte-identical (x264 writes them into the stream). */
export const PREVIEW_ENCODER = { preset: 'ultrafast', crf: 23, ipratio: 4, threads: 2, audioBitrate: '128k' } as const;
const SAMPLE_RATE = 48_000;
/** Overlays stay off the first/last frames when those are images, so chained clips join seamlessly. */
const FADE_FRAMES = 15;
/** The crossfade into a last-frame image lasts up to 1.5 s. */
const BLEND_FRAMES = 45;
/** The slow move over a first-frame image zooms in this much per second. */
const ZOOM_PER_SECOND = 0.008;
const TONE_VOLUME = 0.08;

/** What the command is built from. */
export interface PreviewArgsInput {
  readonly job: ClipJob;
  readonly key: string;
  readonly inputs: ResolvedInputs;
  readonly fonts: { readonly sans: string; readonly mono: string };
  /** Directory the text files will be written to. */
  readonly textDir: string;
  readonly outFile: string;
}

/** A text file drawtext reads (path inside textDir, UTF-8 content). */
export interface PreviewTextFile {
  readonly path: string;
  readonly content: string;
}

/** The ffmpeg arguments (after runFfmpeg's own `-hide_banner -nostdin -y`) and the files to write first. */
export interface PreviewCommand {
  readonly args: string[];
  readonly files: PreviewTextFile[];
  readonly frames: number;
  readonly filterGraph: string;
}

interface CardFiles extends PreviewCard {
  readonly headerFile: string;
  readonly bodyFile: string;
}

interface GraphContext {
  readonly layout: PreviewLayout;
  readonly frames: number;
  readonly cards: readonly CardFiles[];
  readonly fonts: PreviewArgsInput['fonts'];
  readonly palette: PreviewPalette;
  readonly timecodeFile: string;
  /** When live overlays show: not over a first-frame image's start nor a last-frame image's end (undefined: always). */
  readonly gate: OverlayGate | undefined;
  readonly blendFrames: number;
}

const localFile = (input: ResolvedInput | undefined): string | undefined => (input && 'file' in input ? input.file : undefined);
const frameTimes = (expr: string): string => `settb=1/${PREVIEW_FPS},setpts=${expr}/${PREVIEW_FPS}/TB`;

/** Scales an image to cover W×H (cropping the overflow) as one yuv frame. */
function coverImage(index: number, layout: PreviewLayout, pixFmt: 'yuv420p' | 'yuva420p'): string {
  const { width: w, height: h } = layout;
  return [
    `[${index}:v:0]trim=end_frame=1`,
    filter('scale', { w, h, force_original_aspect_ratio: 'increase' }),
    filter('crop', { w, h }),
    'setsar=1',
    filter('format', { pix_fmts: pixFmt }),
  ].join(',');
}

/** Header and prompt of a card; live (gated, per-shot window) over moving images, or baked into a still. */
function cardText(ctx: GraphContext, card: CardFiles, live: boolean): string[] {
  const { layout } = ctx;
  const inset = layout.margin + layout.boxPadding;
  const header = { fontFile: ctx.fonts.sans, textFile: card.headerFile, fontSize: layout.headerSize, x: `${inset}`, y: `${inset}`, expand: false, lineSpacing: layout.lineSpacing };
  const bodyY = `h-th-${inset + layout.barHeight}`;
  const body = { fontFile: ctx.fonts.sans, textFile: card.bodyFile, fontSize: layout.bodySize, x: `${inset}`, y: bodyY, expand: false, lineSpacing: layout.lineSpacing };
  const window = { from: card.fromFrame, to: card.toFrame };
  return live
    ? [drawtext(header, layout, ctx.gate, window), drawtext(body, layout, ctx.gate, window)]
    : [drawtext(header, layout), drawtext(body, layout)];
}

/** No first-frame image: a still gradient per card with its text baked in, looped for the card's frames. */
function stillBackground(ctx: GraphContext): string[] {
  const { layout, palette, cards } = ctx;
  const channel = (c: 'r' | 'g' | 'b'): string => `${palette.from[c]}+(${palette.to[c] - palette.from[c]})*(X+Y)/(W+H-2)`;
  const base = [
    filter('color', { c: 'black', s: '4x4', r: PREVIEW_FPS, d: 1 }),
    'trim=end_frame=1',
    filter('geq', { r: channel('r'), g: channel('g'), b: channel('b') }),
    filter('scale', { w: layout.width, h: layout.height, flags: 'bilinear' }),
    filter('format', { pix_fmts: 'yuv420p' }),
    'setsar=1',
    ...trackBoxes(layout, cards.map((c) => c.fromFrame), ctx.frames),
  ].join(',');
  const single = cards.length === 1;
  const labels = cards.map((_, i) => `[still${i}]`);
  const lines = [single ? `${base}${labels[0]}` : `${base},split=${cards.length}${labels.join('')}`];
  cards.forEach((card, i) => {
    const loop = filter('loop', { loop: card.toFrame - card.fromFrame - 1, size: 1, start: 0 });
    lines.push(`${labels[i]}${[...cardText(ctx, card, false), loop, frameTimes('N')].join(',')}${single ? '[bg]' : `[card${i}]`}`);
  });
  if (single) return lines;
  return [...lines, `${cards.map((_, i) => `[card${i}]`).join('')}concat=n=${cards.length}:v=1:a=0,${frameTimes('N')}[bg]`];
}

/** A first-frame image: frame 0 is the image as is (zoom 1), then a slow centred zoom. */
function imageBackground(ctx: GraphContext, index: number): string[] {
  const { layout, frames } = ctx;
  const zoom = ZOOM_PER_SECOND * (frames / PREVIEW_FPS);
  const zoompan = filter('zoompan', {
    z: `1+${formatNumber(zoom)}*on/${Math.max(1, frames - 1)}`,
    d: frames,
    x: 'iw/2-iw/zoom/2',
    y: 'ih/2-ih/zoom/2',
    s: `${layout.width}x${layout.height}`,
    fps: PREVIEW_FPS,
  });
  return [`${coverImage(index, layout, 'yuv420p')},${zoompan},${frameTimes('N')}[bg]`];
}

/** A last-frame image fades in (alpha) over the last frames; the final frame is the image alone. */
function lastFrameBlend(ctx: GraphContext, index: number): string[] {
  const n = ctx.blendFrames;
  const image = [
    coverImage(index, ctx.layout, 'yuva420p'),
    filter('loop', { loop: n - 1, size: 1, start: 0 }),
    frameTimes('N'),
    filter('fade', { t: 'in', s: 0, n: n - 1, alpha: 1 }),
    frameTimes(`(N+${ctx.frames - n})`),
  ].join(',');
  return [`${image}[last]`, `[bg][last]${filter('overlay', { x: 0, y: 0, format: 'yuv420', eof_action: 'repeat' })}[mixed]`];
}

/** Overlays drawn on every frame: shot text and track (over images only), timecode, progress bar. */
function liveOverlays(ctx: GraphContext, source: string, withCards: boolean): string[] {
  const { layout, frames, palette } = ctx;
  const inset = layout.margin + layout.boxPadding;
  const timecode = { fontFile: ctx.fonts.mono, textFile: ctx.timecodeFile, fontSize: layout.timecodeSize, x: `w-tw-${inset}`, y: `${inset}`, expand: true };
  const chain = [
    ...(withCards ? trackBoxes(layout, ctx.cards.map((c) => c.fromFrame), frames, ctx.gate) : []),
    ...(withCards ? ctx.cards.flatMap((card) => cardText(ctx, card, true)) : []),
    drawtext(timecode, layout, ctx.gate),
  ];
  const bar = filter('color', { c: ffmpegColor(palette.accent), s: `${layout.width}x${layout.barHeight}`, r: PREVIEW_FPS, d: formatNumber(frames / PREVIEW_FPS) });
  const progress = filter('overlay', {
    x: `-w+W*(n+1)/${frames}`,
    y: layout.height - layout.barHeight,
    eof_action: 'pass',
    enable: gateEnable(ctx.gate),
  });
  return [
    `${bar}[bar]`,
    `${source}${chain.join(',')}[text]`,
    // The frame limit lives in the graph: -frames:v would also cut the audio short (ffmpeg 5.1 ends the file).
    `[text][bar]${progress},${filter('trim', { end_frame: frames })},${filter('format', { pix_fmts: 'yuv420p' })},setsar=1[v]`,
  ];
}

/** The audio track: the supplied file or a quiet tone, exactly as long as the video, 48 kHz stereo. */
function audioGraph(index: number | undefined, frames: number, palette: PreviewPalette): string {
  const samples = (frames * SAMPLE_RATE) / PREVIEW_FPS;
  const seconds = formatNumber(frames / PREVIEW_FPS);
  const format = filter('aformat', { sample_fmts: 'fltp', sample_rates: SAMPLE_RATE, channel_layouts: 'stereo' });
  const exact = [filter('apad', { whole_len: samples }), filter('atrim', { end_sample: samples }), 'asetpts=N/SR/TB'];
  if (index !== undefined) return [`[${index}:a:0]asetpts=PTS-STARTPTS`, format, ...exact].join(',') + '[a]';
  const edge = Math.min(0.05, frames / PREVIEW_FPS / 4);
  return [
    filter('sine', { frequency: palette.toneHz, sample_rate: SAMPLE_RATE, duration: seconds }),
    filter('volume', { volume: TONE_VOLUME }),
    format,
    filter('afade', { t: 'in', d: formatNumber(edge) }),
    filter('afade', { t: 'out', st: formatNumber(frames / PREVIEW_FPS - edge), d: formatNumber(edge) }),
    ...exact,
  ].join(',') + '[a]';
}

/** Overlays are off for the first FADE_FRAMES over a first image, and gone shortly into the blend into a last image. */
function overlayGate(frames: number, hasFirst: boolean, blendFrames: number | undefined): OverlayGate | undefined {
  if (!hasFirst && blendFrames === undefined) return undefined;
  const from = hasFirst ? Math.min(FADE_FRAMES, frames - 1) : 0;
  const to = blendFrames === undefined ? frames : Math.max(from + 1, frames - blendFrames + FADE_FRAMES);
  return { from, to, fadeIn: hasFirst ? FADE_FRAMES : 0, fadeOut: blendFrames === undefined ? 0 : FADE_FRAMES };
}

function textFiles(cards: readonly PreviewCard[], textDir: string): { cards: CardFiles[]; files: PreviewTextFile[]; timecodeFile: string } {
  const files: PreviewTextFile[] = [];
  const withFiles = cards.map((card, i) => {
    const headerFile = join(textDir, `card${i}-header.txt`);
    const bodyFile = join(textDir, `card${i}-body.txt`);
    files.push({ path: headerFile, content: card.header }, { path: bodyFile, content: card.body });
    return { ...card, headerFile, bodyFile };
  });
  const timecodeFile = join(textDir, 'timecode.txt');
  files.push({ path: timecodeFile, content: '%{pts:hms}  #%{eif:n:d:3}' });
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

/** Builds the whole command: inputs (images, audio file), filter graph, encoder and muxer settings. */
export function buildPreviewCommand(input: PreviewArgsInput): PreviewCommand {
  const { job } = input;
  const expected = job.expected;
  const frames = Math.round(expected.duration * PREVIEW_FPS);
  const layout = previewLayout(expected.width, expected.height);
  const first = localFile(input.inputs.get('first_frame'));
  const last = localFile(input.inputs.get('last_frame'));
  const audio = expected.audio ? localFile(input.inputs.get('audio')) : undefined;
  const inputArgs: string[] = [];
  const addInput = (file: string, image: boolean): number => {
    inputArgs.push(...(image ? ['-f', 'image2pipe'] : []), '-i', file);
    return inputArgs.filter((a) => a === '-i').length - 1;
  };
  const firstIndex = first === undefined ? undefined : addInput(first, true);
  const lastIndex = last === undefined ? undefined : addInput(last, true);
  const audioIndex = audio === undefined ? undefined : addInput(audio, false);
  const blendFrames = lastIndex === undefined ? undefined : Math.max(2, Math.min(BLEND_FRAMES, Math.floor(frames / 2)));
  const text = textFiles(previewCards(job, input.inputs, layout), input.textDir);
  const ctx: GraphContext = {
    layout, frames, cards: text.cards, fonts: input.fonts, palette: previewPalette(input.key),
    timecodeFile: text.timecodeFile, gate: overlayGate(frames, firstIndex !== undefined, blendFrames), blendFrames: blendFrames ?? 0,
  };
  const graph = [
    ...(firstIndex === undefined ? stillBackground(ctx) : imageBackground(ctx, firstIndex)),
    ...(lastIndex === undefined ? [] : lastFrameBlend(ctx, lastIndex)),
    ...liveOverlays(ctx, lastIndex === undefined ? '[bg]' : '[mixed]', firstIndex !== undefined),
    ...(expected.audio ? [audioGraph(audioIndex, frames, ctx.palette)] : []),
  ].join(';');
  const args = ['-v', 'error', ...inputArgs, '-filter_complex', graph, ...outputArgs(expected.audio, frames, input.outFile)];
  return { args, files: text.files, frames, filterGraph: graph };
}
