// Writes `<film>.report.html` next to the film after a render: collect (ffmpeg) → render (pure) → atomic write.
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Plan } from '../compiler/plan/types.js';
import type { RunEvent } from '../runner/events.js';
import type { LockFile } from '../runner/lock-file.js';
import type { RunResult } from '../runner/run-plan.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { collectReport, type CollectReportOptions } from './collect-report.js';
import { renderReport } from './render-report.js';

/** Options of {@link writeReport}: the ffmpeg tools, the storyboard's directory and the backend's name. */
type WriteReportOptions = CollectReportOptions;

/** The report's path for a film: `out/film.mp4` → `out/film.report.html` (like the `.srt`/`.vtt` sidecars). */
export function reportPathFor(filmPath: string): string {
  return `${filmPath.replace(/\.mp4$/i, '')}.report.html`;
}

/**
 * Writes the render report next to the film (`plan.stitch.output`, relative to `options.baseDir`) and returns
 * its path. Works after a partial run too: missing clips are shown with their error and YAML position.
 * `film` is the lock's film entry; the film counts as assembled only when `events` hold a `stitched` event.
 */
export async function writeReport(plan: Plan, result: RunResult, events: readonly RunEvent[], film: LockFile['film'], options: WriteReportOptions): Promise<string> {
  const data = await collectReport(plan, result, events, film, options);
  const path = reportPathFor(join(options.baseDir, plan.stitch.output));
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, renderReport(data));
  return path;
}
