// Writes one of the last frames of a video to a PNG (`seam_frame: sharpest` hands on a frame a few before the end),
// converted like the last frame a chain hands on (accurate rounding, full chroma), atomically.
import { rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { commitFile, tempPathFor } from '../io/atomic-write.js';
import type { FfmpegTools } from './ffmpeg-binaries.js';
import { probeMedia, runFfmpeg, videoStreamDuration } from './ffmpeg.js';

/** Options of {@link extractFrameFromEnd}. */
export interface ExtractFrameOptions {
  readonly signal?: AbortSignal;
}

/** Frames a video may be read back from its end (half a second of decoding covers them at 30 fps). */
const MAX_FROM_END = 14;

/**
 * Writes the frame `fromEnd` frames before the last of `video` (0: the last frame, exactly as `extractLastFrame`
 * writes it) to `pngOut`: the last half second (plus the frames asked for) decoded, reversed, one frame kept.
 */
export async function extractFrameFromEnd(tools: FfmpegTools, video: string, fromEnd: number, pngOut: string, options: ExtractFrameOptions = {}): Promise<void> {
  if (!Number.isInteger(fromEnd) || fromEnd < 0 || fromEnd > MAX_FROM_END) throw new Error(`cannot extract the frame ${fromEnd} before the end of ${video}: 0 to ${MAX_FROM_END} frames back`);
  const o = options.signal ? { signal: options.signal } : {};
  const info = await probeMedia(tools, video, o);
  const duration = videoStreamDuration(info);
  if (duration === undefined) throw new Error(`cannot extract a frame of ${video}: it has no video stream with a known duration`);
  // not -sseof: that is relative to the container, which is longer than the video when audio runs on
  const seek = Math.max(0, duration - 0.5 - fromEnd / 30).toFixed(6);
  const target = resolve(pngOut);
  const temp = tempPathFor(target) + '.png';
  try {
    const pick = fromEnd === 0 ? 'reverse' : `reverse,trim=start_frame=${fromEnd}:end_frame=${fromEnd + 1}`;
    const args = ['-ss', seek, '-i', info.file, '-map', '0:v:0', '-vf', pick, '-sws_flags', 'accurate_rnd+full_chroma_int', '-frames:v', '1', '-c:v', 'png', temp];
    const { stderr } = await runFfmpeg(tools, args, o);
    // ffmpeg exits 0 even when it wrote nothing: the file itself is the proof
    if ((await stat(temp).then((s) => s.size, () => 0)) === 0) {
      const detail = stderr.trimEnd().split('\n').slice(-3).join('\n');
      throw new Error(`ffmpeg wrote no frame when extracting the frame ${fromEnd} before the end of ${video}${detail ? `:\n${detail}` : ''}`);
    }
    await commitFile(temp, target);
  } finally {
    await rm(temp, { force: true });
  }
}
