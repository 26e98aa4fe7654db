// The video half of a preview clip's filter graph: background (a still gradient, or a slow zoom over the
// first-frame image), the shot cards' text, the blend into a last-frame image, timecode and progress bar.
// Pure: returns filtergraph chains (joined with ';' by preview-args.ts).
import type { PreviewCard } from './preview-cards.js';
import { ffmpegColor, type PreviewPalette } from './preview-colors.js';
import { driftChains, type PreviewDrift } from './preview-drift.js';
import { drawtext, filter, formatNumber, gateEnable, type OverlayGate, type TextBlock, trackBoxes } from './preview-filters.js';
import type { PreviewLayout } from './preview-layout.js';
import { stripChains, type StripGraph } from './preview-references.js';

/** The slow move over a first-frame image zooms in this much per second. */
const ZOOM_PER_SECOND = 0.008;
/**
 * Moving images (zoom, text fades, the blend into the last image) are rendered at 10 fps and each frame
 * repeated three times: a slow zoom moves ~1 px per step anyway, and zoompan, overlays and x264 (which
 * skips repeated frames) do a third of the work. Timecode and progress bar still change every frame.
 */
const SLOW_STEP = 3;
/** Opacity of the boxes behind text. */
const BOX_ALPHA = 0.55;
/**
 * drawtext on a transparent canvas multiplies the box alpha by itself (0.55 comes out as 0.30), so the
 * text layer laid over moving images asks for √0.55 to look like the text drawn straight onto stills.
 */
const LAYER_BOX_ALPHA = Math.round(Math.sqrt(BOX_ALPHA) * 100) / 100;

/** A card with the paths of its text files. */
export interface CardFiles extends PreviewCard {
  readonly headerFile: string;
  readonly bodyFile: string;
}

/** What the video graph is built from. */
export interface GraphContext {
  readonly layout: PreviewLayout;
  /** Frames per second the frame numbers below count in (30, or 10 for moving images). */
  readonly rate: number;
  readonly frames: number;
  readonly cards: readonly CardFiles[];
  readonly fonts: { readonly sans: string; readonly mono: string };
  readonly palette: PreviewPalette;
  readonly timecodeFile: string;
  /** When overlays show: not over a first-frame image's start nor a last-frame image's end (undefined: always). */
  readonly gate: OverlayGate | undefined;
  /** Frames of the crossfade into the last-frame image (0 without one). */
  readonly blendFrames: number;
  /** The reference strip of an r2v clip, drawn with the cards' text (absent on other clips). */
  readonly strip?: StripGraph;
  /** Simulated drift of the picture over a first-frame image (absent: none, the default). */
  readonly drift?: PreviewDrift;
}

const frameTimes = (rate: number, expr: string): string => `settb=1/${rate},setpts=${expr}/${rate}/TB`;

/** An image: an input's index, or the label of a picture made in the graph (a carried clip's last frame). */
export type ImageSource = number | string;

/** Scales an image to cover W×H (cropping the overflow) as a single frame. */
function coverImage(source: ImageSource, layout: PreviewLayout, pixFmt: 'yuv420p' | 'yuva420p'): string {
  const { width: w, height: h } = layout;
  return [
    `${typeof source === 'number' ? `[${source}:v:0]` : source}trim=end_frame=1`,
    filter('scale', { w, h, force_original_aspect_ratio: 'increase' }),
    filter('crop', { w, h }),
    'setsar=1',
    filter('format', { pix_fmts: pixFmt }),
  ].join(',');
}

/** Header (top left) and wrapped prompt (bottom) of a card. */
function cardText(ctx: GraphContext, card: CardFiles, boxAlpha: number): string[] {
  const { layout } = ctx;
  const inset = layout.margin + layout.boxPadding;
  const common = { fontFile: ctx.fonts.sans, expand: false, lineSpacing: layout.lineSpacing, boxAlpha, x: `${inset}` };
  const header: TextBlock = { ...common, textFile: card.headerFile, fontSize: layout.headerSize, y: `${layout.headerTop}` };
  const body: TextBlock = { ...common, textFile: card.bodyFile, fontSize: layout.bodySize, y: `h-th-${inset + layout.barHeight}` };
  return [drawtext(header, layout), drawtext(body, layout)];
}

/**
 * One frame per card (the `base` chain with the card's text drawn on it), each repeated by `loop` for the
 * card's frames and concatenated: text is rendered once per shot, not once per frame. An r2v clip's reference
 * strip is laid onto the base first, so it shows with every card.
 */
function cardSequence(ctx: GraphContext, plainBase: string, boxAlpha: number, out: string): string[] {
  const { cards } = ctx;
  const single = cards.length === 1;
  const stills = cards.map((_, i) => `[still${i}]`);
  const { lines: stripLines, base } = ctx.strip ? stripChains(ctx.strip, plainBase, boxAlpha) : { lines: [], base: plainBase };
  const lines = [...stripLines, single ? `${base}${stills[0]}` : `${base},split=${cards.length}${stills.join('')}`];
  cards.forEach((card, i) => {
    const loop = filter('loop', { loop: card.toFrame - card.fromFrame - 1, size: 1, start: 0 });
    lines.push(`${stills[i]}${[...cardText(ctx, card, boxAlpha), loop, frameTimes(ctx.rate, 'N')].join(',')}${single ? out : `[card${i}]`}`);
  });
  if (single) return lines;
  return [...lines, `${cards.map((_, i) => `[card${i}]`).join('')}concat=n=${cards.length}:v=1:a=0,${frameTimes(ctx.rate, 'N')}${out}`];
}

/** No first-frame image: a still diagonal gradient in the clip's colours, with track and text baked in. */
function stillBackground(ctx: GraphContext): string[] {
  const { layout, palette } = ctx;
  const channel = (c: 'r' | 'g' | 'b'): string => `${palette.from[c]}+(${palette.to[c] - palette.from[c]})*(X+Y)/(W+H-2)`;
  const base = [
    filter('color', { c: 'black', s: '4x4', r: ctx.rate, d: 1 }),
    'trim=end_frame=1',
    filter('geq', { r: channel('r'), g: channel('g'), b: channel('b') }),
    filter('scale', { w: layout.width, h: layout.height, flags: 'bilinear' }),
    filter('format', { pix_fmts: 'yuv420p' }),
    'setsar=1',
    ...trackBoxes(layout, ctx.cards.map((c) => c.fromFrame), ctx.frames),
  ].join(',');
  return cardSequence(ctx, base, BOX_ALPHA, '[bg]');
}

/** A first-frame image: frame 0 is the image as is (zoom 1), then a slow centred zoom (drifting by one hop when asked). */
function imageBackground(ctx: GraphContext, index: ImageSource): string[] {
  const { layout, frames } = ctx;
  const zoom = ZOOM_PER_SECOND * (frames / ctx.rate);
  const zoompan = filter('zoompan', {
    z: `1+${formatNumber(zoom)}*on/${Math.max(1, frames - 1)}`,
    d: frames,
    x: 'iw/2-iw/zoom/2',
    y: 'ih/2-ih/zoom/2',
    s: `${layout.width}x${layout.height}`,
    fps: ctx.rate,
  });
  const picture = `${coverImage(index, layout, 'yuv420p')},${zoompan},${frameTimes(ctx.rate, 'N')}`;
  // drift changes the picture only: the cards, timecode and frame code are drawn over it afterwards
  if (ctx.drift) return [`${picture}[bgimage]`, ...driftChains(ctx.drift, frames, '[bgimage]', '[bg]')];
  return [`${picture}[bg]`];
}

/** The cards on a transparent layer, faded in and out with the gate, laid over a moving background. */
function textLayer(ctx: GraphContext, source: string, out: string): string[] {
  const canvas = [
    filter('color', { c: 'black@0', s: `${ctx.layout.width}x${ctx.layout.height}`, r: ctx.rate, d: 1 }),
    filter('format', { pix_fmts: 'yuva420p' }),
    'trim=end_frame=1',
  ].join(',');
  const gate = ctx.gate;
  const fades = gate
    ? [
        ...(gate.fadeIn > 0 ? [filter('fade', { t: 'in', s: gate.from, n: gate.fadeIn, alpha: 1 })] : []),
        ...(gate.fadeOut > 0 ? [filter('fade', { t: 'out', s: gate.to - gate.fadeOut, n: gate.fadeOut, alpha: 1 })] : []),
        filter('trim', { start_frame: gate.from, end_frame: gate.to }),
      ]
    : [];
  // Before its first frame and after its last, overlay passes the background through untouched.
  const overlay = filter('overlay', { x: 0, y: 0, format: 'yuv420', eof_action: 'pass' });
  return [
    ...cardSequence(ctx, canvas, LAYER_BOX_ALPHA, '[cards]'),
    `[cards]${['null', ...fades].join(',')}[layer]`,
    `${source}[layer]${overlay}${out}`,
  ];
}

/** A last-frame image fades in (alpha) over the last frames; the final frame is the image alone. */
function lastFrameBlend(ctx: GraphContext, index: number, source: string, out: string): string[] {
  const n = ctx.blendFrames;
  const image = [
    coverImage(index, ctx.layout, 'yuva420p'),
    filter('loop', { loop: n - 1, size: 1, start: 0 }),
    frameTimes(ctx.rate, 'N'),
    filter('fade', { t: 'in', s: 0, n: n - 1, alpha: 1 }),
    frameTimes(ctx.rate, `(N+${ctx.frames - n})`),
  ].join(',');
  const overlay = filter('overlay', { x: 0, y: 0, format: 'yuv420', eof_action: 'repeat' });
  return [`${image}[last]`, `${source}[last]${overlay}${out}`];
}

/** Drawn on every frame: track (over images), timecode and progress bar; ends in [drawn] with exactly `frames` frames. */
function liveOverlays(ctx: GraphContext, source: string, withTrack: boolean): string[] {
  const { layout, frames, palette } = ctx;
  const inset = layout.margin + layout.boxPadding;
  const timecode: TextBlock = {
    fontFile: ctx.fonts.mono, textFile: ctx.timecodeFile, fontSize: layout.timecodeSize, x: `w-tw-${inset}`, y: `${inset}`, expand: true, boxAlpha: BOX_ALPHA,
  };
  const chain = [
    ...(withTrack ? trackBoxes(layout, ctx.cards.map((c) => c.fromFrame), frames, ctx.gate) : []),
    drawtext(timecode, layout, ctx.gate),
  ];
  const bar = filter('color', { c: ffmpegColor(palette.accent), s: `${layout.width}x${layout.barHeight}`, r: ctx.rate, d: formatNumber(frames / ctx.rate) });
  const progress = filter('overlay', { x: `-w+W*(n+1)/${frames}`, y: layout.height - layout.barHeight, eof_action: 'pass', enable: gateEnable(ctx.gate) });
  return [
    `${bar}[bar]`,
    `${source}${chain.join(',')}[text]`,
    // The frame limit lives in the graph: -frames:v would also cut the audio short (ffmpeg 5.1 ends the file).
    `[text][bar]${progress},${filter('trim', { end_frame: frames })},${filter('format', { pix_fmts: 'yuv420p' })},setsar=1[drawn]`,
  ];
}

/** A frame number at 30 fps as a slow frame number (rounded: windows stay contiguous). */
const slow = (frame: number): number => Math.round(frame / SLOW_STEP);

/** The context in slow frames: cards (kept contiguous, empty ones dropped), gate and blend rescaled. */
function slowContext(ctx: GraphContext): GraphContext {
  const frames = Math.ceil(ctx.frames / SLOW_STEP);
  const cards: CardFiles[] = [];
  let fromFrame = 0;
  ctx.cards.forEach((card, i) => {
    const toFrame = i === ctx.cards.length - 1 ? frames : Math.min(frames, slow(card.toFrame));
    if (toFrame <= fromFrame) return;
    cards.push({ ...card, fromFrame, toFrame });
    fromFrame = toFrame;
  });
  const gate = ctx.gate && {
    from: slow(ctx.gate.from), to: Math.min(frames, slow(ctx.gate.to)), fadeIn: slow(ctx.gate.fadeIn), fadeOut: slow(ctx.gate.fadeOut),
  };
  return { ...ctx, rate: ctx.rate / SLOW_STEP, frames, cards, gate, blendFrames: ctx.blendFrames > 0 ? Math.max(2, slow(ctx.blendFrames)) : 0 };
}

/** The whole video graph, ending in [drawn] (the frame code is stamped after it). */
export function videoGraph(ctx: GraphContext, firstIndex: ImageSource | undefined, lastIndex: number | undefined): string[] {
  if (firstIndex === undefined && lastIndex === undefined) return [...stillBackground(ctx), ...liveOverlays(ctx, '[bg]', false)];
  const moving = slowContext(ctx);
  const chains = firstIndex === undefined
    ? [...stillBackground(moving), `[bg]null[texted]`]
    : [...imageBackground(moving, firstIndex), ...textLayer(moving, '[bg]', '[texted]')];
  if (lastIndex !== undefined) chains.push(...lastFrameBlend(moving, lastIndex, '[texted]', '[mixed]'));
  // Spare copies of the last slow frame (fps drops the last frame's repeats at EOF; the final trim cuts the rest).
  const repeat = [frameTimes(moving.rate, 'N'), filter('tpad', { stop_mode: 'clone', stop: 2 }), filter('fps', { fps: ctx.rate }), frameTimes(ctx.rate, 'N')].join(',');
  chains.push(`${lastIndex === undefined ? '[texted]' : '[mixed]'}${repeat}[full]`);
  return [...chains, ...liveOverlays(ctx, '[full]', firstIndex !== undefined)];
}
