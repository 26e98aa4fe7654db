// The error of a clip or still that could not be made, with the YAML position that caused it and why
// (failed, frozen out, or stopped).
import type { ClipId, SourcePosition } from '../compiler/plan/types.js';

/** A clip (or still: `kind`) that could not be made, with the YAML position that caused it. */
export class ClipRenderError extends Error {
  constructor(readonly clip: ClipId, readonly at: SourcePosition, message: string, readonly reason: 'failed' | 'frozen' | 'aborted' = 'failed', readonly kind: 'clip' | 'still' = 'clip') {
    super(message);
  }
}
