// The report's film check: what verifying the assembled film found (frame counts, problems with their film
// frames and times) and every join measured on the film itself, with thumbnails of the two film frames either
// side of it. Without a verification the film is "not verified": nothing here is ever assumed to match.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ClipId, Join, Plan } from '../compiler/plan/types.js';
import { FPS } from '../assembly/encode-settings.js';
import { runFfmpeg } from '../media/ffmpeg.js';
import type { FfmpegTools } from '../media/ffmpeg-binaries.js';
import type { FilmVerification, SeamMeasure, VerifyProblem } from '../assembly/verify-film.js';

/** Width in pixels of the embedded thumbnails (clips' frames and the film's frames either side of a join). */
export const THUMB_WIDTH = 320;
/** A continuity seam below this SSIM (measured on the film, across the join) is highlighted as drift. */
export const SEAM_SSIM_THRESHOLD = 0.9;

/** A join between two clips, measured on the film when it was verified. */
export interface ReportSeam {
  readonly from: ClipId;
  readonly to: ClipId;
  /** The join's type: `seam`, `cut` or a transition. */
  readonly type: Join['type'];
  /** Film frames compared: the last before the join and the first after it (past any overlap). */
  readonly before?: number;
  readonly after?: number;
  /** SSIM between those two film frames. */
  readonly ssim?: number;
  /** Continuity seams are judged against the threshold; cuts and transitions are shown as information. */
  readonly judged: boolean;
  /** Why no SSIM was measured. */
  readonly error?: string;
  /** The two film frames as `data:image/jpeg;base64,` thumbnails. */
  readonly beforeFrame?: string;
  readonly afterFrame?: string;
}

/** What verifying the film found, as the report shows it. */
export interface ReportFilmCheck {
  readonly state: 'verified' | 'failed' | 'not-verified';
  /** Why the film was not verified. */
  readonly reason?: string;
  /** The film's frame rate (frame numbers → times). */
  readonly fps: number;
  readonly frames?: FilmVerification['frames'];
  readonly clips?: FilmVerification['clips'];
  readonly audio?: FilmVerification['audio'];
  readonly problems: readonly VerifyProblem[];
}

/** What the film check needs: ffmpeg, the film, a limiter and fresh temp file names. */
interface FilmCheckContext {
  readonly tools: FfmpegTools;
  readonly signal?: AbortSignal;
  readonly limit: <T>(task: () => Promise<T>) => Promise<T>;
  readonly tempFile: (ext: 'jpg') => string;
}

/** The film check and the joins of `plan`'s film: measured (with thumbnails) when `verification` is given, else unmeasured. */
export async function collectFilmCheck(plan: Plan, film: { path: string; assembled: boolean }, verification: FilmVerification | undefined, ctx: FilmCheckContext): Promise<{ check: ReportFilmCheck; seams: ReportSeam[] }> {
  if (!verification) {
    const reason = film.assembled ? 'no verification was recorded for this film' : 'the film was not assembled';
    const seams = plan.stitch.joins.map((j): ReportSeam => ({ from: j.from, to: j.to, type: j.type, judged: j.type === 'seam', error: `not measured: ${reason}` }));
    return { check: { state: 'not-verified', reason, fps: FPS, problems: [] }, seams };
  }
  const check: ReportFilmCheck = {
    state: verification.ok ? 'verified' : 'failed', fps: FPS, frames: verification.frames, clips: verification.clips,
    ...(verification.audio ? { audio: verification.audio } : {}), problems: verification.problems,
  };
  const measured = new Map(verification.seams.map((s) => [`${s.from}>${s.to}`, s]));
  const seams = await Promise.all(plan.stitch.joins.map(async (j): Promise<ReportSeam> => {
    const s = measured.get(`${j.from}>${j.to}`);
    if (!s) return { from: j.from, to: j.to, type: j.type, judged: j.type === 'seam', error: 'not measured: the verification has no frames either side of this join' };
    return { ...(await seamFrames(film.path, s, ctx)), from: s.from, to: s.to, type: j.type, before: s.before, after: s.after, ssim: s.ssim, judged: j.type === 'seam' };
  }));
  return { check, seams };
}

/** Thumbnails of the two film frames a seam was measured on; none when they cannot be extracted (the report still shows the SSIM). */
async function seamFrames(film: string, s: SeamMeasure, ctx: FilmCheckContext): Promise<Pick<ReportSeam, 'beforeFrame' | 'afterFrame'>> {
  try {
    const [beforeFrame, afterFrame] = await Promise.all([s.before, s.after].map((n) => ctx.limit(() => filmFrame(film, n, ctx))));
    return { ...(beforeFrame ? { beforeFrame } : {}), ...(afterFrame ? { afterFrame } : {}) };
  } catch {
    return {};
  }
}


/** Film frame `n` as a JPEG data URI: seek to half a frame before it (accurate seek), take the first frame from there. */
async function filmFrame(film: string, n: number, ctx: FilmCheckContext): Promise<string> {
  const out = ctx.tempFile('jpg');
  await runFfmpeg(ctx.tools, [
    '-ss', (Math.max(0, n - 0.5) / FPS).toFixed(6), '-i', resolve(film), '-map', '0:v:0', '-vf', `scale=${THUMB_WIDTH}:-2`,
    '-frames:v', '1', '-f', 'image2', '-update', '1', '-c:v', 'mjpeg', '-q:v', '4', '-fflags', '+bitexact', '-flags:v', '+bitexact', out,
  ], ctx.signal ? { signal: ctx.signal } : {});
  return `data:image/jpeg;base64,${(await readFile(out)).toString('base64')}`;
}
