// `storyboard compile` and `storyboard graph`: validate and compile a storyboard and print its plan, requests,
// prompts or clip graph (nothing is rendered).
import { planStoryboard } from '../../compiler/plan-storyboard.js';
import { planDot, planMermaid } from '../../compiler/plan/plan-graph.js';
import { planJson, promptsText, requestsJson } from '../../compiler/plan/plan-json.js';
import type { Plan } from '../../compiler/plan/types.js';
import { EXIT } from '../exit-codes.js';
import { loadStoryboard } from '../../render/load-storyboard.js';
import { printDiagnostics, type Output } from '../output.js';

/** What `compile` prints. */
export interface CompileOptions {
  readonly view: 'plan' | 'requests' | 'prompts' | 'mermaid' | 'dot';
}

/** Validates and compiles a storyboard, printing diagnostics to stderr; the plan, or undefined when invalid. */
export async function loadPlan(file: string, out: Output): Promise<{ plan?: Plan; code: number }> {
  const loaded = await loadStoryboard(file);
  const sources = new Map(loaded.source ? [[loaded.source.path, loaded.source.text]] : []);
  printDiagnostics(out, loaded.result.diagnostics, sources);
  if (!loaded.result.ok) return { code: loaded.result.diagnostics.some((d) => d.code === 'file-not-found') ? EXIT.usage : EXIT.failed };
  return { plan: planStoryboard(loaded.result.value), code: EXIT.ok };
}

/** `storyboard compile <file>` (and `graph`): prints the plan, the requests, the prompts or the clip graph. */
export async function compileCommand(file: string, out: Output, options: CompileOptions): Promise<number> {
  const { plan, code } = await loadPlan(file, out);
  if (!plan) return code;
  const text = { plan: planJson, requests: requestsJson, prompts: promptsText, mermaid: planMermaid, dot: planDot }[options.view](plan);
  out.out(text);
  return EXIT.ok;
}
