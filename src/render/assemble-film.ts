// The render stage after the clips: assemble the film (unless the same clips and settings already made it),
// burn or write subtitles, verify the film frame by frame and record the verification next to it. Temp files
// of killed runs beside the film and the lock file are swept first; damaged cache entries are reported as repairs.
import { access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { burnSubtitles } from '../assembly/burn-subtitles.js';
import { readManifest, writeManifest } from '../assembly/film-manifest.js';
import { stitchFilm, stitchKey, type FilmClip } from '../assembly/stitch-film.js';
import { toSrt, toVtt } from '../assembly/subtitles.js';
import { verifyFilm, type FilmVerification } from '../assembly/verify-film.js';
import { bundledFontsDir } from '../backends/preview/preview-backend.js';
import type { Plan, StitchJob } from '../compiler/plan/types.js';
import { retimeStitch } from '../assembly/retime-stitch.js';
import { repair, type OnRepair } from '../diagnostics/repair.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { sha256File } from '../io/hash.js';
import { sweepStaleTemps } from '../io/sweep-temps.js';
import { codeTag } from '../media/frame-code.js';
import { probeMedia } from '../media/ffmpeg.js';
import type { FfmpegTools } from '../media/ffmpeg-binaries.js';
import type { RunEvent } from '../runner/events.js';
import type { LockFile } from '../runner/lock-file.js';
import type { RunResult } from '../runner/run-plan.js';
import { colourGrades } from './colour-grades.js';

/** The assembled film's lock entry and what its verification found. */
export interface AssembledFilm {
  readonly film: NonNullable<LockFile['film']>;
  readonly verification: FilmVerification;
}

/** What assembly needs from the render around it. */
export interface AssembleFilmContext {
  readonly tools: FfmpegTools;
  readonly baseDir: string;
  readonly normalizedDir: string;
  readonly backend: string;
  readonly previous: LockFile | undefined;
  readonly onEvent: (e: RunEvent) => void;
  readonly signal?: AbortSignal;
}

/**
 * Writes `<film>.srt` / `<film>.vtt` from the shots' dialogue and captions (when asked and there is any text),
 * and burns the subtitles into a freshly assembled film when `output.subtitles.burn` is set.
 */
export async function writeSubtitles(stitch: StitchJob, tools: FfmpegTools, film: string, burn: boolean, signal: AbortSignal | undefined): Promise<void> {
  const cues = stitch.cues;
  if (cues.length === 0) return;
  const base = film.replace(/\.mp4$/i, '');
  if (stitch.subtitles.srt || stitch.subtitles.burn) await writeFileAtomic(`${base}.srt`, toSrt(cues));
  if (stitch.subtitles.vtt) await writeFileAtomic(`${base}.vtt`, toVtt(cues));
  if (burn && stitch.subtitles.burn) await burnSubtitles(tools, film, `${base}.srt`, bundledFontsDir(), signal);
}

/**
 * The film's stitch job as the run made it: a clip that ends early on its sharpest frame moves every chapter,
 * subtitle and start after it (assembly/retime-stitch.ts).
 */
export function filmStitch(plan: Plan, result: RunResult): StitchJob {
  const trims = new Map(plan.jobs.map((j) => [j.id, result.results.get(j.id)?.seamFrame?.fromEnd ?? 0]));
  return retimeStitch(plan, trims);
}

/** A verification recorded next to the film for these exact bytes, if any. */
async function readVerification(film: string, sha256: string): Promise<FilmVerification | undefined> {
  const recorded = await readManifest(film).catch(() => undefined);
  return recorded?.sha256 === sha256 && recorded.verification ? recorded.verification : undefined;
}

/** Assembles (or reuses) and verifies the film of a run whose every clip is available. */
export async function assembleFilm(plan: Plan, result: RunResult, ctx: AssembleFilmContext): Promise<AssembledFilm> {
  const { tools, signal } = ctx;
  const output = join(ctx.baseDir, plan.stitch.output);
  const onRepair: OnRepair = (r) => ctx.onEvent({ type: 'repair', ...r });
  // the lock file's folder and the film's, even when the film is unchanged: a killed run's leftovers go now
  for (const path of (await Promise.all([...new Set([ctx.baseDir, dirname(output)])].map((d) => sweepStaleTemps(d)))).flat()) {
    onRepair(repair('stale-temp-removed', path, `removed ${path}, left behind by a run that was killed`));
  }
  // colour matching: each matched clip's grade toward its chain's anchor, kept with the normalised clips
  const grades = await colourGrades(plan, result, { tools, baseDir: ctx.baseDir, dir: join(ctx.normalizedDir, 'grades'), ...(signal ? { signal } : {}) });
  const clips: FilmClip[] = plan.jobs.map((j) => {
    const r = result.results.get(j.id);
    if (!r) throw new Error(`clip ${j.id} is missing`);
    const m = r.entry.meta;
    // preview clips carry a frame code tagged with their cache key: verification checks each clip's identity
    const tag = ctx.backend === 'preview' ? codeTag(r.key) : undefined;
    return { clip: j.id, file: r.file, sha256: r.sha256, duration: m.duration, width: m.width, height: m.height, audio: m.audio, ...(tag === undefined ? {} : { tag }), ...(j.carry ? { carried: j.carry.frames } : {}), ...(r.seamFrame?.fromEnd ? { trimmed: r.seamFrame.fromEnd } : {}), ...(grades.has(j.id) ? { grade: grades.get(j.id) } : {}) };
  });
  const spec = plan.stitch.music;
  const music = spec ? { ...spec, file: /^https?:\/\//i.test(spec.file) ? spec.file : join(ctx.baseDir, spec.file) } : undefined;
  const musicSha256 = music && !/^https?:\/\//i.test(music.file) ? await sha256File(music.file) : undefined;
  const title = plan.storyboard.title;
  const stitch = filmStitch(plan, result);
  const key = stitchKey(stitch, clips, { ...(musicSha256 ? { musicSha256 } : {}), ...(title ? { title } : {}) });
  const file = plan.stitch.output;
  const previous = ctx.previous?.film;
  // an unchanged film is not assembled again: same clips, music and settings give the same bytes; its
  // verification, recorded next to it for exactly these bytes, stands
  if (previous?.stitchKey === key && (await access(output).then(() => true, () => false)) && (await sha256File(output)) === previous.sha256) {
    const recorded = await readVerification(output, previous.sha256);
    if (recorded) {
      ctx.onEvent({ type: 'stitched', output: file, duration: previous.duration, sha256: previous.sha256, reused: true });
      return { film: previous, verification: recorded };
    }
  }
  ctx.onEvent({ type: 'stitching', output: file });
  const stitched = await stitchFilm(tools, stitch, clips, output, {
    cacheDir: ctx.normalizedDir, onRepair, ...(signal ? { signal } : {}), ...(music ? { music } : {}), ...(title ? { title } : {}),
  });
  // burning subtitles re-encodes the film: then the recorded hash and length are the final file's
  const burn = stitch.subtitles.burn && stitch.cues.length > 0;
  if (burn) await writeSubtitles(stitch, tools, output, true, signal);
  const sha256 = burn ? await sha256File(output) : stitched.sha256;
  const duration = burn ? (await probeMedia(tools, output)).streams.find((s) => s.codecType === 'video')?.duration ?? plan.stitch.duration : stitched.duration;
  ctx.onEvent({ type: 'stitched', output: file, duration, sha256, reused: false });
  ctx.onEvent({ type: 'verifying', output: file });
  const verification = await verifyFilm(tools, output, stitched.manifest, signal ? { signal } : {});
  await writeManifest(output, { ...stitched.manifest, sha256, verification });
  ctx.onEvent({ type: 'verified', output: file, ok: verification.ok, frames: verification.frames.decoded, problems: verification.problems.length });
  return { film: { file, sha256, stitchKey: key, duration }, verification };
}
