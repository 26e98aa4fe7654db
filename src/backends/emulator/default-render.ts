// The default result video: a small flat-colour MP4 of the task's exact duration (a continuation: its first clip's
// frames + the new seconds) and size, 30 fps,
// with a tone track when the model generates sound, and a reference-to-video task's references as
// labelled thumbnails (reference-overlay.ts). The integrator can plug in the preview renderer.
import { resolveFfmpeg, type FfmpegTools } from '../../media/ffmpeg-binaries.js';
import { runFfmpeg } from '../../media/ffmpeg.js';
import { renderWithReferences } from './reference-overlay.js';
import type { EmulatorRender } from './types.js';

/** A render callback using `tools`, or ffmpeg resolved on first use. */
export function defaultRender(tools?: FfmpegTools): EmulatorRender {
  let resolved: Promise<FfmpegTools> | undefined;
  return async (job, outFile, signal) => {
    const ffmpeg = tools ?? (await (resolved ??= resolveFfmpeg()));
    // a continuation's result holds its first clip, then the new seconds
    const d = job.duration + (job.firstClip ? job.firstClip.frames / 30 : 0);
    const colour = (parseInt(job.taskId.replace(/-/g, '').slice(0, 6), 16) & 0x7f7f7f).toString(16).padStart(6, '0');
    const audio = job.audio ? ['-f', 'lavfi', '-i', `sine=f=440:d=${d}:r=48000`, '-ac', '2', '-c:a', 'aac'] : [];
    await renderWithReferences(ffmpeg, job, outFile, signal, async (target) => {
      await runFfmpeg(ffmpeg, [
        '-f', 'lavfi', '-i', `color=c=0x${colour}:s=${job.width}x${job.height}:r=30:d=${d}`, ...audio,
        '-frames:v', String(Math.round(d * 30)), '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'stillimage', '-pix_fmt', 'yuv420p',
        '-threads', '1', '-movflags', '+faststart', '-f', 'mp4', target,
      ], { signal });
    });
  };
}
