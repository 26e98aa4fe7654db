// Rule: prompts exist where the model needs one and fit its length limit after templating; negative prompts
// fit theirs.
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { clipPrompt } from '../clip-prompt.js';
import type { Rule } from './context.js';

/** Character count as the service counts it (code points, not UTF-16 units: a surrogate pair is one). */
function promptLength(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Prompts exist where the model needs one and fit the model's limit after templating; negative prompts fit 500. */
export const prompts: Rule = ({ storyboard, scenes }) => {
  const out: Diagnostic[] = [];
  for (const { scene, model, segments } of scenes) {
    if (!model) continue;
    const blame = scene.prompt?.span ?? scene.shots[0]?.prompt.span ?? scene.idSpan;
    for (const seg of segments) {
      const text = clipPrompt(seg, scene, storyboard);
      const len = promptLength(text);
      if (len === 0 && seg.model.prompt.required) {
        out.push({ code: 'prompt-missing', severity: 'error', span: scene.idSpan,
          message: `Scene \`${scene.id}\` has no prompt, and ${seg.model.id} needs one`, hint: 'Add `prompt:` to the scene or give it shots.' });
        break;
      }
      if (len > seg.model.prompt.max) {
        out.push({ code: 'prompt-too-long', severity: 'error', span: blame,
          message: `The prompt of clip \`${seg.id}\` is ${len} characters after templating; ${seg.model.id} accepts at most ${seg.model.prompt.max}`,
          hint: `The service would silently cut the rest. Shorten the text${scene.shots.length > 1 ? ', or give the scene fewer shots' : ''}.` });
      }
    }
    const negative = scene.settings.negative_prompt;
    if (negative && promptLength(negative.value) > model.negativePromptMax) {
      out.push({ code: 'negative-prompt-too-long', severity: 'error', span: negative.span,
        message: `The negative prompt of scene \`${scene.id}\` is ${promptLength(negative.value)} characters; at most ${model.negativePromptMax} are accepted` });
    }
  }
  return out;
};
