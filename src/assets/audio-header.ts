// Reads audio format and duration from the first bytes of a file, without decoding samples.
// Every read is bounds-checked: truncated or garbage input yields missing fields, never a throw.

/** Audio container formats recognised by magic; wav, mp3 and flac are parsed for duration. */
type AudioFormat = 'wav' | 'mp3' | 'aac' | 'm4a' | 'mp4' | 'ogg' | 'flac' | 'aiff';

/** What the header says about a recording; `durationExact` is false for estimates and unknown durations. */
export interface AudioHeader {
  format: AudioFormat;
  durationSeconds?: number;
  durationExact: boolean;
  sampleRate?: number;
  channels?: number;
  /** Average bits per second of the audio data, when known. */
  bitrate?: number;
  /** WAV sample coding ('pcm', 'float', 'alaw', 'mulaw' or the hex format tag); MPEG version and layer for MP3. */
  codec?: string;
}

/** How many leading bytes a caller should read; see `audioHeaderNeedsMore` for MP3s whose ID3 tag is bigger. */
export const AUDIO_HEADER_BYTES = 64 * 1024;

/** Bytes past the ID3 tag needed to see the first frame, its Xing/VBRI header and the next frame's header. */
const FRAME_WINDOW_BYTES = 4096;

/**
 * When `head` starts with an ID3v2 tag that leaves no room for the first MPEG frame (big cover art), the file offset
 * where the frames start: read up to `AUDIO_HEADER_BYTES` there and pass them as `parseAudioHeader`'s `frames`.
 */
export function audioHeaderNeedsMore(head: Uint8Array): number | undefined {
  const tagEnd = id3End(head);
  return tagEnd !== undefined && tagEnd > 0 && tagEnd + FRAME_WINDOW_BYTES > head.length ? tagEnd : undefined;
}

/**
 * Detects the audio format of `head` (the start of a file of `fileSize` bytes) and reads rate, channels and duration.
 * `frames` is the optional second read at the offset `audioHeaderNeedsMore` returned; `undefined` if not audio.
 */
export function parseAudioHeader(head: Uint8Array, fileSize: number, frames?: Uint8Array): AudioHeader | undefined {
  const riff = ascii(head, 0, 4);
  if ((riff === 'RIFF' || riff === 'RF64' || riff === 'BW64') && ascii(head, 8, 4) === 'WAVE') return parseWav(head, fileSize);
  if (riff === 'fLaC') return parseFlac(head);
  if (riff === 'OggS') return { format: 'ogg', durationExact: false };
  const form = ascii(head, 8, 4);
  if (riff === 'FORM' && (form === 'AIFF' || form === 'AIFC')) return { format: 'aiff', durationExact: false };
  if (ascii(head, 4, 4) === 'ftyp') return mp4Format(head);
  return parseMpeg(head, fileSize, frames);
}

interface WavFmt { tag: number; channels: number; sampleRate: number; byteRate: number; blockAlign: number }

/** WAV/RF64: walks chunks to `data`, collecting `fmt `, `fact` and the RF64 `ds64` 64-bit data size on the way. */
function parseWav(bytes: Uint8Array, fileSize: number): AudioHeader {
  let fmt: WavFmt | undefined;
  let factFrames: number | undefined;
  let ds64DataSize: number | undefined;
  let offset = 12;
  // Each step advances by at least 8 bytes; the cap bounds pathological files full of empty chunks.
  for (let i = 0; i < 4096; i++) {
    const id = ascii(bytes, offset, 4);
    const size = u32le(bytes, offset + 4);
    if (id === undefined || size === undefined) break;
    const body = offset + 8;
    if (id === 'ds64') ds64DataSize = u64le(bytes, body + 8);
    else if (id === 'fmt ') fmt = readWavFmt(bytes, body, size);
    else if (id === 'fact') factFrames = u32le(bytes, body);
    else if (id === 'data') {
      const declared = size === 0xffffffff && ds64DataSize !== undefined ? ds64DataSize : size;
      return wavDuration(fmt, declared, fileSize - body, factFrames);
    }
    offset = body + size + (size & 1); // chunks are padded to an even length
  }
  return wavDuration(fmt, undefined, 0, factFrames);
}

function readWavFmt(bytes: Uint8Array, body: number, size: number): WavFmt | undefined {
  let tag = u16le(bytes, body);
  const channels = u16le(bytes, body + 2);
  const sampleRate = u32le(bytes, body + 4);
  const byteRate = u32le(bytes, body + 8);
  const blockAlign = u16le(bytes, body + 12);
  if (tag === undefined || channels === undefined || sampleRate === undefined || byteRate === undefined || blockAlign === undefined) return undefined;
  // WAVE_FORMAT_EXTENSIBLE: the real tag is the first two bytes of the sub-format GUID.
  if (tag === 0xfffe && size >= 40) tag = u16le(bytes, body + 24) ?? tag;
  return { tag, channels, sampleRate, byteRate, blockAlign };
}

/** Duration from the data size: exact for fixed-size frames (PCM, float, G.711) or a `fact` count, else an estimate. */
function wavDuration(fmt: WavFmt | undefined, declared: number | undefined, available: number, factFrames: number | undefined): AudioHeader {
  const result: AudioHeader = { format: 'wav', durationExact: false };
  if (fmt === undefined) return result;
  const codecs: Record<number, string> = { 1: 'pcm', 3: 'float', 6: 'alaw', 7: 'mulaw' };
  Object.assign(result, {
    sampleRate: fmt.sampleRate, channels: fmt.channels, bitrate: fmt.byteRate * 8,
    codec: codecs[fmt.tag] ?? `0x${fmt.tag.toString(16).padStart(4, '0')}`,
  });
  if (declared === undefined || fmt.sampleRate === 0) return result;
  // A size of 0 or 0xFFFFFFFF comes from streaming writers; a size past EOF from truncation. Both: trust the file.
  const fromHeader = declared !== 0 && declared !== 0xffffffff && declared <= available;
  const dataSize = Math.max(0, fromHeader ? declared : available);
  if (codecs[fmt.tag] !== undefined && fmt.blockAlign > 0) {
    result.durationSeconds = Math.floor(dataSize / fmt.blockAlign) / fmt.sampleRate;
    result.durationExact = fromHeader;
  } else if (factFrames !== undefined && factFrames > 0) {
    result.durationSeconds = factFrames / fmt.sampleRate;
    result.durationExact = true;
  } else if (fmt.byteRate > 0) {
    result.durationSeconds = dataSize / fmt.byteRate;
  }
  return result;
}

/** FLAC: the mandatory first STREAMINFO block holds rate, channels and the total sample count. */
function parseFlac(bytes: Uint8Array): AudioHeader {
  const b18 = bytes[18], b19 = bytes[19], b20 = bytes[20], b21 = bytes[21];
  const low = u32be(bytes, 22);
  if ((bytes[4] ?? 1) & 0x7f || b18 === undefined || b19 === undefined || b20 === undefined || b21 === undefined || low === undefined) {
    return { format: 'flac', durationExact: false };
  }
  const sampleRate = (b18 << 12) | (b19 << 4) | (b20 >> 4);
  const channels = ((b20 >> 1) & 7) + 1;
  const samples = (b21 & 0x0f) * 0x1_0000_0000 + low;
  // A total of 0 means "unknown" in STREAMINFO.
  if (sampleRate === 0 || samples === 0) return { format: 'flac', durationExact: false, sampleRate, channels };
  return { format: 'flac', durationSeconds: samples / sampleRate, durationExact: true, sampleRate, channels };
}

/** ISO-BMFF: audio-only brands are m4a; HEIF/AVIF stills are not audio; anything else is a generic mp4. */
function mp4Format(bytes: Uint8Array): AudioHeader | undefined {
  const brand = ascii(bytes, 8, 4) ?? '';
  if (['M4A ', 'M4B ', 'M4P '].includes(brand)) return { format: 'm4a', durationExact: false };
  if (['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1', 'avif', 'avis'].includes(brand)) return undefined;
  return { format: 'mp4', durationExact: false };
}

/** Offset just past the ID3v2 tags at the start (0 when there are none), or undefined when a tag header is cut off. */
function id3End(bytes: Uint8Array): number | undefined {
  let offset = 0;
  // Some taggers stack several tags; four is plenty and keeps the loop bounded.
  for (let i = 0; i < 4 && ascii(bytes, offset, 3) === 'ID3'; i++) {
    const flags = bytes[offset + 5];
    const s = [bytes[offset + 6], bytes[offset + 7], bytes[offset + 8], bytes[offset + 9]];
    if (flags === undefined || s.some(b => b === undefined)) return undefined;
    // Syncsafe integer: 7 bits per byte so the size never contains a false frame sync.
    const size = s.reduce<number>((acc, b) => acc * 128 + ((b ?? 0) & 0x7f), 0);
    offset += 10 + size + (flags & 0x10 ? 10 : 0); // a footer repeats the header
  }
  return offset;
}

interface MpegFrame { version: 1 | 2 | 2.5; layer: 1 | 2 | 3; bitrate: number; sampleRate: number; channels: number; samplesPerFrame: number; length: number }

const BITRATES_KBPS: Record<string, readonly number[]> = {
  v1l1: [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  v1l2: [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  v1l3: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  v2l1: [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  v2l2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};

/** Decodes a 4-byte MPEG audio frame header; free-format and reserved values are rejected as not-a-frame. */
function readMpegFrame(b: Uint8Array, o: number): MpegFrame | undefined {
  const b1 = b[o + 1], b2 = b[o + 2], b3 = b[o + 3];
  if (b[o] !== 0xff || b1 === undefined || b2 === undefined || b3 === undefined || (b1 & 0xe0) !== 0xe0) return undefined;
  const versionBits = (b1 >> 3) & 3, layerBits = (b1 >> 1) & 3, rateIndex = b2 >> 4, srIndex = (b2 >> 2) & 3;
  if (versionBits === 1 || layerBits === 0 || rateIndex === 0 || rateIndex === 15 || srIndex === 3 || (b3 & 3) === 2) return undefined;
  const version = versionBits === 3 ? 1 : versionBits === 2 ? 2 : 2.5;
  const layer = layerBits === 3 ? 1 : layerBits === 2 ? 2 : 3;
  const table = BITRATES_KBPS[`v${version === 1 ? 1 : 2}l${version !== 1 && layer === 3 ? 2 : layer}`] ?? [];
  const bitrate = (table[rateIndex] ?? 0) * 1000;
  const sampleRate = ([44100, 48000, 32000][srIndex] ?? 0) / (version === 1 ? 1 : version === 2 ? 2 : 4);
  const samplesPerFrame = layer === 1 ? 384 : layer === 3 && version !== 1 ? 576 : 1152;
  const padding = (b2 >> 1) & 1;
  const length = layer === 1
    ? (Math.floor((12 * bitrate) / sampleRate) + padding) * 4
    : Math.floor((samplesPerFrame / 8) * bitrate / sampleRate) + padding;
  return { version, layer, bitrate, sampleRate, channels: b3 >> 6 === 3 ? 1 : 2, samplesPerFrame, length };
}

/** MP3 (and ADTS AAC by its sync word): skips ID3v2, finds the first frame, then Xing/Info/VBRI or a CBR estimate. */
function parseMpeg(head: Uint8Array, fileSize: number, frames: Uint8Array | undefined): AudioHeader | undefined {
  const tagEnd = id3End(head);
  if (tagEnd === undefined) return { format: 'mp3', durationExact: false };
  const useWindow = frames !== undefined && tagEnd > 0 && tagEnd + FRAME_WINDOW_BYTES > head.length;
  const buf = useWindow ? frames : head;
  const base = useWindow ? tagEnd : 0;
  // A second, stacked tag may open the window too.
  const from = useWindow ? id3End(frames) ?? 0 : tagEnd;
  // ADTS shares the 12-bit sync but has layer bits 00, which MPEG audio reserves.
  if (buf[from] === 0xff && ((buf[from + 1] ?? 0) & 0xf6) === 0xf0) return { format: 'aac', durationExact: false };
  // Without an ID3 tag the frame must start the file, so random binary is not mistaken for MP3.
  const last = tagEnd > 0 ? buf.length - 4 : Math.min(from, buf.length - 4);
  for (let pos = from; pos <= last; pos++) {
    const frame = readMpegFrame(buf, pos);
    if (frame === undefined) continue;
    const next = readMpegFrame(buf, pos + frame.length);
    // Confirm with the following frame header when the buffer holds it, to skip false syncs in junk.
    if (pos + frame.length + 4 <= buf.length && (next === undefined || next.sampleRate !== frame.sampleRate)) continue;
    return mpegDuration(buf, pos, frame, fileSize - base - pos);
  }
  return tagEnd > 0 ? { format: 'mp3', durationExact: false } : undefined;
}

function mpegDuration(buf: Uint8Array, pos: number, frame: MpegFrame, audioBytes: number): AudioHeader {
  const result: AudioHeader = {
    format: 'mp3', durationExact: false, sampleRate: frame.sampleRate, channels: frame.channels,
    codec: `mpeg-${frame.version} layer ${frame.layer}`,
  };
  const samples = frame.layer === 3 ? vbrSampleCount(buf, pos, frame) : undefined;
  if (samples !== undefined) {
    result.durationSeconds = samples / frame.sampleRate;
    result.durationExact = true;
    if (samples > 0 && audioBytes > 0) result.bitrate = Math.round((audioBytes * 8) / result.durationSeconds);
  } else if (audioBytes > 0) {
    // No frame count: assume constant bitrate (a VBR file without a Xing header gets a rough estimate).
    result.durationSeconds = (audioBytes * 8) / frame.bitrate;
    result.bitrate = frame.bitrate;
  }
  return result;
}

/** Samples decoded from a Xing/Info or VBRI header, minus the LAME encoder delay and padding when present. */
function vbrSampleCount(buf: Uint8Array, pos: number, frame: MpegFrame): number | undefined {
  const sideInfo = frame.version === 1 ? (frame.channels === 1 ? 17 : 32) : (frame.channels === 1 ? 9 : 17);
  const xing = pos + 4 + sideInfo;
  const tag = ascii(buf, xing, 4);
  if (tag === 'Xing' || tag === 'Info') {
    const flags = u32be(buf, xing + 4);
    if (flags === undefined || (flags & 1) === 0) return undefined;
    const count = u32be(buf, xing + 8);
    if (count === undefined) return undefined;
    // Skip the optional byte count, TOC and quality fields to reach the LAME extension.
    const lame = xing + 12 + (flags & 2 ? 4 : 0) + (flags & 4 ? 100 : 0) + (flags & 8 ? 4 : 0);
    const total = count * frame.samplesPerFrame;
    const d0 = buf[lame + 21], d1 = buf[lame + 22], d2 = buf[lame + 23];
    if (!/^[A-Za-z][A-Za-z0-9.]{3}$/.test(ascii(buf, lame, 4) ?? '') || d0 === undefined || d1 === undefined || d2 === undefined) return total;
    const trim = ((d0 << 4) | (d1 >> 4)) + (((d1 & 0x0f) << 8) | d2); // 12-bit delay + 12-bit padding
    return trim < total ? total - trim : total;
  }
  if (ascii(buf, pos + 36, 4) === 'VBRI') {
    const count = u32be(buf, pos + 36 + 14);
    return count === undefined ? undefined : count * frame.samplesPerFrame;
  }
  return undefined;
}

/** `length` bytes as Latin-1 text, or undefined when out of bounds. */
function ascii(bytes: Uint8Array, offset: number, length: number): string | undefined {
  if (offset < 0 || offset + length > bytes.length) return undefined;
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

function u16le(b: Uint8Array, o: number): number | undefined {
  const b0 = b[o], b1 = b[o + 1];
  return b0 === undefined || b1 === undefined ? undefined : b0 | (b1 << 8);
}

function u32le(b: Uint8Array, o: number): number | undefined {
  const lo = u16le(b, o), hi = u16le(b, o + 2);
  return lo === undefined || hi === undefined ? undefined : hi * 0x10000 + lo;
}

function u32be(b: Uint8Array, o: number): number | undefined {
  const b0 = b[o], b1 = b[o + 1], b2 = b[o + 2], b3 = b[o + 3];
  if (b0 === undefined || b1 === undefined || b2 === undefined || b3 === undefined) return undefined;
  return b0 * 0x1000000 + ((b1 << 16) | (b2 << 8) | b3);
}

function u64le(b: Uint8Array, o: number): number | undefined {
  const lo = u32le(b, o), hi = u32le(b, o + 4);
  // Beyond 2^53 the value is not exact, but no real file is that large.
  return lo === undefined || hi === undefined ? undefined : hi * 0x1_0000_0000 + lo;
}
