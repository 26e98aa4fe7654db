// Rule: every scene's model is in the model registry (with a did-you-mean).
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { findImageModel } from '../models/image-registry.js';
import type { Rule } from './context.js';
import { suggestModel } from './suggest-model.js';

/** Every scene's model is in the registry. */
export const knownModels: Rule = ({ storyboard, scenes }) => {
  const out: Diagnostic[] = [];
  const reported = new Set<number>();
  for (const { scene, model } of scenes) {
    if (model) continue;
    const setting = scene.settings.model;
    if (setting && setting.origin === 'defaults' && reported.has(setting.span.start)) continue;
    if (setting) reported.add(setting.span.start);
    out.push({ code: 'unknown-model', severity: 'error', span: scene.model.span,
      message: `Unknown model \`${scene.model.id}\`${setting?.origin === 'defaults' ? ` (from \`defaults\`, used by scene \`${scene.id}\`)` : ` in scene \`${scene.id}\``}`,
      hint: findImageModel(scene.model.id)
        ? `${scene.model.id} is an image model: it makes stills (under \`stills:\`), which a scene can start from with \`first_frame: { still: <id> }\`.`
        : suggestModel(scene.model.id, scene.cast || Object.values(storyboard.characters).some((c) => c.image || c.video) && /r2v/.test(scene.model.id) ? 'r2v' : scene.firstFrame || scene.continues ? 'i2v' : undefined) });
  }
  return out;
};
