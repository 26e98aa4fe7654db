// The default result image: a PNG card of exactly the requested pixel size, drawn straight at that size with
// ffmpeg: a colour from the request and the image's index, the model, index, size and seed on top, the prompt
// (and negative prompt) wrapped below, and the input images as labelled thumbnails on the right. The same
// request gives the same bytes with the same ffmpeg.
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { resolveFfmpeg, type FfmpegTools } from '../../media/ffmpeg-binaries.js';
import { runFfmpeg } from '../../media/ffmpeg.js';
import { bundledFontsDir } from '../preview/preview-backend.js';
import { filter } from '../preview/preview-filters.js';
import { clampLines, wrapText } from '../preview/preview-text.js';
import { parametersOf } from './emulated-job.js';
import { thumbnailChains, type Thumbnail } from './thumbnail-filters.js';
import { thumbnailLayout } from './thumbnail-layout.js';
import type { EmulatorImageRender, ImageJob } from './types.js';

/** drawtext advances lines by about 1.17 em (DejaVu) plus line_spacing. */
const LINE_EM = 1.17;

/** An image render callback using `tools`, or ffmpeg resolved on first use. */
export function defaultImageRender(tools?: FfmpegTools): EmulatorImageRender {
  let resolved: Promise<FfmpegTools> | undefined;
  return async (job, index, outFile, signal) => {
    const ffmpeg = tools ?? (await (resolved ??= resolveFfmpeg()));
    const dir = await mkdtemp(join(dirname(outFile), '.emu-image-'));
    try {
      const card = cardCommand(job, index, dir, outFile);
      await Promise.all(card.files.map((f) => writeFile(f.path, f.content)));
      await runFfmpeg(ffmpeg, card.args, { signal });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}

/** The card's background: dark enough for white text, from the request and the image's index. */
function cardColour(job: ImageJob, index: number): string {
  const hash = createHash('sha256').update(`${JSON.stringify(job.body)}#${index}`).digest();
  return `0x${(hash.readUIntBE(0, 3) & 0x7f7f7f).toString(16).padStart(6, '0')}`;
}

/** Text of the card: header line and the wrapped prompt, fitted to `maxEm` and `maxLines`. */
function cardText(job: ImageJob, index: number, maxEm: number, maxLines: number): { header: string; body: string } {
  const seed = parametersOf(job.body).seed;
  const header = `${job.model}  ${index + 1}/${job.n}  ${job.width}×${job.height}${typeof seed === 'number' ? `  seed ${seed}` : ''}`;
  const text = job.negativePrompt ? `${job.prompt}\n\nNegative: ${job.negativePrompt}` : job.prompt;
  return { header, body: clampLines(wrapText(text || '(no prompt)', maxEm), maxLines, maxEm).join('\n') };
}

/** ffmpeg arguments and the files they read (text, input images). */
function cardCommand(job: ImageJob, index: number, dir: string, outFile: string): { args: string[]; files: { path: string; content: string | Buffer }[] } {
  const { width: w, height: h } = job;
  const unit = Math.min(w, h);
  const margin = Math.round(unit * 0.05);
  const [headerSize, bodySize, pad] = [Math.round(unit / 26), Math.round(unit / 30), Math.round(unit / 60)];
  const inputArgs = ['-f', 'lavfi', '-i', `color=c=${cardColour(job, index)}:s=${w}x${h}:d=1:r=1`];
  const files: { path: string; content: string | Buffer }[] = [];
  const thumbs: Thumbnail[] = job.inputImages.map((bytes, k) => {
    if (!bytes) return { label: `Image ${k + 1}` };
    const path = join(dir, `input${k}`);
    files.push({ path, content: bytes });
    inputArgs.push('-f', 'image2pipe', '-i', path);
    return { input: inputArgs.filter((a) => a === '-i').length - 1, label: `Image ${k + 1}` };
  });
  const layout = thumbnailLayout(w, h, thumbs.length);
  const bodyTop = margin + Math.round(headerSize * LINE_EM) + 3 * pad;
  const maxEm = Math.max(8, (layout.left - 2 * margin - 2 * pad) / bodySize);
  const maxLines = Math.max(1, Math.floor((h - bodyTop - margin) / (bodySize * LINE_EM + pad)));
  const text = cardText(job, index, maxEm, maxLines);
  const font = join(bundledFontsDir(), 'DejaVuSans.ttf');
  const block = (file: string, size: number, y: number): string => filter('drawtext', {
    fontfile: font, textfile: file, expansion: 'none', fontsize: size, fontcolor: 'white', line_spacing: pad,
    x: margin + pad, y, box: 1, boxcolor: 'black@0.5', boxborderw: pad,
  });
  files.push({ path: join(dir, 'header.txt'), content: text.header }, { path: join(dir, 'body.txt'), content: text.body });
  const graph = [
    `[0:v]${block(join(dir, 'header.txt'), headerSize, margin + pad)},${block(join(dir, 'body.txt'), bodySize, bodyTop)}[card]`,
    ...thumbnailChains('[card]', '[v]', thumbs, layout, font),
  ].join(';');
  const args = [
    '-v', 'error', ...inputArgs, '-filter_complex', graph, '-map', '[v]', '-frames:v', '1', '-c:v', 'png', '-pix_fmt', 'rgb24',
    '-fflags', '+bitexact', '-flags', '+bitexact', '-f', 'image2', '-update', '1', outFile,
  ];
  return { args, files };
}
