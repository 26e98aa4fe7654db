// Reference-to-video results of the default render show who was sent: the flat clip is drawn as usual, then each
// reference (an image, or a reference video's first frame) is laid over it as a labelled thumbnail (`Image 1`,
// `Video 1`, `character1`), from frame 15 to the 15th-last, so the first and last frames (which chained clips
// compare) stay as drawn. (The preview render draws references in the preview's own strip, in one pass.)
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FfmpegTools } from '../../media/ffmpeg-binaries.js';
import { runFfmpeg } from '../../media/ffmpeg.js';
import { bundledFontsDir } from '../preview/preview-backend.js';
import { thumbnailChains, type Thumbnail } from './thumbnail-filters.js';
import { thumbnailLayout } from './thumbnail-layout.js';
import type { EmulatedJob } from './types.js';

const FPS = 30;
/** Frames at each end left without thumbnails. */
const CLEAR_FRAMES = 15;

/** The label drawn under a reference: its name in the prompt, with a note (♪) when it carries a voice. */
export function referenceLabel(reference: NonNullable<EmulatedJob['references']>[number]): string {
  return reference.voice ? `${reference.label} ♪` : reference.label;
}

/** Runs `draw` (which writes a clip to the path it is given) and, when the job has references, lays them over the clip. */
export async function renderWithReferences(tools: FfmpegTools, job: EmulatedJob, outFile: string, signal: AbortSignal, draw: (target: string) => Promise<void>): Promise<void> {
  if (!job.references?.length) return draw(outFile);
  const dir = await mkdtemp(join(dirname(outFile), '.emu-refs-'));
  try {
    const base = join(dir, 'base.mp4');
    await draw(base);
    await overlayReferences(tools, job, base, outFile, dir, signal);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function overlayReferences(tools: FfmpegTools, job: EmulatedJob, base: string, outFile: string, dir: string, signal: AbortSignal): Promise<void> {
  const references = job.references ?? [];
  const inputArgs = ['-i', base];
  const thumbs: Thumbnail[] = [];
  for (const [k, ref] of references.entries()) {
    if (!ref.bytes) {
      thumbs.push({ label: referenceLabel(ref) });
      continue;
    }
    const file = join(dir, `ref${k}`);
    await writeFile(file, ref.bytes);
    inputArgs.push(...(ref.kind === 'image' ? ['-f', 'image2pipe'] : ['-t', '1']), '-i', file);
    thumbs.push({ input: inputArgs.filter((a) => a === '-i').length - 1, label: referenceLabel(ref) });
  }
  const frames = Math.round(job.duration * FPS);
  const enable = `between(n,${Math.min(CLEAR_FRAMES, frames - 1)},${Math.max(0, frames - 1 - CLEAR_FRAMES)})`;
  const layout = thumbnailLayout(job.width, job.height, thumbs.length);
  const font = join(bundledFontsDir(), 'DejaVuSans.ttf');
  const graph = thumbnailChains('[0:v:0]', '[v]', thumbs, layout, font, enable).join(';');
  await runFfmpeg(tools, [
    '-v', 'error', ...inputArgs, '-filter_complex', graph, '-map', '[v]', '-map', '0:a?', '-c:a', 'copy',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '18', '-threads', '2',
    // as the preview: a crisp last frame (chained clips start on it), kept as a keyframe
    '-x264-params', 'ipratio=4', '-force_key_frames', `expr:eq(n,${frames - 1})`,
    '-pix_fmt', 'yuv420p', '-r', String(FPS), '-map_metadata', '-1', '-fflags', '+bitexact', '-flags:v', '+bitexact',
    '-movflags', '+faststart', '-f', 'mp4', outFile,
  ], { signal });
}
