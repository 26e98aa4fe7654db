// Rule: every scene's model is in the model registry (with a did-you-mean).
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { MODELS } from '../models/registry.js';
import { didYouMean } from '../suggest.js';
import type { Rule } from './context.js';

/** Every scene's model is in the registry. */
export const knownModels: Rule = ({ scenes }) => {
  const out: Diagnostic[] = [];
  const reported = new Set<number>();
  for (const { scene, model } of scenes) {
    if (model) continue;
    const setting = scene.settings.model;
    if (setting && setting.origin === 'defaults' && reported.has(setting.span.start)) continue;
    if (setting) reported.add(setting.span.start);
    out.push({ code: 'unknown-model', severity: 'error', span: scene.model.span,
      message: `Unknown model \`${scene.model.id}\`${setting?.origin === 'defaults' ? ` (from \`defaults\`, used by scene \`${scene.id}\`)` : ` in scene \`${scene.id}\``}`,
      hint: didYouMean(scene.model.id, MODELS.keys()) ?? `Known models: ${[...MODELS.keys()].join(', ')}.` });
  }
  return out;
};
