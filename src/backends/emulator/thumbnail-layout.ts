// Where the emulator draws labelled thumbnails (references in a reference-to-video clip, input images on a
// still): square boxes in columns along the right edge, filled top to bottom, then leftwards. They stay clear
// of the frame-code patches (bottom centre and left middle, media/frame-code.ts) and of the timecode. Pure.

/** Where the thumbnails of a W×H frame go. */
export interface ThumbnailLayout {
  /** Side of each square box; the picture is fitted inside it. */
  readonly size: number;
  /** Font size of the label under each box. */
  readonly labelSize: number;
  /** Top-left corner of each box, in order. */
  readonly slots: readonly { readonly x: number; readonly y: number }[];
  /** Left edge of the leftmost column (text beside the thumbnails should end before it). */
  readonly left: number;
}

/** The boxes of `count` thumbnails on a `width`×`height` frame. */
export function thumbnailLayout(width: number, height: number, count: number): ThumbnailLayout {
  const unit = Math.min(width, height);
  const size = Math.round(unit * 0.2);
  const margin = Math.round(unit * 0.05);
  const top = Math.round(unit * 0.15);
  const gap = Math.round(unit * 0.02);
  const labelSize = Math.max(10, Math.round(size / 7));
  const cell = size + Math.round(labelSize * 1.6) + gap;
  const rows = Math.max(1, Math.floor((height - top - margin + gap) / cell));
  const slots = Array.from({ length: count }, (_, k) => {
    const col = Math.floor(k / rows);
    return { x: width - margin - (col + 1) * size - col * gap, y: top + (k % rows) * cell };
  });
  const columns = Math.ceil(count / rows);
  return { size, labelSize, slots, left: count === 0 ? width : width - margin - columns * size - (columns - 1) * gap };
}
