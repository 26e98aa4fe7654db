// Rule: settings written on a scene that its model does not use are warnings.
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Rule } from './context.js';

/**
 * Settings written on a scene that its model does not use are warnings (`ratio` on an image-driven model,
 * whose first frame decides the shape). The same keys inherited from `defaults` are silently ignored.
 */
export const ignoredSettings: Rule = ({ scenes }) => {
  const out: Diagnostic[] = [];
  for (const { scene, model } of scenes) {
    const ratio = scene.settings.ratio;
    if (!model || !ratio || ratio.origin !== 'scene' || model.sizing !== 'resolution') continue;
    out.push({ code: 'setting-ignored', severity: 'warning', span: ratio.keySpan,
      message: `\`ratio\` is ignored by ${model.id}: the video takes the aspect ratio of its first frame`,
      hint: 'Remove `ratio` from this scene, or crop the first-frame image to the shape you want.' });
  }
  return out;
};
