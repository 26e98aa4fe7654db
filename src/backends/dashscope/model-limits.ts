// Per-model DashScope limits (submissions per second, tasks at once) for clips and stills alike: the video registry,
// then the image registry, then a cautious default for ids neither knows.
import { findImageModel } from '../../compiler/models/image-registry.js';
import { findModel } from '../../compiler/models/registry.js';

/** Submissions per second and tasks at once allowed for one model. */
export interface ModelLimits {
  readonly rps: number;
  readonly concurrency: number;
}

/** One submission per second and one task at once: for a model no registry knows. */
const DEFAULT_LIMITS: ModelLimits = { rps: 1, concurrency: 1 };

/** The limits of a video or image model; the cautious default for an unknown id. */
export function modelLimits(model: string): ModelLimits {
  return findModel(model)?.limits ?? findImageModel(model)?.limits ?? DEFAULT_LIMITS;
}
