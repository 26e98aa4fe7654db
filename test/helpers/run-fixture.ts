import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend } from '../../src/backends/backend.js';
import { planStoryboard } from '../../src/compiler/plan-storyboard.js';
import type { Plan } from '../../src/compiler/plan/types.js';
import { validateStoryboard } from '../../src/compiler/validate-storyboard.js';
import { ClipCache } from '../../src/runner/clip-cache.js';
import type { RunEvent } from '../../src/runner/events.js';
import { runPlan, type RunPlanOptions, type RunResult } from '../../src/runner/run-plan.js';
import { FileTaskJournal } from '../../src/runner/task-journal.js';
import { resolveFfmpeg } from '../../src/media/ffmpeg-binaries.js';

/** Compiles storyboard text (no local files) into a plan. */
export function planOf(text: string): Plan {
  const r = validateStoryboard({ path: 'film.yaml', text });
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
  return planStoryboard(r.value);
}

/** A working directory with a cache and a journal, and a function that runs plans in it. */
export async function workspace(dir?: string): Promise<{ dir: string; run: (plan: Plan, backend: Backend, extra?: Partial<RunPlanOptions>) => Promise<RunResult & { events: RunEvent[] }> }> {
  const root = dir ?? (await mkdtemp(join(tmpdir(), 'sb-run-')));
  await writeFile(join(root, '.keep'), '');
  const ffmpeg = await resolveFfmpeg();
  return {
    dir: root,
    async run(plan, backend, extra = {}) {
      const cache = new ClipCache(join(root, 'cache'), ffmpeg);
      await cache.init();
      const journal = await FileTaskJournal.open(join(root, 'journal'));
      const events: RunEvent[] = [];
      const result = await runPlan(plan, { backend, ffmpeg, cache, journal, baseDir: root, onEvent: (e) => events.push(e), ...extra });
      return { ...result, events };
    },
  };
}
