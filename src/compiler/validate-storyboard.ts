// Validation end to end: parse → schema → normalize → semantic rules, giving a ValidStoryboard or
// diagnostics.
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { fail, hasErrors, ok, sortDiagnostics, type Result } from '../diagnostics/diagnostic.js';
import type { AssetFacts, CheckContext } from './check/context.js';
import { localAssetRefs } from './asset-refs.js';
import { checkSchema } from './check-schema.js';
import { checkStoryboard } from './check-storyboard.js';
import { Locator } from './locate.js';
import { normalizeStoryboard } from './normalize.js';
import { parseStoryboard } from './parse.js';
import type { SourceFile } from './source.js';
import type { AssetRef, Storyboard } from './storyboard.js';

/** A storyboard that passed validation, with the facts the checks derived (models, clip segments). */
export interface ValidStoryboard {
  readonly storyboard: Storyboard;
  readonly context: CheckContext;
}

/** A parsed, schema-valid, normalized storyboard awaiting the semantic checks. */
export interface PreparedStoryboard {
  readonly storyboard: Storyboard;
  readonly diagnostics: readonly Diagnostic[];
  /** Local files it refers to, whose headers the caller may read before `completeValidation`. */
  readonly assets: readonly AssetRef[];
}

/** Options for validation. */
export interface ValidateStoryboardOptions {
  readonly assets?: ReadonlyMap<string, AssetFacts>;
}

/** parse → schema → normalize (templates). Stops at YAML or schema errors. */
export function prepareStoryboard(source: SourceFile): Result<PreparedStoryboard> {
  const parsed = parseStoryboard(source);
  if (!parsed.ok) return parsed;
  const locator = new Locator(source.path, parsed.value.document, source.text);
  const schemaDiagnostics = checkSchema(parsed.value.value, locator);
  if (hasErrors(schemaDiagnostics)) return fail(sortDiagnostics(schemaDiagnostics));
  const { storyboard, diagnostics } = normalizeStoryboard(parsed.value, locator);
  const assets = localAssetRefs(storyboard);
  return ok({ storyboard, diagnostics: [...schemaDiagnostics, ...diagnostics], assets });
}

/** Runs the semantic rules on a prepared storyboard. */
export function completeValidation(prepared: PreparedStoryboard, options: ValidateStoryboardOptions = {}): Result<ValidStoryboard> {
  const { context, diagnostics } = checkStoryboard(prepared.storyboard, options);
  const all = sortDiagnostics([...prepared.diagnostics, ...diagnostics]);
  return hasErrors(all) ? fail(all) : ok({ storyboard: prepared.storyboard, context }, all);
}

/** Validates a storyboard end to end (files are checked only when `assets` facts are given). */
export function validateStoryboard(source: SourceFile, options: ValidateStoryboardOptions = {}): Result<ValidStoryboard> {
  const prepared = prepareStoryboard(source);
  return prepared.ok ? completeValidation(prepared.value, options) : prepared;
}
