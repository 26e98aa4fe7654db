// Rule: `resolution`, `ratio` and `size` are legal for the scene's model and agree with each other.
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { parseSize, SIZES, sizeFor, sizesOf } from '../models/registry.js';
import type { ModelSpec, Ratio, Resolution } from '../models/types.js';
import type { Scene } from '../storyboard.js';
import { didYouMean, listNames } from '../suggest.js';
import type { Rule } from './context.js';

/** `resolution`, `ratio` and `size` are legal for the scene's model and agree with each other. */
export const sizes: Rule = ({ scenes }) => scenes.flatMap(({ scene, model }) => (model ? checkScene(scene, model) : []));

function checkScene(scene: Scene, model: ModelSpec): Diagnostic[] {
  const { resolution, ratio, size } = scene.settings;
  const out: Diagnostic[] = [];
  const where = (origin: 'scene' | 'defaults'): string => (origin === 'defaults' ? ` (from \`defaults\`, for scene \`${scene.id}\`)` : '');
  let tier: Resolution | undefined = resolution?.value;
  let shape: Ratio | undefined = model.sizing === 'resolution' ? undefined : ratio?.value;
  if (size) {
    const parsed = parseSize(size.value);
    // image-driven models take only the tier from a size: their frame decides the shape
    const legal = model.sizing === 'resolution' ? model.resolutions.flatMap((r) => Object.values(SIZES[r])) : sizesOf(model);
    if (!parsed || !legal.includes(size.value)) {
      out.push({ code: 'size-unsupported', severity: 'error', span: size.span,
        message: `${model.id} does not make videos of size \`${size.value}\`${where(size.origin)}`,
        hint: (didYouMean(size.value, legal) ?? '') + (model.sizing === 'size' ? ` Sizes: ${listNames(legal)}.` : ` Use \`resolution\` (${listNames(model.resolutions)}).`) });
      return out;
    }
    for (const [key, given, implied] of [['resolution', resolution, parsed.resolution], ['ratio', ratio, parsed.ratio]] as const) {
      if (given && given.value !== implied && !(key === 'ratio' && model.sizing === 'resolution')) {
        out.push({ code: 'size-conflict', severity: 'error', span: given.span,
          message: `\`${key}: ${given.value}\` disagrees with \`size: ${size.value}\` (which is ${implied})`,
          related: [{ message: 'size given here', span: size.span }], hint: `Give either \`size\` or \`resolution\`/\`ratio\`, not both.` });
      }
    }
    tier = parsed.resolution;
    shape = model.sizing === 'resolution' ? undefined : parsed.ratio;
  }
  if (tier && !model.resolutions.includes(tier) && resolution && !size) {
    out.push({ code: 'resolution-unsupported', severity: 'error', span: resolution.span,
      message: `${model.id} does not offer ${tier}${where(resolution.origin)}`, hint: `${model.id} offers ${listNames(model.resolutions)}.` });
    return out;
  }
  if (shape && ratio && !size) {
    const t = tier ?? model.defaultResolution;
    const ok = model.ratios.includes(shape) && (model.sizing !== 'size' || sizeFor(t, shape) !== undefined);
    if (!ok) {
      const offered = model.ratios.filter((q) => model.sizing !== 'size' || sizeFor(t, q));
      out.push({ code: 'ratio-unsupported', severity: 'error', span: ratio.span,
        message: `${model.id} has no ${shape} format at ${t}${where(ratio.origin)}`, hint: `At ${t} it offers ${listNames(offered)}.` });
    }
  }
  return out;
}
