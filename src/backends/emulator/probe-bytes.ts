// Seconds of a video or audio file held in memory (a reference video or voice a request points at; a first clip's
// seconds, frames and size), read with ffprobe from a scratch file in the emulator's directory.
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FfmpegTools } from '../../media/ffmpeg-binaries.js';
import { probeMedia, videoStreamDuration } from '../../media/ffmpeg.js';
import type { FirstClipFacts } from './types.js';

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

/** Seconds, frames and size of the video stream of a file held in memory; undefined when ffprobe finds no video in it. */
export async function probeVideo(tools: FfmpegTools, dir: string, bytes: Buffer): Promise<FirstClipFacts | undefined> {
  const file = join(dir, `.probe-${randomUUID()}`);
  try {
    await writeFile(file, bytes);
    const info = await probeMedia(tools, file);
    const video = info.streams.find((s) => s.codecType === 'video' && !s.attachedPic);
    const seconds = videoStreamDuration(info);
    if (!video?.width || !video.height || seconds === undefined) return undefined;
    const frames = video.nbFrames ?? Math.round(seconds * (video.frameRate ?? 30));
    return { seconds, frames, width: video.width, height: video.height };
  } catch {
    return undefined;
  } finally {
    await rm(file, { force: true });
  }
}
