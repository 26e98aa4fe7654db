// The image-model registry: every Wan text-to-image model a still can use (endpoint, protocol, sizes, limits,
// price per image); a new image model is one entry here.
import type { ImageModelSpec } from './types.js';

// Facts from shared/reference/dashscope-wan.md §1.2 (endpoints), §4 (limits, Singapore), §8 (parameters, prices).
const TEXT2IMAGE = '/api/v1/services/aigc/text2image/image-synthesis' as const;
const IMAGE_GENERATION = '/api/v1/services/aigc/image-generation/generation' as const;
const MULTIMODAL = '/api/v1/services/aigc/multimodal-generation/generation' as const;
const MB = 1024 * 1024;

/** Legacy text2image models: `W*H` with sides 512–1440, 1024*1024 by default; 4 images unless told. */
const LEGACY_SIZES = { kind: 'pixels', minSide: 512, maxSide: 1440, named: [], default: '1024*1024' } as const;
/**
 * wan2.6-t2i and wan2.5-t2i-preview: any `W*H` of about 1280² to 1440² pixels, 1:4 to 4:1 (the official zh
 * reference, Dec 2025); its own listed sizes (1104*1472, 960*1696: ~1.63 MP) sit just under 1280², so the floor
 * is theirs.
 */
const AREA_SIZES = { kind: 'pixels', minSide: 256, maxSide: 2880, minPixels: 1104 * 1472, maxPixels: 1440 * 1440, maxAspect: 4, named: [] } as const;
const WAN27_NAMED = { '1K': '1024*1024', '2K': '2048*2048', '4K': '4096*4096' } as const;
const INPUT_IMAGE = { minSide: 240, maxSide: 8000, maxBytes: 20 * MB, maxAspect: 8 } as const;

const IMAGE_MODEL_LIST: readonly ImageModelSpec[] = [
  {
    id: 'wan2.7-image', family: 'wan2.7', kind: 't2i', endpoint: IMAGE_GENERATION, mode: 'async', protocol: 'messages',
    sizes: { kind: 'pixels', minSide: 512, maxSide: 2048, maxPixels: 2048 * 2048, named: ['1K', '2K'], default: '2K' },
    namedPixels: WAN27_NAMED, prompt: { max: 5000 }, negativePromptMax: 500, n: { default: 1, max: 4 },
    inputImages: 9, inputImage: INPUT_IMAGE, limits: { rps: 5, concurrency: 5 }, pricePerImage: 0.03,
    note: 'price per image not in the reference (wan2.6-t2i\'s $0.03 assumed); W*H side limits assumed 512–2048; up to 9 input images assumed.',
  },
  {
    id: 'wan2.7-image-pro', family: 'wan2.7', kind: 't2i', endpoint: IMAGE_GENERATION, mode: 'async', protocol: 'messages',
    sizes: { kind: 'pixels', minSide: 512, maxSide: 4096, maxPixels: 4096 * 4096, named: ['1K', '2K', '4K'], default: '2K' },
    namedPixels: WAN27_NAMED, prompt: { max: 5000 }, negativePromptMax: 500, n: { default: 1, max: 4 },
    inputImages: 9, inputImage: INPUT_IMAGE, limits: { rps: 5, concurrency: 5 }, pricePerImage: 0.075,
    note: 'W*H side limits assumed 512–4096; up to 9 input images assumed; $0.075 per image is a third-party figure.',
  },
  {
    id: 'wan2.6-t2i', family: 'wan2.6', kind: 't2i', endpoint: MULTIMODAL, mode: 'sync', protocol: 'messages',
    sizes: { ...AREA_SIZES, default: '1280*1280' },
    prompt: { max: 2000 }, negativePromptMax: 500, n: { default: 4, max: 4 },
    inputImages: 0, limits: { rps: 5, concurrency: 5 }, pricePerImage: 0.03,
    note: 'called on the sync endpoint (the async image-generation endpoint takes the same body); $0.03 per image is a third-party figure.',
  },
  {
    id: 'wan2.5-t2i-preview', family: 'wan2.5', kind: 't2i', endpoint: TEXT2IMAGE, mode: 'async', protocol: 'prompt',
    sizes: { ...AREA_SIZES, default: '1280*1280' }, prompt: { max: 2000 }, negativePromptMax: 500, n: { default: 4, max: 4 },
    inputImages: 0, limits: { rps: 5, concurrency: 5 }, pricePerImage: 0.03,
    note: 'price per image not in the reference ($0.03 assumed).',
  },
  {
    id: 'wan2.2-t2i-flash', family: 'wan2.2', kind: 't2i', endpoint: TEXT2IMAGE, mode: 'async', protocol: 'prompt',
    sizes: LEGACY_SIZES, prompt: { max: 500 }, negativePromptMax: 500, n: { default: 4, max: 4 },
    inputImages: 0, limits: { rps: 2, concurrency: 2 }, pricePerImage: 0.025,
    note: '$0.025 per image is a third-party figure.',
  },
  {
    id: 'wan2.2-t2i-plus', family: 'wan2.2', kind: 't2i', endpoint: TEXT2IMAGE, mode: 'async', protocol: 'prompt',
    sizes: LEGACY_SIZES, prompt: { max: 500 }, negativePromptMax: 500, n: { default: 4, max: 4 },
    inputImages: 0, limits: { rps: 2, concurrency: 2 }, pricePerImage: 0.05,
    note: '$0.05 per image is a third-party figure.',
  },
  {
    id: 'wan2.1-t2i-turbo', family: 'wan2.1', kind: 't2i', endpoint: TEXT2IMAGE, mode: 'async', protocol: 'prompt',
    sizes: LEGACY_SIZES, prompt: { max: 500 }, negativePromptMax: 500, n: { default: 4, max: 4 },
    inputImages: 0, limits: { rps: 2, concurrency: 2 }, pricePerImage: 0.025,
    note: 'price per image not in the reference (wan2.2-t2i-flash\'s $0.025 assumed).',
  },
  {
    id: 'wan2.1-t2i-plus', family: 'wan2.1', kind: 't2i', endpoint: TEXT2IMAGE, mode: 'async', protocol: 'prompt',
    sizes: LEGACY_SIZES, prompt: { max: 500 }, negativePromptMax: 500, n: { default: 4, max: 4 },
    inputImages: 0, limits: { rps: 2, concurrency: 2 }, pricePerImage: 0.05,
    note: 'price per image not in the reference (wan2.2-t2i-plus\'s $0.05 assumed).',
  },
];

/** Every known image model by id. */
export const IMAGE_MODELS: ReadonlyMap<string, ImageModelSpec> = new Map(IMAGE_MODEL_LIST.map((m) => [m.id, m]));

/** The image model with this id, if known. */
export function findImageModel(id: string): ImageModelSpec | undefined {
  return IMAGE_MODELS.get(id);
}

/** The pixel size a still of this model and size (`W*H`, a named size, or the default) comes out at. */
export function stillPixels(model: ImageModelSpec, size: string | undefined): { width: number; height: number } {
  const s = size ?? model.sizes.default;
  const wh = model.namedPixels?.[s] ?? s;
  const [w, h] = wh.split('*').map(Number);
  return { width: w && w > 0 ? w : 1024, height: h && h > 0 ? h : 1024 };
}

/** Whether a size is one the model accepts; undefined when it is, else what it accepts in words. */
export function imageSizeProblem(model: ImageModelSpec, size: string): string | undefined {
  const rule = model.sizes;
  if (rule.named.includes(size)) return undefined;
  const named = rule.named.length ? ` or ${rule.named.map((n) => `\`${n}\``).join(', ')}` : '';
  if (rule.kind === 'list') {
    return rule.values.includes(size) ? undefined : `one of ${rule.values.map((v) => `\`${v}\``).join(', ')}${named}`;
  }
  const m = /^(\d+)\*(\d+)$/.exec(size);
  const w = Number(m?.[1]);
  const h = Number(m?.[2]);
  const ok = m && w >= rule.minSide && w <= rule.maxSide && h >= rule.minSide && h <= rule.maxSide
    && (!rule.minPixels || w * h >= rule.minPixels) && (!rule.maxPixels || w * h <= rule.maxPixels)
    && (!rule.maxAspect || Math.max(w, h) / Math.min(w, h) <= rule.maxAspect);
  if (ok) return undefined;
  if (rule.minPixels) {
    return `\`W*H\` of ${rule.minPixels.toLocaleString('en')} to ${(rule.maxPixels ?? Infinity).toLocaleString('en')} pixels in all${rule.maxAspect ? `, from 1:${rule.maxAspect} to ${rule.maxAspect}:1` : ''} (e.g. 1280*1280, 1104*1472, 1696*960)${named}`;
  }
  return `\`W*H\` with both sides from ${rule.minSide} to ${rule.maxSide}${rule.maxPixels ? ` (at most ${rule.maxPixels} pixels)` : ''}${named}`;
}
