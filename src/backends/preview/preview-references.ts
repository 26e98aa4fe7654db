// The reference strip of a reference-to-video (r2v) preview clip: who is in the shot. Each reference (an image,
// or a video's first frame) as a thumbnail captioned "Image 1 · mara", in a band between the header and the
// prompt text (both kept out of it), right of the left frame code. Pure: geometry, captions and filter chains.
import type { ClipReference } from '../../compiler/plan/types.js';
import { codeCell, CODE_COLUMNS } from '../../media/frame-code.js';
import type { ResolvedInput } from '../backend.js';
import { drawtext } from './preview-filters.js';
import { LINE_HEIGHT_EM, type PreviewLayout } from './preview-layout.js';
import { textWidthEm } from './preview-text.js';
import { type CaptionStyle, fitCaption, overlayThumbs, type Rect, thumbnailGrid, type ThumbnailGrid } from './preview-thumbs.js';

/** Shares of the frame's height the header and the prompt text may take on an r2v clip (30 % and 50 % elsewhere). */
const HEADER_SHARE = 0.2;
const BODY_SHARE = 0.28;
/** Width a caption line needs at least: "Image 10" or "Video 1" and a little (em of the caption font). */
const LABEL_EM = 5.5;

/** Where the strip goes on a W×H frame. */
export interface ReferenceStripLayout {
  /** The card layout with fewer header and prompt lines, so neither reaches the band. */
  readonly cards: PreviewLayout;
  /** The band between header and prompt text, clear of the frame codes and the timecode. */
  readonly band: Rect;
  readonly grid: ThumbnailGrid;
}

/** Height of `lines` lines of drawtext at `size` (as preview-layout.ts counts them). */
const linesHeight = (lines: number, size: number, spacing: number): number => lines * (size * LINE_HEIGHT_EM + spacing);

/** The strip's geometry for `count` references on a frame laid out as `layout`. */
export function referenceStripLayout(layout: PreviewLayout, count: number): ReferenceStripLayout {
  const { width, height, lineSpacing, boxPadding, margin } = layout;
  const fit = (share: number, size: number): number => Math.max(1, Math.floor((height * share) / (size * LINE_HEIGHT_EM + lineSpacing)));
  const headerMaxLines = Math.min(layout.headerMaxLines, fit(HEADER_SHARE, layout.headerSize));
  const bodyMaxLines = Math.min(layout.bodyMaxLines, fit(BODY_SHARE, layout.bodySize));
  const gap = Math.round(margin / 2);
  const headerBottom = layout.headerTop + linesHeight(headerMaxLines, layout.headerSize, lineSpacing) + boxPadding;
  // The prompt is drawn bottom-up from just above the progress bar (preview-graph.ts cardText).
  const bodyTop = height - (margin + boxPadding + layout.barHeight) - linesHeight(bodyMaxLines, layout.bodySize, lineSpacing) - boxPadding;
  // The left frame code sits across the middle of the frame from x = 0 (frame-code.ts codePatches).
  const left = Math.max(margin, CODE_COLUMNS * codeCell(width, height) + gap);
  const top = Math.ceil(headerBottom + gap);
  const band = { x: left, y: top, width: Math.max(2, width - margin - left), height: Math.max(2, Math.floor(bodyTop - gap) - top) };
  const captionSize = Math.max(10, Math.round(layout.bodySize * 0.75));
  const caption: CaptionStyle = { size: captionSize, lines: 2, lineSpacing: Math.round(captionSize / 4), padding: Math.max(2, Math.round(boxPadding / 2)) };
  const grid = thumbnailGrid(band, count, caption, gap);
  // Narrow columns (many references on a square frame) take smaller captions, so that "Image 1" fits a line;
  // the room reserved for the larger ones stays, so they still fit below their thumbnails.
  const size = Math.max(10, Math.min(captionSize, Math.floor(grid.columnWidth / LABEL_EM)));
  const fitted = size === captionSize ? grid : { ...grid, caption: { ...caption, size, lineSpacing: Math.round(size / 4) } };
  return { cards: { ...layout, headerMaxLines, bodyMaxLines }, band, grid: fitted };
}

/**
 * "Image 1 · mara" fitted to its column: on two lines ("Image 1", "mara") when one is too narrow, so the
 * character's name is never the part cut off. A reference the preview cannot show says why, if there is room.
 */
export function referenceCaption(reference: ClipReference, resolved: ResolvedInput | undefined, grid: ThumbnailGrid): string {
  const oneLine = `${reference.label} · ${reference.character}`;
  const name = textWidthEm(oneLine) * grid.caption.size <= grid.columnWidth ? oneLine : `${reference.label}\n${reference.character}`;
  const reason = resolved === undefined ? 'not supplied' : 'url' in resolved ? 'URL, not fetched' : undefined;
  return fitCaption(reason === undefined ? name : `${name}\n${reason}`, grid);
}

/** A reference strip ready for the graph: thumbnail chains (each labelled), where they go, and caption files. */
export interface StripGraph {
  readonly layout: ReferenceStripLayout;
  /** Chains making each thumbnail, ending in `label`. */
  readonly thumbs: readonly { readonly chain: string; readonly label: string }[];
  /** The caption text file of each reference, in order. */
  readonly captionFiles: readonly string[];
  readonly font: string;
}

/**
 * Chains laying the strip onto `base` (a one-frame chain without output label): thumbnails, then captions in
 * boxes of `boxAlpha`. Returns the chains and the chain prefix that continues from the result.
 */
export function stripChains(strip: StripGraph, base: string, boxAlpha: number): { lines: string[]; base: string } {
  const { grid } = strip.layout;
  const placed = strip.thumbs.map((thumb, i) => ({ label: thumb.label, x: grid.thumbs[i]?.x ?? 0, y: grid.thumbs[i]?.y ?? 0 }));
  const { caption } = grid;
  const padded = { ...strip.layout.cards, boxPadding: caption.padding };
  const captions = strip.captionFiles.map((textFile, i) => {
    const at = grid.captions[i] ?? { x: 0, y: 0 };
    return drawtext({
      fontFile: strip.font, textFile, fontSize: caption.size, expand: false, lineSpacing: caption.lineSpacing, boxAlpha,
      x: `${at.x}+(${grid.columnWidth}-tw)/2`, y: `${at.y}`,
    }, padded);
  });
  const lines = [...strip.thumbs.map((thumb) => thumb.chain), ...overlayThumbs(base, placed, 'yuv420', '[stripped]')];
  return { lines, base: ['[stripped]null', ...captions].join(',') };
}
