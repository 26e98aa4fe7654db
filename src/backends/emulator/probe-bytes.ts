// Seconds of a video or audio file held in memory (a reference video or voice a request points at), read with
// ffprobe from a scratch file in the emulator's directory.
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FfmpegTools } from '../../media/ffmpeg-binaries.js';
import { probeMedia, videoStreamDuration } from '../../media/ffmpeg.js';

/** Seconds of the video stream (`video`) or of the audio (`audio`); undefined when ffprobe cannot read one. */
export async function probeSeconds(tools: FfmpegTools, dir: string, bytes: Buffer, kind: 'video' | 'audio'): Promise<number | undefined> {
  const file = join(dir, `.probe-${randomUUID()}`);
  try {
    await writeFile(file, bytes);
    const info = await probeMedia(tools, file);
    if (kind === 'video') return videoStreamDuration(info);
    const audio = info.streams.find((s) => s.codecType === 'audio');
    return audio ? (audio.duration ?? info.duration) : undefined;
  } catch {
    return undefined;
  } finally {
    await rm(file, { force: true });
  }
}
