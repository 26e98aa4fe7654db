// The I/O edge for asset validation: stats a file and reads only its first bytes for the header parsers
// (and, for MP4/MOV videos, the box headers leading to the moov box, wherever it is).
import { constants, promises as fs } from 'node:fs';
import { extname } from 'node:path';
import { AUDIO_HEADER_BYTES, audioHeaderNeedsMore, parseAudioHeader, type AudioHeader } from './audio-header.js';
import { IMAGE_HEADER_BYTES, parseImageHeader, type ImageHeader } from './image-header.js';
import { parseVideoHeader, type VideoHeader } from './video-header.js';

export type { VideoHeader } from './video-header.js';

/** What validation needs to know about a referenced file; `error` explains why it could not be inspected. */
export interface AssetInfo {
  exists: boolean;
  /** File size in bytes. */
  bytes?: number;
  /** The canonical path with symlinks resolved, so callers can tell when a link escapes its directory. */
  realPath?: string;
  image?: ImageHeader;
  audio?: AudioHeader;
  /** For `.mp4`/`.mov` files holding a video track: duration (s), display size and container. */
  video?: VideoHeader;
  error?: string;
}

/** Extensions whose files are read as videos (case-insensitive). */
const VIDEO_EXTENSIONS = new Set(['.mp4', '.mov']);

/**
 * Stats `absPath` and parses its image or audio header from the first few KiB (never the whole file).
 * Missing → `{ exists: false }`; other I/O failures come back as `error` text instead of a throw.
 */
export async function readAssetInfo(absPath: string): Promise<AssetInfo> {
  let stat;
  try {
    stat = await fs.stat(absPath);
  } catch (err) {
    const code = errorCode(err);
    // ENOTDIR: a path component is a file, so the asset cannot exist either. A dangling symlink is ENOENT.
    if (code === 'ENOENT' || code === 'ENOTDIR') return { exists: false };
    return { exists: false, error: errorText(err) };
  }
  let realPath: string | undefined;
  try {
    realPath = await fs.realpath(absPath);
  } catch (err) {
    return { exists: true, error: errorText(err) };
  }
  if (stat.isDirectory()) return { exists: true, realPath, error: 'is a directory' };
  // FIFOs, sockets and devices could block or never end; assets must be regular files.
  if (!stat.isFile()) return { exists: true, realPath, error: 'not a regular file' };
  try {
    return { exists: true, realPath, ...(await readHeaders(absPath)) };
  } catch (err) {
    return { exists: true, realPath, bytes: stat.size, error: errorText(err) };
  }
}

/**
 * Opens the file once and runs the parsers; a second small read only for MP3s behind an oversized ID3 tag, and
 * a few small reads of box headers for `.mp4`/`.mov` files.
 */
async function readHeaders(absPath: string): Promise<Pick<AssetInfo, 'bytes' | 'image' | 'audio' | 'video' | 'error'>> {
  // O_NONBLOCK keeps open() from hanging if the path was swapped for a FIFO after the stat; no effect on files.
  const handle = await fs.open(absPath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return { bytes: stat.size, error: 'not a regular file' };
    const head = await readAt(handle, 0, Math.min(stat.size, Math.max(IMAGE_HEADER_BYTES, AUDIO_HEADER_BYTES)));
    const image = parseImageHeader(head);
    if (image !== undefined) return { bytes: stat.size, image };
    const framesAt = audioHeaderNeedsMore(head);
    const frames = framesAt !== undefined && framesAt < stat.size
      ? await readAt(handle, framesAt, Math.min(stat.size - framesAt, AUDIO_HEADER_BYTES))
      : undefined;
    const audio = parseAudioHeader(head, stat.size, frames);
    const facts = audio === undefined ? { bytes: stat.size } : { bytes: stat.size, audio };
    if (!VIDEO_EXTENSIONS.has(extname(absPath).toLowerCase())) return facts;
    const video = await parseVideoHeader((position, length) => readAt(handle, position, Math.max(0, Math.min(length, stat.size - position))), stat.size);
    if (video === undefined) return facts;
    return 'video' in video ? { ...facts, video: video.video } : { ...facts, error: `not a readable MP4/MOV video: ${video.error}` };
  } finally {
    await handle.close();
  }
}

/** Reads up to `length` bytes at `position`, looping because a single read may return fewer. */
async function readAt(handle: fs.FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(Math.max(0, length));
  let filled = 0;
  while (filled < buffer.length) {
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, position + filled);
    if (bytesRead === 0) break; // the file shrank since the stat
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
