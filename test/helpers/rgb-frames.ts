// Decoded pictures for media tests: frames (or a PNG) as raw RGB24 and luma planes, and what is in a
// rectangle of one (mean colour, bright pixels).
import { runFfmpeg } from '../../src/media/ffmpeg.js';
import type { FfmpegTools } from '../../src/media/ffmpeg-binaries.js';

/** One decoded picture: `data` holds width×height×channels bytes. */
export interface RawPicture {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  readonly data: Uint8Array;
}

/** A rectangle in pixels. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Every frame of a video (or the one picture of an image) decoded to rgb24 (or gray luma). */
export async function decodePictures(tools: FfmpegTools, file: string, size: { width: number; height: number }, format: 'rgb24' | 'gray' = 'rgb24'): Promise<RawPicture[]> {
  const chunks: Buffer[] = [];
  await runFfmpeg(tools, ['-v', 'error', '-i', file, '-map', '0:v:0', '-pix_fmt', format, '-f', 'rawvideo', '-'], { onStdoutData: (c) => void chunks.push(Buffer.from(c)) });
  const all = Buffer.concat(chunks);
  const channels = format === 'rgb24' ? 3 : 1;
  const bytes = size.width * size.height * channels;
  if (all.length === 0 || all.length % bytes !== 0) throw new Error(`${file}: ${all.length} bytes decoded, not a whole number of ${size.width}×${size.height} pictures`);
  return Array.from({ length: all.length / bytes }, (_, i) => ({ ...size, channels, data: all.subarray(i * bytes, (i + 1) * bytes) }));
}

/** Mean of each channel over a rectangle. */
export function meanColor(picture: RawPicture, box: Box): number[] {
  const sums = new Array<number>(picture.channels).fill(0);
  for (let y = box.y; y < box.y + box.height; y++) {
    for (let x = box.x; x < box.x + box.width; x++) {
      for (let c = 0; c < picture.channels; c++) sums[c] = (sums[c] ?? 0) + (picture.data[(y * picture.width + x) * picture.channels + c] ?? 0);
    }
  }
  return sums.map((s) => s / (box.width * box.height));
}

/** Pixels whose every channel is at least `level` (white text on the dark previews). */
export function brightPixels(picture: RawPicture, box: Box, level = 200): number {
  let count = 0;
  for (let y = box.y; y < box.y + box.height; y++) {
    for (let x = box.x; x < box.x + box.width; x++) {
      let bright = true;
      for (let c = 0; c < picture.channels && bright; c++) bright = (picture.data[(y * picture.width + x) * picture.channels + c] ?? 0) >= level;
      if (bright) count++;
    }
  }
  return count;
}

/** The middle of a rectangle, `share` of its size (the part no edge blending reaches). */
export function middle(box: Box, share = 0.5): Box {
  const width = Math.max(1, Math.round(box.width * share));
  const height = Math.max(1, Math.round(box.height * share));
  return { x: box.x + Math.round((box.width - width) / 2), y: box.y + Math.round((box.height - height) / 2), width, height };
}
