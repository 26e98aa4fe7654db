// Colour matching of continuity chains (issue 15): for each clip whose chain asks for it (`colour_match: true`), the
// grade toward the chain's ANCHOR (a still's PNG, an image file beside the storyboard, or the chain's first clip),
// never toward the previous clip; assembly applies it while normalising. The anchor clip itself is left alone.
import type { Plan } from '../compiler/plan/types.js';
import { makeColourGrade, type ColourGrade, type GradeAnchor } from '../media/colour-grade.js';
import { readColourStats } from '../media/colour-stats.js';
import type { FfmpegTools } from '../media/ffmpeg-binaries.js';
import { anchorPicture, isColourMatched } from '../report/collect-drift.js';
import type { RunResult } from '../runner/run-plan.js';

/** What grading needs from the render around it. */
export interface ColourGradesContext {
  readonly tools: FfmpegTools;
  /** The storyboard's folder: anchor files are relative to it. */
  readonly baseDir: string;
  /** Where LUTs and grade records are kept. */
  readonly dir: string;
  readonly signal?: AbortSignal;
}

/** The colour grade of every clip to be matched, by clip id (chains sharing an anchor read it once). */
export async function colourGrades(plan: Plan, result: RunResult, ctx: ColourGradesContext): Promise<Map<string, ColourGrade>> {
  const grades = new Map<string, ColourGrade>();
  const anchors = new Map<string, GradeAnchor>();
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  for (const job of plan.jobs) {
    if (!isColourMatched(job) || !job.chain) continue;
    const clip = result.results.get(job.id);
    const picture = await anchorPicture(job.chain.anchor, result, ctx.baseDir);
    if (!clip || !picture) continue;
    let anchor = anchors.get(picture.sha256);
    if (!anchor) anchors.set(picture.sha256, (anchor = { ...picture, stats: await readColourStats(ctx.tools, picture.file, signal) }));
    grades.set(job.id, await makeColourGrade(ctx.tools, clip.file, clip.sha256, anchor, { dir: ctx.dir, skip: job.carry?.seconds ?? 0, ...signal }));
  }
  return grades;
}
