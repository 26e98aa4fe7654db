// Where things go on a preview frame and how big they are, scaled to the frame (480P to 1080P, landscape,
// portrait or square). All sizes in pixels. Pure.

/** Sizes and positions of the overlays of a W×H preview frame. */
export interface PreviewLayout {
  readonly width: number;
  readonly height: number;
  /** Distance of text boxes from the frame edges. */
  readonly margin: number;
  readonly headerSize: number;
  readonly bodySize: number;
  readonly timecodeSize: number;
  readonly lineSpacing: number;
  /** Padding of the translucent boxes behind text (drawtext boxborderw). */
  readonly boxPadding: number;
  /** y of the header text: beside the timecode in landscape, below it in portrait and square frames. */
  readonly headerTop: number;
  /** Height of the progress bar along the bottom edge. */
  readonly barHeight: number;
  /** Widest line of the header in em of headerSize. */
  readonly headerMaxEm: number;
  /** Widest line of the prompt text (bottom) in em of bodySize. */
  readonly bodyMaxEm: number;
  readonly headerMaxLines: number;
  readonly bodyMaxLines: number;
}

/** The timecode reads `00:00:03.000  #090`: 18 characters of DejaVu Sans Mono (0.6 em each). */
const TIMECODE_EM = 18 * 0.6;
/** drawtext advances lines by the font's height (1.164 em for DejaVu) plus line_spacing. */
export const LINE_HEIGHT_EM = 1.17;

/** Sizes and positions of the overlays of a W×H preview frame. */
export function previewLayout(width: number, height: number): PreviewLayout {
  const unit = Math.min(width, height);
  const margin = Math.round(unit * 0.05);
  const headerSize = Math.round(unit / 26);
  const bodySize = Math.round(unit / 30);
  const timecodeSize = Math.round(unit / 30);
  const lineSpacing = Math.round(bodySize / 3);
  const boxPadding = Math.round(unit / 60);
  const timecodeWidth = TIMECODE_EM * timecodeSize + 2 * boxPadding;
  // Frames narrower than ~4:3 have no room for the header beside the timecode: it goes below it.
  const narrow = width < height * 1.4;
  const timecodeHeight = Math.round(timecodeSize * LINE_HEIGHT_EM) + 2 * boxPadding;
  const headerTop = margin + boxPadding + (narrow ? timecodeHeight + Math.round(margin / 2) : 0);
  const bodyWidth = width - 2 * margin - 2 * boxPadding;
  const headerWidth = narrow ? bodyWidth : bodyWidth - timecodeWidth - margin;
  // The header takes up to 30 % of the height; the prompt box up to half.
  const lines = (space: number, size: number): number => Math.max(1, Math.floor(space / (size * LINE_HEIGHT_EM + lineSpacing)));
  return {
    width,
    height,
    margin,
    headerSize,
    bodySize,
    timecodeSize,
    lineSpacing,
    boxPadding,
    headerTop,
    barHeight: Math.max(4, Math.round(unit / 120)),
    headerMaxEm: Math.max(8, headerWidth / headerSize),
    bodyMaxEm: Math.max(8, bodyWidth / bodySize),
    headerMaxLines: lines(height * 0.3, headerSize),
    bodyMaxLines: lines(height * 0.5 - margin, bodySize),
  };
}
