// What a clip will be (size, duration, frame rate, audio) and what it costs, from the scene and the model
// registry.
import { framedDimensions, parseSize, sizeFor } from '../models/registry.js';
import type { ModelSpec, Ratio, Resolution } from '../models/types.js';
import type { Scene } from '../storyboard.js';
import type { ClipJob, ExpectedOutput } from './types.js';

/** Seconds a clip asks the model for: its video less the seconds a clip continuation carries in (what is priced). */
export function newSeconds(job: Pick<ClipJob, 'expected' | 'carry'>): number {
  return Math.round((job.expected.duration - (job.carry?.seconds ?? 0)) * 1e6) / 1e6;
}

/** The tier a clip renders at: from `size`, `resolution`, or the model default. */
export function tierOf(scene: Scene, model: ModelSpec): Resolution {
  const fromSize = scene.settings.size ? parseSize(scene.settings.size.value)?.resolution : undefined;
  const tier = fromSize ?? scene.settings.resolution?.value ?? model.defaultResolution;
  return model.resolutions.includes(tier) ? tier : model.defaultResolution;
}

/**
 * Expected dimensions, fps and audio of a clip. Text-to-video sizes come from the size table; image-driven
 * models keep the first frame's aspect (`aspect`, or 16:9 when it is unknown) at the tier's pixel count.
 */
export function expectedOutput(scene: Scene, model: ModelSpec, duration: number, aspect: number | undefined): ExpectedOutput {
  const tier = tierOf(scene, model);
  const audio = model.audio.generates && scene.settings.audio?.value !== false;
  if (model.sizing !== 'resolution') {
    const size = scene.settings.size?.value ?? sizeFor(tier, ratioOf(scene) ?? '16:9') ?? '1280*720';
    const [width = 0, height = 0] = size.split('*').map(Number);
    return { duration, width, height, fps: 30, audio };
  }
  const { width, height } = framedDimensions(tier, aspect ?? 16 / 9);
  return { duration, width, height, fps: 30, audio, ...(aspect === undefined ? { sizeAssumed: true } : {}) };
}

function ratioOf(scene: Scene): Ratio | undefined {
  const fromSize = scene.settings.size ? parseSize(scene.settings.size.value)?.ratio : undefined;
  return fromSize ?? scene.settings.ratio?.value;
}

/** Estimated price of a clip in USD from the registry (silent price where audio is switched off). */
export function clipCost(model: ModelSpec, tier: Resolution, seconds: number, silent: boolean): { usd: number; perSecond: number; resolution: string } {
  const table = silent && model.silentPrice ? model.silentPrice : model.price;
  const perSecond = table[tier] ?? 0;
  return { usd: Math.round(perSecond * seconds * 10000) / 10000, perSecond, resolution: tier };
}
