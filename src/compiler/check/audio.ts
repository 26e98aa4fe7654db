// Rule: a scene's `audio` asks only what its model can do (driving audio on wan2.5+, silence where it can be
// switched off).
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Rule } from './context.js';

/** `audio` asks only what the model can do: a driving audio file (wan2.5+), or silence where it can be switched off. */
export const audio: Rule = ({ scenes }) => {
  const out: Diagnostic[] = [];
  for (const { scene, model } of scenes) {
    const a = scene.settings.audio;
    if (!model || !a) continue;
    if (typeof a.value === 'string' && !model.audio.input) {
      if (a.origin === 'defaults') continue;
      out.push({ code: 'audio-unsupported', severity: 'error', span: a.span,
        message: `${model.id} takes no audio input (scene \`${scene.id}\`)`,
        hint: 'Audio input needs wan2.5 or later (e.g. wan2.7-t2v, wan2.7-i2v, wan2.6-t2v); background music for the film goes in `output.music`.' });
    } else if (a.value === false && model.audio.generates && !model.audio.canSilence && a.origin === 'scene') {
      out.push({ code: 'audio-unsupported', severity: 'error', span: a.span,
        message: `${model.id} always generates sound and cannot be made silent (scene \`${scene.id}\`)`,
        hint: 'wan2.6-i2v-flash can make silent clips; silent clips of other models are kept silent in the film by a later mix.' });
    } else if (a.value === true && !model.audio.generates && a.origin === 'scene') {
      out.push({ code: 'audio-unsupported', severity: 'error', span: a.span,
        message: `${model.id} makes silent videos only (scene \`${scene.id}\`)`, hint: 'Models from wan2.5 on generate sound.' });
    }
  }
  return out;
};
