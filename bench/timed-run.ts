import { join } from 'node:path';
import type { Backend } from '../src/backends/backend.js';
import type { Plan } from '../src/compiler/plan/types.js';
import { ClipCache } from '../src/runner/clip-cache.js';
import { runPlan } from '../src/runner/run-plan.js';
import { FileTaskJournal } from '../src/runner/task-journal.js';
import type { FfmpegTools } from '../src/media/ffmpeg-binaries.js';

/** Runs a plan in a fresh cache/journal under `dir` and returns the makespan in seconds; throws on any failure. */
export async function timedRun(plan: Plan, backend: Backend, ffmpeg: FfmpegTools, dir: string): Promise<number> {
  const cache = new ClipCache(join(dir, 'cache'), ffmpeg);
  await cache.init();
  const journal = await FileTaskJournal.open(join(dir, 'journal'));
  const t0 = Date.now();
  const result = await runPlan(plan, { backend, ffmpeg, cache, journal, baseDir: dir });
  if (result.failures.length) throw new Error(result.failures[0]?.message);
  return (Date.now() - t0) / 1000;
}
