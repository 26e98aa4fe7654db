// Reads the frame code (tag, frame) of every frame of a video that was drawn at the video's own size: the codes a
// clip (or a cut of it) carries, frame by frame, for tests that check which frames a file holds.
import { decodeContrasts, fitMapping, mappedPatches, readContrasts, type FrameCode } from '../../src/media/frame-code.js';
import { probeMedia, runFfmpeg } from '../../src/media/ffmpeg.js';
import type { FfmpegTools } from '../../src/media/ffmpeg-binaries.js';

/** Per decoded frame: the first code a patch reads cleanly, or undefined. */
export async function videoCodes(tools: FfmpegTools, file: string): Promise<(FrameCode | undefined)[]> {
  const video = (await probeMedia(tools, file)).streams.find((s) => s.codecType === 'video');
  const width = video?.width ?? 0;
  const height = video?.height ?? 0;
  const size = { width, height };
  const patches = mappedPatches(size, size, fitMapping(size, size, 'contain'));
  const chunks: Buffer[] = [];
  await runFfmpeg(tools, ['-v', 'error', '-i', file, '-map', '0:v:0', '-vf', 'extractplanes=y', '-f', 'rawvideo', '-'], { onStdoutData: (c) => chunks.push(c) });
  const all = Buffer.concat(chunks);
  const codes: (FrameCode | undefined)[] = [];
  for (let at = 0; at + width * height <= all.length; at += width * height) {
    const luma = all.subarray(at, at + width * height);
    codes.push(patches.map((p) => decodeContrasts(readContrasts(luma, width, p))).find((c) => c !== undefined));
  }
  return codes;
}

/** The codes as `tag:frame` strings (`?` for an unreadable frame), for readable expectations. */
export function codeStrings(codes: readonly (FrameCode | undefined)[]): string[] {
  return codes.map((c) => (c ? `${c.tag}:${c.frame}` : '?'));
}
