// Thumbnails on preview pictures (an r2v clip's references, a still's input images): a grid of square tiles
// fitted into an area, each tile an input's first frame (or a grey placeholder) with a caption under it. Pure.
import { filter } from './preview-filters.js';
import { LINE_HEIGHT_EM } from './preview-layout.js';
import { clampLines, wrapText } from './preview-text.js';

/** A rectangle in pixels. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Square thumbnails laid out in rows, each above its caption and centred in its column. */
export interface ThumbnailGrid {
  readonly thumbs: readonly Rect[];
  /** Width of a column: captions are wrapped to it and centred in it. */
  readonly columnWidth: number;
  readonly caption: CaptionStyle;
  /** Where each caption's column starts (x) and its first line's top (y). */
  readonly captions: readonly { readonly x: number; readonly y: number }[];
  /** Just below the last row's captions. */
  readonly bottom: number;
}

/** How a grid's captions look. */
export interface CaptionStyle {
  readonly size: number;
  readonly lines: number;
  readonly lineSpacing: number;
  /** Padding of the box behind a caption (drawtext boxborderw). */
  readonly padding: number;
}

/** Height a caption of `style` takes below its thumbnail, box padding included. */
export function captionHeight(style: CaptionStyle): number {
  return Math.ceil(style.lines * (style.size * LINE_HEIGHT_EM + style.lineSpacing) + 2 * style.padding);
}

/** Even pixel counts: thumbnails land on yuv420p chroma pairs. */
const even = (n: number): number => 2 * Math.floor(n / 2);

/**
 * The largest square thumbnails for `count` captioned tiles in `area` (trying every column count), the grid
 * centred in the area (or at its top). Columns are at most 1.6 thumbnails wide, so a short row stays together.
 */
export function thumbnailGrid(wholeArea: Rect, count: number, caption: CaptionStyle, gap: number, align: 'middle' | 'top' = 'middle'): ThumbnailGrid {
  const below = captionHeight(caption);
  // An area starting on even pixels, so that even offsets inside it stay inside it.
  const x = 2 * Math.ceil(wholeArea.x / 2);
  const y = 2 * Math.ceil(wholeArea.y / 2);
  const area = { x, y, width: wholeArea.width - (x - wholeArea.x), height: wholeArea.height - (y - wholeArea.y) };
  let best = { side: 0, cols: 1, rows: 1 };
  for (let cols = 1; cols <= Math.max(1, count); cols++) {
    const rows = Math.ceil(count / cols);
    const tileWidth = (area.width - (cols - 1) * gap) / cols;
    const tileHeight = (area.height - (rows - 1) * gap) / rows - below;
    const side = even(Math.min(tileWidth, tileHeight));
    if (side > best.side) best = { side, cols, rows };
  }
  const side = Math.max(2, best.side);
  const columnWidth = Math.floor(Math.min((area.width - (best.cols - 1) * gap) / best.cols, side * 1.6));
  const gridWidth = best.cols * columnWidth + (best.cols - 1) * gap;
  const gridHeight = best.rows * (side + below) + (best.rows - 1) * gap;
  const left = Math.floor((area.width - gridWidth) / 2);
  const top = align === 'top' ? 0 : Math.max(0, Math.floor((area.height - gridHeight) / 2));
  const thumbs: Rect[] = [];
  const captions: { x: number; y: number }[] = [];
  for (let i = 0; i < count; i++) {
    const column = left + (i % best.cols) * (columnWidth + gap);
    const row = area.y + even(top + Math.floor(i / best.cols) * (side + below + gap));
    thumbs.push({ x: area.x + even(column + (columnWidth - side) / 2), y: row, width: side, height: side });
    captions.push({ x: area.x + column, y: row + side + caption.padding + Math.round(caption.padding / 2) });
  }
  return { thumbs, columnWidth, caption, captions, bottom: area.y + even(top) + gridHeight };
}

/** A caption wrapped to its column and clamped to the grid's lines (with an ellipsis when cut). */
export function fitCaption(text: string, grid: ThumbnailGrid): string {
  const maxEm = Math.max(1, grid.columnWidth / grid.caption.size);
  return clampLines(wrapText(text, maxEm), grid.caption.lines, maxEm).join('\n');
}

/** Background of a tile whose picture is not shown (a URL the preview does not fetch, an input not supplied). */
const PLACEHOLDER_COLOR = '0x3c3c3c';
/** What a thumbnail's letterbox shows around a picture of another shape. */
const LETTERBOX_COLOR = '0x161616';

/**
 * The chain of one square thumbnail, labelled `out`: the first frame of input `index` (an image, or a video's
 * first frame) fitted into side×side, or a grey placeholder when there is no local file. One frame at time 0.
 */
export function thumbnailChain(index: number | undefined, side: number, out: string): string {
  if (index === undefined) {
    return `${filter('color', { c: PLACEHOLDER_COLOR, s: `${side}x${side}`, r: 1, d: 1 })},trim=end_frame=1,setsar=1${out}`;
  }
  return [
    `[${index}:v:0]trim=end_frame=1`,
    'setpts=0',
    filter('scale', { w: side, h: side, force_original_aspect_ratio: 'decrease' }),
    filter('pad', { w: side, h: side, x: '(ow-iw)/2', y: '(oh-ih)/2', color: LETTERBOX_COLOR }),
    'setsar=1',
  ].join(',') + out;
}

/** One thumbnail laid onto a picture. */
export interface PlacedThumb {
  readonly label: string;
  readonly x: number;
  readonly y: number;
}

/**
 * Lays each thumbnail onto `base` (a chain without its output label) in turn, ending in `out`:
 * chains `base[t0]`, `[t0][thumb0]overlay[t1]`, ….
 */
export function overlayThumbs(base: string, thumbs: readonly PlacedThumb[], format: 'yuv420' | 'rgb', out: string): string[] {
  if (thumbs.length === 0) return [`${base}${out}`];
  const lines = [`${base}[thumbbase0]`];
  thumbs.forEach((thumb, i) => {
    const target = i === thumbs.length - 1 ? out : `[thumbbase${i + 1}]`;
    lines.push(`[thumbbase${i}]${thumb.label}${filter('overlay', { x: thumb.x, y: thumb.y, format })}${target}`);
  });
  return lines;
}
