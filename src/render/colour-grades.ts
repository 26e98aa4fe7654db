// Colour matching of continuity chains (issue 15): for each clip whose chain asks for it (`colour_match: true`), the
// grade toward the chain's ANCHOR (a still's PNG, an image file beside the storyboard, or the chain's first clip),
// never toward the previous clip; assembly applies it while normalising. The anchor clip itself is left alone.
import { join } from 'node:path';
import type { AnchorSource, ClipJob, Plan } from '../compiler/plan/types.js';
import { sha256File } from '../io/hash.js';
import { makeColourGrade, type ColourGrade, type GradeAnchor } from '../media/colour-grade.js';
import { readColourStats } from '../media/colour-stats.js';
import type { FfmpegTools } from '../media/ffmpeg-binaries.js';
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

/** The anchor's picture (file and content hash), or undefined for a URL anchor (never colour matched) or a missing input. */
export async function anchorPicture(anchor: AnchorSource, result: RunResult, baseDir: string): Promise<{ file: string; sha256: string } | undefined> {
  if ('still' in anchor) return result.stills.get(anchor.still);
  if ('clip' in anchor) {
    const clip = result.results.get(anchor.clip);
    return clip && { file: clip.file, sha256: clip.sha256 };
  }
  if ('file' in anchor) {
    const file = join(baseDir, anchor.file);
    return { file, sha256: await sha256File(file) };
  }
  return undefined;
}

/** True when the clip is to be colour matched: its chain asks for it and the clip is not the anchor itself. */
export function isColourMatched(job: ClipJob): boolean {
  const chain = job.chain;
  return chain !== undefined && chain.colourMatch && !('clip' in chain.anchor && chain.anchor.clip === job.id) && !('url' in chain.anchor);
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
