// Frame codes: a small machine-readable patch stamped on every preview frame, saying which clip (a 16-bit
// tag) and which frame of it (12 bits) the picture is, so a film can be checked frame by frame. Each bit is
// a column of two cells, the bit over its complement: a reader compares the two cells of a column, so the
// code reads at any brightness and through dissolves (STYLE.md "Proving media"). The same patch is drawn
// twice, at the bottom centre and at the left middle: a `cover` fit into a frame of another shape crops
// either the left and right or the top and bottom, and one of the two survives each. Pure.

/** Bits of the clip tag and of the frame number. */
export const TAG_BITS = 16;
export const FRAME_BITS = 12;
/** Columns of the patch: tag bits (least significant first), then frame bits. */
export const CODE_COLUMNS = TAG_BITS + FRAME_BITS;
/** Luma of a 0 cell and a 1 cell (BT.601 limited range): far apart, but not pure black and white. */
export const LOW_LEVEL = 40;
export const HIGH_LEVEL = 216;

/** Where one patch sits in a frame: top-left corner and cell size, in that frame's pixels. */
interface CodePatch {
  readonly x: number;
  readonly y: number;
  readonly cell: number;
}

/** A decoded frame code. */
export interface FrameCode {
  readonly tag: number;
  readonly frame: number;
}

/** Cell size for a W×H frame: 1/80 of the short side (6 px at 480p, 9 at 720p, 14 at 1080p), at least 4: under 2 % of any frame. */
export function codeCell(width: number, height: number): number {
  return Math.max(4, Math.round(Math.min(width, height) / 80));
}

/** The two patches of a W×H frame: bottom centre, then left middle. */
export function codePatches(width: number, height: number): readonly CodePatch[] {
  const cell = codeCell(width, height);
  const w = CODE_COLUMNS * cell;
  return [
    { x: Math.floor((width - w) / 2), y: height - 2 * cell, cell },
    { x: 0, y: Math.floor(height / 2 - cell), cell },
  ];
}

/** The clip tag for a string (a cache key or a clip id): 16 bits of FNV-1a. */
export function codeTag(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return (h ^ (h >>> 16)) & 0xffff;
}

/** The bit of column `c` for a code: tag bits first, then frame bits (frame numbers wrap at 4096). */
export function codeBit(code: FrameCode, column: number): 0 | 1 {
  const value = column < TAG_BITS ? code.tag >> column : (code.frame % (1 << FRAME_BITS)) >> (column - TAG_BITS);
  return (value & 1) as 0 | 1;
}

/**
 * Filter-graph chains that stamp the code on every frame of `input` (W×H, frame numbers from `firstFrame`, default 0) and label the
 * result `output`. The patch is cut from each frame itself (so it can never fall out of step with it, whatever
 * the timestamps), recomputed by geq on a CODE_COLUMNS×2 canvas (56 pixels a frame), scaled up without
 * interpolation and laid over both places.
 */
export function frameCodeChains(
  input: string, output: string, spec: { readonly tag: number; readonly width: number; readonly height: number; readonly firstFrame?: number },
): string[] {
  const [bottom, left] = codePatches(spec.width, spec.height);
  if (!bottom || !left) return [`${input}null${output}`];
  // frame numbers from `firstFrame` (a continued clip's new footage counts on from its carried frames)
  const n = spec.firstFrame ? `N+${spec.firstFrame}` : 'N';
  const bit = `if(lt(X,${TAG_BITS}),mod(floor(${spec.tag}/pow(2,X)),2),mod(floor(mod(${n},${1 << FRAME_BITS})/pow(2,X-${TAG_BITS})),2))`;
  const luma = `${LOW_LEVEL}+${HIGH_LEVEL - LOW_LEVEL}*if(eq(Y,0),${bit},1-${bit})`;
  const size = `${CODE_COLUMNS * bottom.cell}:${2 * bottom.cell}`;
  return [
    `${input}split[fcm][fcs]`,
    `[fcs]crop=${CODE_COLUMNS}:2:0:0,format=yuv420p,geq=lum='${luma}':cb=128:cr=128,scale=${size}:flags=neighbor,setsar=1,split[fcb][fcl]`,
    `[fcm][fcb]overlay=x=${bottom.x}:y=${bottom.y}[fc1]`,
    `[fc1][fcl]overlay=x=${left.x}:y=${left.y}${output}`,
  ];
}

/** Where a source frame's pixels land in the film's frame: film = source × scale + offset, per axis. */
interface FrameMapping {
  readonly scaleX: number;
  readonly scaleY: number;
  readonly offsetX: number;
  readonly offsetY: number;
}

/**
 * The mapping of a `fit` into the film's frame, with ffmpeg's own arithmetic (as `fitFilter` in normalization
 * asks for it): `scale` with force_original_aspect_ratio rounds the other side to the nearest pixel, and `crop`
 * and `pad` round their centred offsets down to even (yuv420p chroma).
 */
export function fitMapping(source: { readonly width: number; readonly height: number }, film: { readonly width: number; readonly height: number }, fit: 'cover' | 'contain' | 'stretch'): FrameMapping {
  if (fit === 'stretch') return { scaleX: film.width / source.width, scaleY: film.height / source.height, offsetX: 0, offsetY: 0 };
  const tmpW = Math.round((film.height * source.width) / source.height);
  const tmpH = Math.round((film.width * source.height) / source.width);
  const pick = fit === 'cover' ? Math.max : Math.min;
  const w = pick(tmpW, film.width);
  const h = pick(tmpH, film.height);
  const even = (n: number): number => 2 * Math.floor(Math.trunc(n) / 2);
  const offset = (outer: number, inner: number): number => (fit === 'cover' ? -even((inner - outer) / 2) : even((outer - inner) / 2));
  return { scaleX: w / source.width, scaleY: h / source.height, offsetX: offset(film.width, w), offsetY: offset(film.height, h) };
}

/** A patch as it lands in the film: cell centres are read from here. */
export interface MappedPatch {
  readonly x: number;
  readonly y: number;
  readonly cellX: number;
  readonly cellY: number;
}

/** The patches of a source frame that land whole inside the film's frame, large enough to read (cells ≥ 3 px). */
export function mappedPatches(source: { readonly width: number; readonly height: number }, film: { readonly width: number; readonly height: number }, mapping: FrameMapping): MappedPatch[] {
  return codePatches(source.width, source.height).flatMap((p): MappedPatch[] => {
    const m = { x: p.x * mapping.scaleX + mapping.offsetX, y: p.y * mapping.scaleY + mapping.offsetY, cellX: p.cell * mapping.scaleX, cellY: p.cell * mapping.scaleY };
    const inside = m.x >= 0 && m.y >= 0 && m.x + CODE_COLUMNS * m.cellX <= film.width + 0.5 && m.y + 2 * m.cellY <= film.height + 0.5;
    return inside && m.cellX >= 3 && m.cellY >= 3 ? [m] : [];
  });
}

/** Mean luma of a cell's middle (half its size, at least 1 px), from a W-wide 8-bit luma plane. */
function cellLevel(luma: Uint8Array, width: number, cx: number, cy: number, rx: number, ry: number): number {
  const x0 = Math.round(cx - rx);
  const x1 = Math.max(x0 + 1, Math.round(cx + rx));
  const y0 = Math.round(cy - ry);
  const y1 = Math.max(y0 + 1, Math.round(cy + ry));
  let sum = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += luma[y * width + x] ?? 0;
  return sum / ((x1 - x0) * (y1 - y0));
}

/**
 * The patch's column contrasts: for each column, the upper cell's level minus the lower cell's, so +176 is a
 * clean 1, −176 a clean 0, and anything between a blend (a dissolve) or a dimmed picture (a fade).
 */
export function readContrasts(luma: Uint8Array, width: number, patch: MappedPatch): number[] {
  const rx = Math.max(0.5, patch.cellX / 4);
  const ry = Math.max(0.5, patch.cellY / 4);
  return Array.from({ length: CODE_COLUMNS }, (_, c) => {
    const cx = patch.x + (c + 0.5) * patch.cellX;
    return cellLevel(luma, width, cx, patch.y + 0.5 * patch.cellY, rx, ry) - cellLevel(luma, width, cx, patch.y + 1.5 * patch.cellY, rx, ry);
  });
}

/** Full contrast of a clean column. */
export const FULL_CONTRAST = HIGH_LEVEL - LOW_LEVEL;

/** The code in a set of contrasts when every column is clearly a 0 or a 1 (≥ 40 % of full contrast), else undefined. */
export function decodeContrasts(contrasts: readonly number[]): FrameCode | undefined {
  let tag = 0;
  let frame = 0;
  for (let c = 0; c < CODE_COLUMNS; c++) {
    const d = contrasts[c] ?? 0;
    if (Math.abs(d) < 0.4 * FULL_CONTRAST) return undefined;
    const bit = d > 0 ? 1 : 0;
    if (c < TAG_BITS) tag |= bit << c;
    else frame |= bit << (c - TAG_BITS);
  }
  return { tag, frame };
}

/** The contrasts a clean frame with this code would show. */
export function expectedContrasts(code: FrameCode): number[] {
  return Array.from({ length: CODE_COLUMNS }, (_, c) => (codeBit(code, c) ? FULL_CONTRAST : -FULL_CONTRAST));
}
