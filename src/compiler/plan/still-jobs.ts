// Compiles the storyboard's stills into StillJobs: the exact image request (`n: 1` always), input images,
// seed, expected pixel size and price per image.
import { findImageModel, stillPixels } from '../models/image-registry.js';
import type { ImageModelSpec } from '../models/types.js';
import type { Still } from '../storyboard.js';
import { sourceOf } from './build-request.js';
import { deriveSeed } from './derive-seed.js';
import type { ClipInput, SourcePosition, StillJob, StillRequest } from './types.js';

/** The seed name of a still: stills and clips draw seeds from one storyboard identity, in separate names. */
export function stillSeedName(id: string): string {
  return `still/${id}`;
}

/** One still's job (without `usedBy`, which the planner fills in once the clips are known). */
export function stillJob(still: Still, identity: string, position: (offset: number) => SourcePosition): Omit<StillJob, 'usedBy'> | undefined {
  const model = findImageModel(still.model.id);
  if (!model) return undefined;
  const inputs: ClipInput[] = [];
  const images = still.images.map((img, i) => {
    const from = sourceOf(img);
    if ('url' in from) return from.url;
    const name = `image${i + 1}`;
    inputs.push({ name, kind: 'image', from, at: position(img.span.start) });
    return `$input.${name}`;
  });
  const seed = still.seed?.value ?? deriveSeed(identity, stillSeedName(still.id));
  const request = stillRequest(still, model, images, seed);
  return {
    id: still.id, at: position(still.span.start), model: model.id, request, prompt: still.prompt.rendered,
    seed: { value: seed, source: still.seed ? 'explicit' : 'derived' }, inputs,
    dependsOn: [...new Set(still.images.filter((i) => i.kind === 'still').map((i) => i.ref))],
    expected: stillPixels(model, still.size?.value),
    cost: { usd: model.pricePerImage, perImage: model.pricePerImage },
  };
}

/**
 * The request body in the model's protocol: legacy text2image takes `input.prompt`; wan2.6/2.7 image models take
 * `input.messages` (text, then images) with `negative_prompt` among the parameters. Always `n: 1` (legacy models
 * make and bill 4 images unless told).
 */
function stillRequest(still: Still, model: ImageModelSpec, images: readonly string[], seed: number): StillRequest {
  const input: Record<string, unknown> = {};
  const parameters: Record<string, unknown> = {};
  if (model.protocol === 'prompt') {
    input.prompt = still.prompt.rendered;
    if (still.negativePrompt) input.negative_prompt = still.negativePrompt.rendered;
  } else {
    input.messages = [{ role: 'user', content: [{ text: still.prompt.rendered }, ...images.map((image) => ({ image }))] }];
    if (still.negativePrompt) parameters.negative_prompt = still.negativePrompt.rendered;
  }
  if (still.size) parameters.size = still.size.value;
  parameters.n = 1;
  if (still.promptExtend) parameters.prompt_extend = still.promptExtend.value;
  if (still.watermark) parameters.watermark = still.watermark.value;
  parameters.seed = seed;
  return { method: 'POST', path: model.endpoint, mode: model.mode, body: { model: model.id, input, parameters } };
}
