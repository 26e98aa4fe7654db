// Frames of a video picked by number in ONE decoding pass (ffmpeg's select filter), as raw pixels at a working
// size: what drift is measured from on a whole film, where seeking once per frame would reopen the film every time.
import { runFfmpeg } from './ffmpeg.js';
import { ACCURATE_SWS, workingSize, type PictureSource, type RawFrame, type ReadFramesOptions } from './read-frames.js';
import type { FfmpegTools } from './tools.js';

/**
 * Decodes frames `numbers` (0-based, in decoding order; any order, repeats allowed) of the video `source` and returns
 * them in the order asked. Throws when the video ends before a frame asked for.
 */
export async function selectFrames(tools: FfmpegTools, source: PictureSource, numbers: readonly number[], options: ReadFramesOptions): Promise<RawFrame[]> {
  const wanted = [...new Set(numbers.map((n) => Math.max(0, Math.round(n))))].sort((a, b) => a - b);
  if (wanted.length === 0) return [];
  const size = workingSize(source, options.size);
  const resize = size.width !== source.width || size.height !== source.height;
  const filters = [
    `select='${wanted.map((n) => `eq(n,${n})`).join('+')}'`,
    `scale=${resize ? `${size.width}:${size.height}:flags=area+` : 'flags='}${ACCURATE_SWS}`,
    `format=${options.format}`,
  ];
  const chunks: Buffer[] = [];
  await runFfmpeg(tools, ['-v', 'error', '-i', source.file, '-map', '0:v:0', '-vf', filters.join(','), '-vsync', 'passthrough', '-f', 'rawvideo', '-pix_fmt', options.format, '-'], {
    onStdoutData: (chunk) => void chunks.push(Buffer.from(chunk)), ...(options.signal ? { signal: options.signal } : {}),
  });
  const all = Buffer.concat(chunks);
  const bytes = size.width * size.height * (options.format === 'rgb24' ? 3 : 1);
  if (all.length !== bytes * wanted.length) {
    throw new Error(`${source.file}: ${Math.floor(all.length / bytes)} of ${wanted.length} frames decoded (frame ${wanted.at(-1) ?? 0} past its end?)`);
  }
  const byNumber = new Map(wanted.map((n, i) => [n, { ...size, format: options.format, data: new Uint8Array(all.buffer, all.byteOffset + i * bytes, bytes) }]));
  return numbers.map((n) => byNumber.get(Math.max(0, Math.round(n))) as RawFrame);
}
