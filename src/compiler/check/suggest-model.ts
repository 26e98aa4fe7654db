// "Did you mean" for an unknown model id, among models of the kind the name (or the place) suggests: a
// misspelt r2v model is offered r2v models, an image model's typo image models.
import { IMAGE_MODELS } from '../models/image-registry.js';
import { MODELS } from '../models/registry.js';
import type { ModelKind } from '../models/types.js';
import { didYouMean } from '../suggest.js';

type Kind = ModelKind | 't2i';
const KIND_TOKENS: readonly [RegExp, Kind][] = [[/r2v/i, 'r2v'], [/kf2v/i, 'kf2v'], [/i2v/i, 'i2v'], [/t2v/i, 't2v'], [/t2i|image/i, 't2i']];

/** The models of one kind (all video models for `undefined`). */
function idsOf(kind: Kind | undefined): string[] {
  if (kind === 't2i') return [...IMAGE_MODELS.keys()];
  return [...MODELS.values()].filter((m) => kind === undefined || m.kind === kind).map((m) => m.id);
}

/**
 * A hint for an unknown model: the closest model of the kind its name says (`…-r2v…` → r2v models), else of the
 * kind the place expects (`t2i` for stills, `r2v` for a scene with a cast), else any; with the list of that kind.
 */
export function suggestModel(id: string, expected?: Kind): string {
  // a real model in the wrong place: say what goes there instead of suggesting the same id
  if (expected === 't2i' && MODELS.has(id)) return `\`${id}\` is a video model; stills take image models: ${idsOf('t2i').join(', ')}.`;
  if (expected !== 't2i' && IMAGE_MODELS.has(id)) return `\`${id}\` is an image model, which makes stills (under \`stills:\`), not scenes.`;
  const named = KIND_TOKENS.find(([re]) => re.test(id))?.[1];
  const kind = named ?? expected;
  const pool = idsOf(kind);
  const close = didYouMean(id, pool);
  if (close) return close;
  const place = expected === 't2i' ? 'image' : kind ? `${kind}` : 'video';
  if (named && expected && ((named === 't2i') !== (expected === 't2i'))) {
    return expected === 't2i' ? `\`${id}\` looks like a video model; stills take image models: ${idsOf('t2i').join(', ')}.`
      : `\`${id}\` looks like an image model, which makes stills (under \`stills:\`), not scenes.`;
  }
  return `Known ${place} models: ${pool.join(', ')}.`;
}
