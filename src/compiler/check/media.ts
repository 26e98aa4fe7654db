// Rule: first/last frames and `continues` fit the scene's model (t2v takes none, i2v needs a first frame,
// kf2v needs both).
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { findModel } from '../models/registry.js';
import type { ModelSpec } from '../models/types.js';
import type { Scene } from '../storyboard.js';
import type { Rule } from './context.js';

/** First/last frames and `continues` fit the model: t2v takes none, i2v needs a first frame, kf2v needs both. */
export const media: Rule = ({ scenes }) => scenes.flatMap(({ scene, model }) => (model ? checkScene(scene, model) : []));

function frameModelHint(model: ModelSpec, needLast: boolean): string {
  if (model.kind === 'r2v' && !needLast) return 'Use `model: wan2.7-r2v`, which takes a first frame with the references, or an image-to-video model such as `wan2.7-i2v` (characters then described in words).';
  const i2v = model.continuation ? findModel(model.continuation) : undefined;
  if (needLast) return 'Use `model: wan2.7-i2v` (first and last frame) or a kf2v model such as `wan2.2-kf2v-flash`.';
  return i2v ? `Use \`model: ${i2v.id}\`, the image-to-video model of the ${model.family} family.` : 'Use an image-to-video model such as `wan2.7-i2v`.';
}

function checkScene(scene: Scene, model: ModelSpec): Diagnostic[] {
  const out: Diagnostic[] = [];
  const first = scene.firstFrame ? { span: scene.firstFrame.span, what: '`first_frame`' } : scene.continues ? { span: scene.continues.span, what: '`continues`' } : undefined;
  if (scene.firstFrame && scene.continues) {
    out.push({ code: 'media-conflict', severity: 'error', span: scene.firstFrame.span,
      message: `Scene \`${scene.id}\` has both \`first_frame\` and \`continues\`; its first frame can only come from one`,
      related: [{ message: 'continues here', span: scene.continues.span }], hint: 'Remove one of them.' });
  }
  if (!model.frames.first && first) {
    out.push({ code: 'media-unsupported', severity: 'error', span: first.span,
      message: model.kind === 'r2v'
        ? `${model.id} takes references but no first frame, so scene \`${scene.id}\` cannot start from one (${first.what})`
        : `${model.id} is a text-to-video model and cannot start from a first frame (${first.what} in scene \`${scene.id}\`)`,
      hint: frameModelHint(model, false) });
  }
  if (model.frames.first && model.frames.firstRequired && !first) {
    out.push({ code: 'media-missing', severity: 'error', span: scene.model.span,
      message: `${model.id} needs a first frame, but scene \`${scene.id}\` has neither \`first_frame\` nor \`continues\``,
      hint: 'Add `first_frame: <image>` or `continues: <scene id>`, or use a text-to-video model.' });
  }
  if (scene.lastFrame && !model.frames.last) {
    out.push({ code: 'media-unsupported', severity: 'error', span: scene.lastFrame.span,
      message: `${model.id} cannot end on a given last frame (\`last_frame\` in scene \`${scene.id}\`)`, hint: frameModelHint(model, true) });
  }
  if (model.frames.lastRequired && !scene.lastFrame) {
    out.push({ code: 'media-missing', severity: 'error', span: scene.model.span,
      message: `${model.id} needs both a first and a last frame; scene \`${scene.id}\` has no \`last_frame\``,
      hint: 'Add `last_frame: <image>`, or use an image-to-video model that needs only a first frame.' });
  }
  return out;
}
