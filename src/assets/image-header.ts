// Reads image dimensions and alpha from the first bytes of a file, without decoding pixels.
// Every read is bounds-checked: truncated or garbage input yields `undefined` fields, never a throw.

/** Image container formats recognised by magic; only png, jpeg, webp and bmp are parsed for details. */
type ImageFormat = 'png' | 'jpeg' | 'webp' | 'bmp' | 'gif' | 'tiff' | 'heif' | 'avif' | 'jxl';

/** What the header says about an image; a field is `undefined` when the given bytes do not tell. */
export interface ImageHeader {
  format: ImageFormat;
  width: number | undefined;
  height: number | undefined;
  hasAlpha: boolean | undefined;
}

/**
 * How many leading bytes a caller should read: enough for EXIF/XMP/ICC segments before a JPEG's SOF in practice.
 * A JPEG whose SOF lies beyond this window yields `width`/`height` `undefined`.
 */
export const IMAGE_HEADER_BYTES = 64 * 1024;

/** Detects the image format from `bytes` (the start of a file) and reads its size and alpha; `undefined` if not an image. */
export function parseImageHeader(bytes: Uint8Array): ImageHeader | undefined {
  if (startsWith(bytes, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return parsePng(bytes);
  if (startsWith(bytes, 0, [0xff, 0xd8, 0xff])) return parseJpeg(bytes);
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return parseWebp(bytes);
  // 'BM' alone is too weak (text can start with it): also require a known DIB header size.
  if (ascii(bytes, 0, 2) === 'BM' && [12, 40, 52, 56, 64, 108, 124].includes(u32le(bytes, 14) ?? 0)) return parseBmp(bytes);
  const gif = ascii(bytes, 0, 6);
  if (gif === 'GIF87a' || gif === 'GIF89a') {
    // Logical screen size; transparency lives in per-frame extensions, so alpha stays unknown.
    return header('gif', u16le(bytes, 6), u16le(bytes, 8), undefined);
  }
  if (startsWith(bytes, 0, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, 0, [0x4d, 0x4d, 0x00, 0x2a])
    || startsWith(bytes, 0, [0x49, 0x49, 0x2b, 0x00]) || startsWith(bytes, 0, [0x4d, 0x4d, 0x00, 0x2b])) {
    return header('tiff', undefined, undefined, undefined);
  }
  if (startsWith(bytes, 0, [0xff, 0x0a])
    || startsWith(bytes, 0, [0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20, 0x0d, 0x0a, 0x87, 0x0a])) {
    return header('jxl', undefined, undefined, undefined);
  }
  const isobmff = isobmffImageFormat(bytes);
  return isobmff === undefined ? undefined : header(isobmff, undefined, undefined, undefined);
}

function header(format: ImageFormat, width: number | undefined, height: number | undefined, hasAlpha: boolean | undefined): ImageHeader {
  return { format, width, height, hasAlpha };
}

/** PNG: IHDR must be the first chunk; palette and colour-key images get alpha from a tRNS chunk before IDAT. */
function parsePng(bytes: Uint8Array): ImageHeader {
  if (ascii(bytes, 12, 4) !== 'IHDR') return header('png', undefined, undefined, undefined);
  const width = u32be(bytes, 16);
  const height = u32be(bytes, 20);
  const colourType = bytes[25];
  if (colourType === undefined) return header('png', width, height, undefined);
  if (colourType === 4 || colourType === 6) return header('png', width, height, true);
  // Types 0/2 (grey, RGB) may carry a single transparent colour in tRNS: that is transparency too.
  if (colourType !== 0 && colourType !== 2 && colourType !== 3) return header('png', width, height, undefined);
  return header('png', width, height, pngHasTrns(bytes));
}

/** Scans chunks after IHDR: true at tRNS, false at IDAT, undefined when the bytes end first. */
function pngHasTrns(bytes: Uint8Array): boolean | undefined {
  let offset = 8;
  // Each step advances by at least 12 bytes, so the loop ends; the cap is belt and braces.
  for (let i = 0; i < 10_000; i++) {
    const length = u32be(bytes, offset);
    const type = ascii(bytes, offset + 4, 4);
    if (length === undefined || type === undefined) return undefined;
    if (type === 'tRNS') return true;
    if (type === 'IDAT' || type === 'IEND') return false;
    offset += 12 + length;
  }
  return undefined;
}

/** JPEG: walks marker segments to the first SOFn; JPEG has no alpha channel. */
function parseJpeg(bytes: Uint8Array): ImageHeader {
  let offset = 2;
  // Each step consumes at least one byte, so bytes.length bounds the loop.
  while (offset < bytes.length) {
    if (bytes[offset] !== 0xff) { offset++; continue; } // tolerate garbage between segments by resyncing
    while (bytes[offset] === 0xff) offset++; // fill bytes: any number of 0xFF may precede a marker
    const marker = bytes[offset];
    if (marker === undefined) break;
    offset++;
    // Standalone markers carry no length: TEM, RSTn, SOI; a stuffed 0x00 is not a marker at all.
    if (marker === 0x00 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue;
    if (marker === 0xd9 || marker === 0xda) break; // EOI or start of scan: no SOF in the header
    const length = u16be(bytes, offset);
    if (length === undefined || length < 2) break;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const height = u16be(bytes, offset + 3);
      const width = u16be(bytes, offset + 5);
      // A zero height is deferred to a DNL marker after the first scan; report it as unknown.
      return header('jpeg', width, height === 0 ? undefined : height, false);
    }
    offset += length;
  }
  return header('jpeg', undefined, undefined, false);
}

/** WEBP: the first chunk decides: VP8X (extended, canvas + alpha flag), VP8L (lossless) or VP8 (lossy, no alpha). */
function parseWebp(bytes: Uint8Array): ImageHeader {
  const chunk = ascii(bytes, 12, 4);
  const data = 20;
  if (chunk === 'VP8X') {
    const flags = bytes[data];
    const w = u24le(bytes, data + 4);
    const h = u24le(bytes, data + 7);
    return header('webp', w === undefined ? undefined : w + 1, h === undefined ? undefined : h + 1,
      flags === undefined ? undefined : (flags & 0x10) !== 0);
  }
  if (chunk === 'VP8L') {
    const bits = bytes[data] === 0x2f ? u32le(bytes, data + 1) : undefined;
    if (bits === undefined) return header('webp', undefined, undefined, undefined);
    // 14-bit width-1, 14-bit height-1, then the alpha_is_used hint.
    return header('webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1, ((bits >>> 28) & 1) === 1);
  }
  if (chunk === 'VP8 ') {
    if (!startsWith(bytes, data + 3, [0x9d, 0x01, 0x2a])) return header('webp', undefined, undefined, false);
    const w = u16le(bytes, data + 6);
    const h = u16le(bytes, data + 8);
    // The top two bits of each field are a scaling hint, not part of the size.
    return header('webp', w === undefined ? undefined : w & 0x3fff, h === undefined ? undefined : h & 0x3fff, false);
  }
  return header('webp', undefined, undefined, undefined);
}

/**
 * BMP: reads the DIB header (BITMAPCOREHEADER or BITMAPINFOHEADER and its V2–V5 extensions); negative height = top-down.
 * Alpha is best effort: a non-zero alpha mask (V3+ header or BI_ALPHABITFIELDS) means alpha; 32-bit BI_RGB is
 * ambiguous (the fourth byte is reserved, yet many writers store alpha there), so it is reported as unknown.
 */
function parseBmp(bytes: Uint8Array): ImageHeader {
  const dibSize = u32le(bytes, 14) ?? 0;
  if (dibSize === 12) return header('bmp', u16le(bytes, 18), u16le(bytes, 20), false);
  const w = i32le(bytes, 18);
  const h = i32le(bytes, 22);
  const width = w === undefined || w <= 0 ? undefined : w;
  const height = h === undefined || h === 0 ? undefined : Math.abs(h);
  return header('bmp', width, height, bmpHasAlpha(bytes, dibSize));
}

function bmpHasAlpha(bytes: Uint8Array, dibSize: number): boolean | undefined {
  const bitCount = u16le(bytes, 28);
  const compression = u32le(bytes, 30);
  if (bitCount === undefined || compression === undefined) return undefined;
  if (bitCount !== 16 && bitCount !== 32) return false;
  const BI_RGB = 0, BI_BITFIELDS = 3, BI_ALPHABITFIELDS = 6;
  if (compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS) {
    // The alpha mask sits at file offset 66: inside a V3+ header, or right after the colour masks for ALPHABITFIELDS.
    if (dibSize < 56 && compression === BI_BITFIELDS) return false;
    const alphaMask = u32le(bytes, 66);
    return alphaMask === undefined ? undefined : alphaMask !== 0;
  }
  if (compression === BI_RGB) return bitCount === 32 ? undefined : false;
  return false;
}

/** HEIF/AVIF: an ISO-BMFF `ftyp` box whose major or compatible brands name an image format. */
function isobmffImageFormat(bytes: Uint8Array): 'heif' | 'avif' | undefined {
  if (ascii(bytes, 4, 4) !== 'ftyp') return undefined;
  const boxSize = u32be(bytes, 0) ?? 0;
  const end = Math.min(bytes.length, Math.max(16, Math.min(boxSize, 4096)));
  const brands: string[] = [];
  for (let offset = 8; offset + 4 <= end; offset += offset === 8 ? 8 : 4) { // skip minor_version after the major brand
    const brand = ascii(bytes, offset, 4);
    if (brand !== undefined) brands.push(brand);
  }
  // Checking AVIF first: AVIF files often also list the generic `mif1` HEIF brand.
  if (brands.some(b => b === 'avif' || b === 'avis')) return 'avif';
  const heif = ['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'];
  return brands.some(b => heif.includes(b)) ? 'heif' : undefined;
}

function startsWith(bytes: Uint8Array, offset: number, magic: readonly number[]): boolean {
  if (offset < 0 || offset + magic.length > bytes.length) return false;
  return magic.every((b, i) => bytes[offset + i] === b);
}

/** `length` bytes as Latin-1 text, or undefined when out of bounds. */
function ascii(bytes: Uint8Array, offset: number, length: number): string | undefined {
  if (offset < 0 || offset + length > bytes.length) return undefined;
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

function u16be(b: Uint8Array, o: number): number | undefined {
  const b0 = b[o], b1 = b[o + 1];
  return b0 === undefined || b1 === undefined ? undefined : (b0 << 8) | b1;
}

function u16le(b: Uint8Array, o: number): number | undefined {
  const b0 = b[o], b1 = b[o + 1];
  return b0 === undefined || b1 === undefined ? undefined : b0 | (b1 << 8);
}

function u24le(b: Uint8Array, o: number): number | undefined {
  const lo = u16le(b, o), hi = b[o + 2];
  return lo === undefined || hi === undefined ? undefined : lo | (hi << 16);
}

function u32be(b: Uint8Array, o: number): number | undefined {
  const hi = u16be(b, o), lo = u16be(b, o + 2);
  return hi === undefined || lo === undefined ? undefined : hi * 0x10000 + lo;
}

function u32le(b: Uint8Array, o: number): number | undefined {
  const lo = u16le(b, o), hi = u16le(b, o + 2);
  return lo === undefined || hi === undefined ? undefined : hi * 0x10000 + lo;
}

function i32le(b: Uint8Array, o: number): number | undefined {
  const v = u32le(b, o);
  return v === undefined ? undefined : v | 0;
}
