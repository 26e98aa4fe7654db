// Reads an MP4/MOV file's duration and picture size from its boxes (ftyp, moov/mvhd, trak/tkhd) without reading
// the file: box headers are walked by their sizes with small reads, so a moov at the end costs a few reads too.

/** What the header says about a video file. */
export interface VideoHeader {
  /** Seconds, from the movie header (mvhd duration / timescale). */
  readonly duration: number;
  /** Display size of the first video track (tkhd), turned by a 90°/270° rotation matrix. */
  readonly width: number;
  readonly height: number;
  /** `mov` for QuickTime files (brand `qt  `, or no ftyp), else `mp4`. */
  readonly format: 'mp4' | 'mov';
}

/** Reads up to `length` bytes at `position` (fewer at the end of the file). */
export type ByteReader = (position: number, length: number) => Promise<Uint8Array>;

/** The header, or why it cannot be read (a truncated or damaged file). */
export type VideoHeaderResult = { readonly video: VideoHeader } | { readonly error: string };

/** Box types a QuickTime file may start with when it has no ftyp. */
const QUICKTIME_FIRST = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);
/** Boxes walked per level at most: real files have a handful; the cap bounds damaged ones. */
const MAX_BOXES = 4096;

interface Box {
  readonly type: string;
  /** Offset of the box's header and of its body, and where it ends. */
  readonly start: number;
  readonly body: number;
  readonly end: number;
}

/** A problem found while walking the boxes; turned into the result's `error`. */
class BoxError extends Error {}

/**
 * Walks the boxes in [start, end) and returns them; throws BoxError for a box that claims more bytes than its
 * parent holds (a truncated file) or less than its own header.
 */
async function boxesIn(read: ByteReader, start: number, end: number, where: string): Promise<Box[]> {
  const boxes: Box[] = [];
  let offset = start;
  while (offset + 8 <= end && boxes.length < MAX_BOXES) {
    const head = await read(offset, 16);
    const size32 = u32(head, 0);
    const type = fourcc(head, 4);
    if (size32 === undefined || type === undefined) throw new BoxError(`the file ends inside a box header at byte ${offset}${where}`);
    let headerSize = 8;
    let size = size32;
    if (size32 === 1) {
      const large = u64(head, 8);
      if (large === undefined) throw new BoxError(`the file ends inside the header of the \`${type}\` box at byte ${offset}${where}`);
      headerSize = 16;
      size = large;
    } else if (size32 === 0) {
      size = end - offset; // the box runs to the end of its parent (the file, for top-level boxes)
    }
    if (size < headerSize) throw new BoxError(`the \`${printable(type)}\` box at byte ${offset}${where} has an impossible size (${size} bytes)`);
    if (offset + size > end) {
      throw new BoxError(`the \`${printable(type)}\` box at byte ${offset}${where} needs ${size} bytes but only ${end - offset} are there: the file is truncated`);
    }
    boxes.push({ type, start: offset, body: offset + headerSize, end: offset + size });
    offset += size;
  }
  return boxes;
}

/** What moov says: the movie's duration and the first video track's size. */
interface MovieFacts {
  duration?: number;
  size?: { width: number; height: number };
}

/**
 * Parses the header of an MP4/MOV file of `fileSize` bytes through `read`: undefined when it is not a video
 * (it does not start like an MP4/MOV, or holds no video track), `error` when its boxes are cut short or
 * damaged or lack what is needed (no moov, no duration).
 */
export async function parseVideoHeader(read: ByteReader, fileSize: number): Promise<VideoHeaderResult | undefined> {
  const first = await read(0, 12);
  const firstType = fourcc(first, 4);
  if (firstType === undefined || (firstType !== 'ftyp' && !QUICKTIME_FIRST.has(firstType))) return undefined;
  try {
    const top = await boxesIn(read, 0, fileSize, '');
    const ftyp = top.find((b) => b.type === 'ftyp');
    const format = ftyp === undefined || fourcc(await read(ftyp.body, 4), 0) === 'qt  ' ? 'mov' : 'mp4';
    const moov = top.find((b) => b.type === 'moov');
    if (moov === undefined) return { error: 'no `moov` box (the index of an MP4/MOV file): the file is incomplete or not a finished recording' };
    // A file cut right after a leading moov has a whole header and no pictures.
    if (!top.some((b) => b.type === 'mdat')) return { error: 'no `mdat` box (the media data): the file is truncated or holds only its header' };
    const facts = await movieFacts(read, moov);
    // An MP4 holding only sound (an .mp4 used as audio) is not a video, and not broken either.
    if (facts.size === undefined) return undefined;
    if (facts.duration === undefined) return { error: 'the movie header (`mvhd`) gives no duration' };
    return { video: { duration: facts.duration, width: facts.size.width, height: facts.size.height, format } };
  } catch (error) {
    if (error instanceof BoxError) return { error: error.message };
    throw error;
  }
}

/** Reads mvhd (and mvex/mehd for fragmented files) and the first video track's tkhd. */
async function movieFacts(read: ByteReader, moov: Box): Promise<MovieFacts> {
  const facts: MovieFacts = {};
  let timescale: number | undefined;
  let fragmentDuration: number | undefined;
  for (const box of await boxesIn(read, moov.body, moov.end, ' of `moov`')) {
    if (box.type === 'mvhd') {
      const header = parseMvhd(await read(box.body, 32));
      timescale = header?.timescale;
      if (header && header.timescale > 0 && header.duration > 0 && header.duration !== unknownDuration(header.version)) {
        facts.duration = header.duration / header.timescale;
      }
    } else if (box.type === 'mvex') {
      const mehd = (await boxesIn(read, box.body, box.end, ' of `mvex`')).find((b) => b.type === 'mehd');
      if (mehd) fragmentDuration = parseMehd(await read(mehd.body, 12));
    } else if (box.type === 'trak' && facts.size === undefined) {
      const size = await videoTrackSize(read, box);
      if (size) facts.size = size;
    }
  }
  // A fragmented file's mvhd may say 0; its mvex/mehd then holds the whole duration in the same timescale.
  if (facts.duration === undefined && fragmentDuration !== undefined && timescale !== undefined && timescale > 0 && fragmentDuration > 0) {
    facts.duration = fragmentDuration / timescale;
  }
  return facts;
}

/** The display size of a track whose handler is `vide` (picture), from its tkhd; undefined for other tracks. */
async function videoTrackSize(read: ByteReader, trak: Box): Promise<{ width: number; height: number } | undefined> {
  const children = await boxesIn(read, trak.body, trak.end, ' of a `trak`');
  const mdia = children.find((b) => b.type === 'mdia');
  const tkhd = children.find((b) => b.type === 'tkhd');
  if (!mdia || !tkhd) return undefined;
  const hdlr = (await boxesIn(read, mdia.body, mdia.end, ' of an `mdia`')).find((b) => b.type === 'hdlr');
  // hdlr: version+flags (4), pre_defined / component type (4), handler_type (4)
  if (!hdlr || fourcc(await read(hdlr.body + 8, 4), 0) !== 'vide') return undefined;
  return parseTkhd(await read(tkhd.body, 96));
}

/** mvhd: version 1 has 64-bit times and duration. */
function parseMvhd(b: Uint8Array): { version: number; timescale: number; duration: number } | undefined {
  const version = b[0];
  if (version === 1) {
    const timescale = u32(b, 20);
    const duration = u64(b, 24);
    return timescale === undefined || duration === undefined ? undefined : { version, timescale, duration };
  }
  const timescale = u32(b, 12);
  const duration = u32(b, 16);
  return version === undefined || timescale === undefined || duration === undefined ? undefined : { version, timescale, duration };
}

/** All ones: "duration unknown" in mvhd. */
function unknownDuration(version: number): number {
  return version === 1 ? 2 ** 64 - 1 : 0xffffffff;
}

/** mehd: the fragment duration, 64-bit in version 1. */
function parseMehd(b: Uint8Array): number | undefined {
  return b[0] === 1 ? u64(b, 4) : u32(b, 4);
}

/** tkhd: width and height (16.16 fixed) after the matrix; a matrix turning by 90° or 270° swaps them. */
function parseTkhd(b: Uint8Array): { width: number; height: number } | undefined {
  const matrixAt = b[0] === 1 ? 52 : 40;
  const a = i32(b, matrixAt);
  const d = i32(b, matrixAt + 16);
  const w = u32(b, matrixAt + 36);
  const h = u32(b, matrixAt + 40);
  if (a === undefined || d === undefined || w === undefined || h === undefined) return undefined;
  const width = Math.round(w / 65536);
  const height = Math.round(h / 65536);
  if (width === 0 || height === 0) return undefined;
  return a === 0 && d === 0 ? { width: height, height: width } : { width, height };
}

function fourcc(b: Uint8Array, o: number): string | undefined {
  if (o + 4 > b.length) return undefined;
  return String.fromCharCode(b[o] ?? 0, b[o + 1] ?? 0, b[o + 2] ?? 0, b[o + 3] ?? 0);
}

/** A box type for messages: unprintable bytes as `?`. */
function printable(type: string): string {
  return type.replace(/[^\x20-\x7e]/g, '?');
}

function u32(b: Uint8Array, o: number): number | undefined {
  if (o < 0 || o + 4 > b.length) return undefined;
  return (((b[o] ?? 0) << 24) >>> 0) + ((b[o + 1] ?? 0) << 16) + ((b[o + 2] ?? 0) << 8) + (b[o + 3] ?? 0);
}

function i32(b: Uint8Array, o: number): number | undefined {
  const v = u32(b, o);
  return v === undefined ? undefined : v | 0;
}

/** 64-bit big-endian as a number (exact below 2^53, which covers any real file size or duration). */
function u64(b: Uint8Array, o: number): number | undefined {
  const hi = u32(b, o);
  const lo = u32(b, o + 4);
  return hi === undefined || lo === undefined ? undefined : hi * 2 ** 32 + lo;
}
