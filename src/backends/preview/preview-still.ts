// The preview of a still (a generated image): a PNG card of the still's exact size with its id as title, its
// model, its input images as captioned thumbnails and its prompt at the largest size that fits. Pure: the layout
// and the one ffmpeg command (arguments plus the text files drawtext reads); the backend writes and runs them.
import { join } from 'node:path';
import type { ClipInput, StillJob } from '../../compiler/plan/types.js';
import type { ResolvedInput } from '../backend.js';
import type { ResolvedInputs } from './preview-cards.js';
import { previewPalette } from './preview-colors.js';
import { filter } from './preview-filters.js';
import { LINE_HEIGHT_EM } from './preview-layout.js';
import { clampLines, wrapText } from './preview-text.js';
import { type CaptionStyle, fitCaption, overlayThumbs, type Rect, thumbnailChain, thumbnailGrid, type ThumbnailGrid } from './preview-thumbs.js';

/** A block of text on the card: its wrapped lines, font size and the top-left corner of its first line. */
export interface StillText {
  readonly lines: readonly string[];
  readonly size: number;
  readonly lineSpacing: number;
  readonly x: number;
  readonly y: number;
}

/** Where everything goes on a still's card. */
export interface StillLayout {
  readonly width: number;
  readonly height: number;
  /** No text or thumbnail comes closer than this to an edge. */
  readonly margin: number;
  readonly title: StillText;
  readonly meta: StillText;
  readonly prompt: StillText;
  /** The input images' thumbnails (absent without input images). */
  readonly thumbs?: ThumbnailGrid;
}

/** Height of `lines` lines of drawtext (font height per line, line spacing between them, counted generously). */
const blockHeight = (lines: number, size: number, spacing: number): number => lines * (size * LINE_HEIGHT_EM + spacing);
/** How many lines of `size` fit in `height`. */
const linesIn = (height: number, size: number, spacing: number): number => Math.max(0, Math.floor((height + spacing) / (size * LINE_HEIGHT_EM + spacing)));

/**
 * Widest line in em for `width` px at `size`. Hinting rounds each glyph's advance to whole pixels, so drawn text
 * runs wider than its em widths: measured with drawtext, up to 2 % at 12 px and more, 6 % at 10 px, 18 % at 9 px.
 */
const maxEmAt = (width: number, size: number): number => (width / size) * (size < 12 ? 0.9 : 0.97);

/** Wraps `text` to `width` px at `size` and keeps at most `maxLines` lines (at least one). */
function block(text: string, size: number, width: number, maxLines: number, at: { x: number; y: number }): StillText {
  const maxEm = maxEmAt(width, size);
  const lineSpacing = Math.round(size / 4);
  return { lines: clampLines(wrapText(text, maxEm), Math.max(1, maxLines), maxEm), size, lineSpacing, x: at.x, y: at.y };
}

/**
 * The prompt at the largest size from unit/26 down to unit/80 (10 px at least: smaller hinted text runs too
 * wide to predict) at which all of it fits in `area`; at the smallest size what does not fit is cut with an ellipsis.
 */
function promptBlock(prompt: string, area: Rect, unit: number): StillText {
  const text = prompt.trim() === '' ? '(no prompt)' : prompt;
  const smallest = Math.max(10, Math.round(unit / 80));
  for (let size = Math.max(smallest, Math.round(unit / 26)); ; size = Math.max(smallest, Math.floor(size * 0.9))) {
    const spacing = Math.round(size / 4);
    const lines = wrapText(text, maxEmAt(area.width, size));
    const room = linesIn(area.height, size, spacing);
    if (lines.length <= room || size === smallest) return block(text, size, area.width, room, area);
  }
}

/** The card's layout for a still of `width`×`height` with `inputs` input images. */
export function stillLayout(job: StillJob, inputCount: number): StillLayout {
  const { width, height } = job.expected;
  const unit = Math.min(width, height);
  const margin = Math.round(unit * 0.06);
  const gap = Math.round(margin / 2);
  const textWidth = width - 2 * margin;
  const titleSize = Math.round(unit / 16);
  const title = block(job.id, titleSize, textWidth, 2, { x: margin, y: margin });
  const metaSize = Math.round(unit / 36);
  const metaTop = margin + blockHeight(title.lines.length, titleSize, title.lineSpacing) + Math.round(gap / 2);
  const meta = block(`${job.model} · ${width}×${height} · seed ${job.seed.value}`, metaSize, textWidth, 2, { x: margin, y: Math.ceil(metaTop) });
  let top = Math.ceil(meta.y + blockHeight(meta.lines.length, metaSize, meta.lineSpacing) + gap);
  let thumbs: ThumbnailGrid | undefined;
  if (inputCount > 0) {
    const captionSize = Math.max(8, Math.round(unit / 48));
    const caption: CaptionStyle = { size: captionSize, lines: 2, lineSpacing: Math.round(captionSize / 4), padding: Math.round(captionSize / 4) };
    // Thumbnails take up to a third of what is left (less on short frames), the prompt the rest.
    const area = { x: margin, y: top, width: textWidth, height: Math.floor(Math.min(unit * 0.3, (height - margin - top) / 3)) };
    thumbs = thumbnailGrid(area, inputCount, caption, gap, 'top');
    top = Math.min(area.y + area.height, thumbs.bottom) + gap;
  }
  const prompt = promptBlock(job.prompt, { x: margin, y: top, width: textWidth, height: height - margin - top }, unit);
  return { width, height, margin, title, meta, prompt, ...(thumbs ? { thumbs } : {}) };
}

/** "image1 · still mara", "image2 · URL, not fetched". */
function inputCaption(input: ClipInput, resolved: ResolvedInput | undefined): string {
  const from = input.from;
  const source = 'still' in from ? `still ${from.still}` : 'clip' in from ? `last frame of ${from.clip}` : 'url' in from ? 'URL' : from.file.split('/').at(-1) ?? from.file;
  if (resolved === undefined) return `${input.name} · ${source}\nnot supplied`;
  return 'url' in resolved ? `${input.name} · URL, not fetched` : `${input.name} · ${source}`;
}

/** What the command is built from. */
interface StillArgsInput {
  readonly job: StillJob;
  readonly key: string;
  readonly inputs: ResolvedInputs;
  readonly font: string;
  readonly textDir: string;
  readonly outFile: string;
}

/** The ffmpeg arguments (after runFfmpeg's own options) and the text files to write first. */
interface StillCommand {
  readonly args: string[];
  readonly files: { readonly path: string; readonly content: string }[];
  readonly layout: StillLayout;
}

/** drawtext of a block from its file, without a box (the card's background is dark and plain). */
function textFilter(text: StillText, textFile: string, font: string, color: string, x?: string): string {
  return filter('drawtext', {
    fontfile: font, textfile: textFile, expansion: 'none', fontsize: text.size, fontcolor: color, line_spacing: text.lineSpacing, x: x ?? `${text.x}`, y: `${text.y}`,
  });
}

/** Builds the card's command: one ffmpeg run from a 4×4 gradient to the PNG. */
export function buildStillCommand(input: StillArgsInput): StillCommand {
  const { job } = input;
  const layout = stillLayout(job, job.inputs.length);
  const palette = previewPalette(input.key);
  const files: { path: string; content: string }[] = [];
  const textFile = (name: string, content: string): string => {
    const path = join(input.textDir, `${name}.txt`);
    files.push({ path, content });
    return path;
  };
  const inputArgs: string[] = [];
  const grid = layout.thumbs;
  const thumbChains: string[] = [];
  const captions: string[] = [];
  job.inputs.forEach((clipInput, i) => {
    const resolved = input.inputs.get(clipInput.name);
    const file = resolved && 'file' in resolved ? resolved.file : undefined;
    let index: number | undefined;
    if (file !== undefined) {
      index = inputArgs.filter((a) => a === '-i').length;
      inputArgs.push('-f', 'image2pipe', '-i', file);
    }
    const thumb = grid?.thumbs[i];
    const at = grid?.captions[i];
    if (!grid || !thumb || !at) return;
    thumbChains.push(thumbnailChain(index, thumb.width, `[thumb${i}]`));
    const caption: StillText = { lines: [], size: grid.caption.size, lineSpacing: grid.caption.lineSpacing, x: at.x, y: at.y };
    captions.push(textFilter(caption, textFile(`caption${i}`, fitCaption(inputCaption(clipInput, resolved), grid)), input.font, 'white@0.85', `${at.x}+(${grid.columnWidth}-tw)/2`));
  });
  const channel = (c: 'r' | 'g' | 'b'): string => `${palette.from[c]}+(${palette.to[c] - palette.from[c]})*(X+Y)/(W+H-2)`;
  const base = [
    filter('color', { c: 'black', s: '4x4', r: 1, d: 1 }),
    'trim=end_frame=1',
    filter('geq', { r: channel('r'), g: channel('g'), b: channel('b') }),
    filter('scale', { w: layout.width, h: layout.height, flags: 'bilinear' }),
    filter('format', { pix_fmts: 'rgb24' }),
    'setsar=1',
  ].join(',');
  const placed = (grid?.thumbs ?? []).slice(0, thumbChains.length).map((t, i) => ({ label: `[thumb${i}]`, x: t.x, y: t.y }));
  const text = [
    textFilter(layout.title, textFile('title', layout.title.lines.join('\n')), input.font, 'white'),
    textFilter(layout.meta, textFile('meta', layout.meta.lines.join('\n')), input.font, 'white@0.75'),
    textFilter(layout.prompt, textFile('prompt', layout.prompt.lines.join('\n')), input.font, 'white'),
    ...captions,
  ];
  const graph = [...thumbChains, ...overlayThumbs(base, placed, 'rgb', '[card]'), `[card]${['null', ...text, filter('format', { pix_fmts: 'rgb24' })].join(',')}[v]`].join(';');
  const args = [
    '-v', 'error', ...inputArgs, '-filter_complex', graph, '-map', '[v]', '-frames:v', '1',
    '-c:v', 'png', '-pix_fmt', 'rgb24', '-map_metadata', '-1', '-fflags', '+bitexact', '-flags:v', '+bitexact',
    '-update', '1', '-f', 'image2', input.outFile,
  ];
  return { args, files, layout };
}
