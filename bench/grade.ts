// bench/grade: colour matching (issue 15) on a chain of 6 clips of 10 s at 720p30 that drift a little more each
// hop (a colour cast and a gain growing with the hop), graded toward the first clip. Ratios against baselines
// measured in the same run:
// (a) measuring a clip's grade (makeColourGrade: its frames read, curves fitted, LUTs written), nothing recorded,
//     against decoding the same clip once (`ffmpeg -i clip -f null -`).
// (b) assembling the chain (frame seams, every clip normalised, nothing cached) with every clip but the anchor
//     graded, against the same assembly ungraded, runs alternated.
// The issue sets no goal; first measured (idle 2-core machine): (a) 4.6, (b) 1.56: a graded clip is converted to RGB
// and back with accurate rounding for its LUTs, which the encode then waits on.
// Env: GRADE_RUNS (alternated assembly pairs, default 3).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Join, StitchJob } from '../src/compiler/plan/types.js';
import { makeColourGrade, type ColourGrade } from '../src/media/colour-grade.js';
import { resolveFfmpeg } from '../src/media/ffmpeg-binaries.js';
import { runFfmpeg } from '../src/media/ffmpeg.js';
import { sha256File } from '../src/io/hash.js';
import { stitchFilm, type FilmClip } from '../src/assembly/stitch-film.js';
import { median, pairedSeconds, report, timeSeconds } from './measure.js';

const HOPS = 6;
const SECONDS = 10;
const RUNS = Number(process.env.GRADE_RUNS ?? 3);
const tools = await resolveFfmpeg();
const dir = await mkdtemp(join(tmpdir(), 'storyboard-bench-grade-'));

/** Clip `i` of the chain: textured picture, a cast and gain growing with the hop, a tone; encoded like Wan. */
async function makeClip(i: number): Promise<FilmClip> {
  const file = join(dir, `hop-${i}.mp4`);
  const cast = (0.03 * i).toFixed(3);
  await runFfmpeg(tools, ['-f', 'lavfi', '-i', `testsrc2=s=1280x720:r=30:d=${SECONDS},colorbalance=rm=${cast}:bm=-${cast},eq=contrast=${(1 + 0.04 * i).toFixed(2)}`,
    '-f', 'lavfi', '-i', `sine=f=${300 + 40 * i}:d=${SECONDS}:r=48000`,
    '-map', '0:v', '-map', '1:a', '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-ac', '2', file]);
  return { clip: `hop${i}`, file, sha256: await sha256File(file), duration: SECONDS, width: 1280, height: 720, audio: true };
}

function chainJob(clips: readonly FilmClip[]): StitchJob {
  const joins = clips.slice(1).map((c, i): Join => ({ from: clips[i]?.clip ?? '', to: c.clip, type: 'seam', duration: 0 }));
  return { output: 'film.mp4', order: clips.map((c) => c.clip), joins, starts: [], duration: 0, chapters: [], cues: [], fit: 'cover', subtitles: { srt: false, vtt: false, burn: false }, chapterMarks: false };
}

try {
  const clips = await Promise.all(Array.from({ length: HOPS }, (_, i) => makeClip(i)));
  const anchorClip = clips[0];
  if (!anchorClip) throw new Error('no clips');
  const anchor = { file: anchorClip.file, sha256: anchorClip.sha256 };
  // (a) one grade measured from scratch against one plain decode of the clip, per hop; medians
  const gradeTimes: number[] = [];
  const decodeTimes: number[] = [];
  const grades = new Map<string, ColourGrade>();
  for (const [i, c] of clips.entries()) {
    if (i === 0) continue;
    decodeTimes.push(await timeSeconds(() => runFfmpeg(tools, ['-i', c.file, '-map', '0:v:0', '-f', 'null', '-'])));
    gradeTimes.push(await timeSeconds(async () => grades.set(c.clip, await makeColourGrade(tools, c.file, c.sha256, anchor, { dir: join(dir, `grades-${i}`) }))));
  }
  report({ bench: `grade (a) measure one grade, ${SECONDS} s 720p`, gradeSeconds: median(gradeTimes), decodeSeconds: median(decodeTimes),
    ratio: median(gradeTimes) / median(decodeTimes), clips: gradeTimes.length, note: 'medians over hops 1-5; baseline: one ffmpeg decode of the clip; once per clip and anchor (then recorded)' });
  // (b) the chain assembled with and without grades, fresh normalisation caches every run
  const graded = clips.map((c) => (grades.has(c.clip) ? { ...c, grade: grades.get(c.clip) } : c));
  let run = 0;
  const assemble = (list: readonly FilmClip[]) => async (): Promise<void> => {
    const cacheDir = join(dir, `cache-${++run}`);
    await stitchFilm(tools, chainJob(list), list, join(dir, `film-${run}.mp4`), { cacheDir });
    await rm(cacheDir, { recursive: true, force: true });
  };
  const paired = await pairedSeconds(RUNS, assemble(graded), assemble(clips));
  report({ bench: `grade (b) assemble a ${HOPS}-clip chain of ${SECONDS} s 720p, graded`, gradedSeconds: paired.subject, ungradedSeconds: paired.baseline,
    ratio: paired.ratio, runs: RUNS, note: 'alternated runs, median of per-run ratios; 5 of 6 clips graded (the anchor is not), nothing cached; graded pieces are cached like any normalised piece' });
} finally {
  await rm(dir, { recursive: true, force: true });
}
