// Rule: settings written on a scene that its model does not use are warnings.
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Rule } from './context.js';

/**
 * Settings written on a scene that its model does not use are warnings (`ratio` on an image-driven model,
 * whose first frame decides the shape). The same keys inherited from `defaults` are silently ignored.
 */
export const ignoredSettings: Rule = ({ scenes }) => {
  const out: Diagnostic[] = [];
  for (const { scene, model, segments } of scenes) {
    const ratio = scene.settings.ratio;
    if (model && ratio && ratio.origin === 'scene' && model.sizing === 'resolution') {
      out.push({ code: 'setting-ignored', severity: 'warning', span: ratio.keySpan,
        message: `\`ratio\` is ignored by ${model.id}: the video takes the aspect ratio of its first frame`,
        hint: 'Remove `ratio` from this scene, or crop the first-frame image to the shape you want.' });
    }
    // `carry` and `continuation: clip` only shape the clips a scene is split into, and only where they can continue by clip
    for (const key of ['carry', 'continuation'] as const) {
      const setting = scene.settings[key];
      if (!model || setting?.origin !== 'scene' || (key === 'continuation' && setting.value !== 'clip')) continue;
      // a scene in one clip may still use `carry` for `continues: { scene }`: only a split continued by frame ignores it
      if (segments.length < 2 || segments.some((s) => s.carry !== undefined)) continue;
      const cont = segments[1]?.model ?? model;
      out.push({ code: 'setting-ignored', severity: 'warning', span: setting.keySpan,
        message: `\`${key}\` is ignored in scene \`${scene.id}\`: its clips continue each other by frame, as ${cont.id} cannot continue a clip`,
        hint: 'Use the wan2.7 family (wan2.7-i2v continues by clip), or remove the setting.' });
    }
  }
  return out;
};
