// Rule: scene and shot durations are ones the model can make, directly or split into clips (the diagnostics
// of segment-scene.ts).
import type { Rule } from './context.js';

/** Scene and shot durations are ones the model can make, directly or split into clips. */
export const durations: Rule = ({ scenes }) => scenes.flatMap((s) => s.segmentDiagnostics);
