// The semantic check: builds the check context (models, clip segments) and runs every rule of check/ on a
// normalized storyboard.
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { buildCheckContext, type AssetFacts, type CheckContext } from './check/context.js';
import { rules } from './check/index.js';
import type { Storyboard } from './storyboard.js';

/** Options for the semantic check. */
interface CheckStoryboardOptions {
  /** Header facts about local files (read at the edges); without them file checks are skipped. */
  readonly assets?: ReadonlyMap<string, AssetFacts>;
}

/** Runs every semantic rule over a normalized storyboard. */
export function checkStoryboard(storyboard: Storyboard, options: CheckStoryboardOptions = {}): { context: CheckContext; diagnostics: Diagnostic[] } {
  const context = buildCheckContext(storyboard, options.assets);
  return { context, diagnostics: rules.flatMap((rule) => rule(context)) };
}
