// Burns the film's SRT subtitles into its picture (libass, bundled fonts) when the storyboard asks for
// burned subtitles: one video re-encode, audio and chapters copied, the film replaced atomically.
import { rm } from 'node:fs/promises';
import { commitFile, tempPathFor } from '../io/atomic-write.js';
import { runFfmpeg } from '../media/ffmpeg.js';
import type { FfmpegTools } from '../media/ffmpeg-binaries.js';

/** Escapes a path for a filter option inside a filtergraph (`:` `\` `'` and `,` are special at two levels). */
function filterPath(path: string): string {
  return path.replace(/\\/g, '/').replace(/([:'\\,[\];])/g, '\\$1');
}

/**
 * Burns an SRT file into the film's picture (libass, with the given fonts folder), re-encoding the video
 * once and copying the audio and chapters; the film is replaced atomically.
 */
export async function burnSubtitles(tools: FfmpegTools, film: string, srt: string, fontsDir: string, signal?: AbortSignal): Promise<void> {
  const tmp = tempPathFor(film) + '.mp4';
  try {
    await runFfmpeg(tools, ['-i', film, '-map', '0', '-vf', `subtitles=filename=${filterPath(srt)}:fontsdir=${filterPath(fontsDir)}:force_style='FontName=DejaVu Sans,FontSize=20'`,
      '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', '-threads', '1', '-c:a', 'copy', '-map_chapters', '0',
      '-fflags', '+bitexact', '-flags:v', '+bitexact', '-movflags', '+faststart', tmp], signal ? { signal } : {});
    await commitFile(tmp, film);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
