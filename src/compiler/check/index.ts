// The list of semantic rules, in the order they run after the schema check (add a new rule here).
import { assets } from './assets.js';
import { audio } from './audio.js';
import type { Rule } from './context.js';
import { continuation } from './continuation.js';
import { continuityCycles } from './continuity-cycles.js';
import { durations } from './durations.js';
import { ignoredSettings } from './ignored-settings.js';
import { knownModels } from './known-models.js';
import { media } from './media.js';
import { prompts } from './prompts.js';
import { references } from './references.js';
import { sceneRefs } from './scene-refs.js';
import { shotType } from './shot-type.js';
import { sizes } from './sizes.js';
import { stills } from './stills.js';
import { uniqueIds } from './unique-ids.js';

/** The semantic rules, run in this order after the schema check; each is one concern in one file. */
export const rules: readonly Rule[] = [
  uniqueIds, sceneRefs, continuityCycles, knownModels, stills, durations, sizes, prompts, shotType, ignoredSettings, media, continuation, references, audio, assets,
];
