import { loadStoryboard } from '../../src/render/load-storyboard.js';
import { planStoryboard } from '../../src/compiler/plan-storyboard.js';
import type { Plan } from '../../src/compiler/plan/types.js';
import { formatDiagnostics } from '../../src/diagnostics/format.js';

/** Loads, validates (with file checks) and compiles a storyboard; throws with rendered diagnostics if invalid. */
export async function compileFile(path: string): Promise<Plan> {
  const loaded = await loadStoryboard(path);
  if (!loaded.result.ok) {
    const sources = new Map(loaded.source ? [[loaded.source.path, loaded.source.text]] : []);
    throw new Error(formatDiagnostics(loaded.result.diagnostics, { sources }));
  }
  return planStoryboard(loaded.result.value);
}
