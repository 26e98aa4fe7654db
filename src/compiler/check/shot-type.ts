// Rule: `shot_type` only on models that take it (wan2.6); on wan2.7 shots are described in the prompt.
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Rule } from './context.js';

/** `shot_type` is a wan2.6 parameter; on wan2.7, shots are described in the prompt instead. */
export const shotType: Rule = ({ scenes }) => {
  const out: Diagnostic[] = [];
  for (const { scene, model } of scenes) {
    const st = scene.settings.shot_type;
    if (!model || !st || st.origin !== 'scene' || model.multiShot === 'shot_type') continue;
    out.push({ code: 'shot-type-unsupported', severity: 'error', span: st.keySpan,
      message: `\`shot_type\` is only accepted by wan2.6 models, not ${model.id}`,
      hint: model.multiShot === 'prompt' ? `${model.id} makes multi-shot clips from \`shots\`: list them and they are written into the prompt as \`Shot 1 [0-3 s]: …\`.`
        : `${model.id} makes single-shot clips; each shot becomes its own clip.` });
  }
  return out;
};
