// Rule: `continues` names an existing scene other than itself.
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { didYouMean, listNames } from '../suggest.js';
import type { Rule } from './context.js';

/** `continues` names an existing scene other than itself. */
export const sceneRefs: Rule = ({ storyboard }) => {
  const ids = storyboard.scenes.map((s) => s.id);
  const known = new Set(ids);
  const out: Diagnostic[] = [];
  for (const scene of storyboard.scenes) {
    const ref = scene.continues;
    if (!ref || known.has(ref.id)) continue;
    const others = ids.filter((i) => i !== scene.id);
    out.push({ code: 'unknown-scene-ref', severity: 'error', span: ref.span,
      message: `Unknown scene \`${ref.id}\` in \`continues\`${others.length ? `, expected one of ${listNames(others.slice(0, 10))}` : ''}`,
      ...(didYouMean(ref.id, others) ? { hint: didYouMean(ref.id, others) } : {}) });
  }
  return out;
};
