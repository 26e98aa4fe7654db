// Reads the frame code (tag, frame) of every frame of a video: the codes a clip (or a cut of it) carries, or those of
// a film whose clips were drawn at `source` size and fitted into it, frame by frame, decoded as a stream.
import { decodeContrasts, fitMapping, mappedPatches, readContrasts, type FrameCode } from '../../src/media/frame-code.js';
import { probeMedia, runFfmpeg } from '../../src/media/ffmpeg.js';
import type { FfmpegTools } from '../../src/media/ffmpeg-binaries.js';

type Size = { readonly width: number; readonly height: number };

/** Per decoded frame: the first code a patch reads cleanly, or undefined. `source`: the size the codes were drawn at. */
export async function videoCodes(tools: FfmpegTools, file: string, source?: Size, fit: 'cover' | 'contain' | 'stretch' = 'contain'): Promise<(FrameCode | undefined)[]> {
  const video = (await probeMedia(tools, file)).streams.find((s) => s.codecType === 'video');
  const size = { width: video?.width ?? 0, height: video?.height ?? 0 };
  const drawn = source ?? size;
  const patches = mappedPatches(drawn, size, fitMapping(drawn, size, fit));
  const bytes = size.width * size.height;
  const frame = Buffer.alloc(bytes);
  let filled = 0;
  const codes: (FrameCode | undefined)[] = [];
  const onData = (chunk: Buffer): void => {
    for (let at = 0; at < chunk.length;) {
      const n = Math.min(bytes - filled, chunk.length - at);
      chunk.copy(frame, filled, at, at + n);
      filled += n;
      at += n;
      if (filled < bytes) continue;
      codes.push(patches.map((p) => decodeContrasts(readContrasts(frame, size.width, p))).find((c) => c !== undefined));
      filled = 0;
    }
  };
  await runFfmpeg(tools, ['-v', 'error', '-i', file, '-map', '0:v:0', '-vf', 'extractplanes=y', '-f', 'rawvideo', '-'], { onStdoutData: onData });
  return codes;
}

/** The codes as `tag:frame` strings (`?` for an unreadable frame), for readable expectations. */
export function codeStrings(codes: readonly (FrameCode | undefined)[]): string[] {
  return codes.map((c) => (c ? `${c.tag}:${c.frame}` : '?'));
}
