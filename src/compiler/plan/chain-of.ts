// A clip's place in its continuity chain (root, hop) and the drift control its scene asks for (the anchor, colour
// matching, the seam frame, whether this hop is re-anchored), with settings held down the chain
// (compiler/chain-settings.ts). Pure.
import type { ChainSettings } from '../chain-settings.js';
import type { ModelSpec } from '../models/types.js';
import type { Scene } from '../storyboard.js';
import { sourceOf } from './build-request.js';
import type { AnchorSource, ClipChain, ClipId, ClipJob, InputSource, SourcePosition } from './types.js';

/** What deciding a clip's chain needs to know. */
interface ChainFacts {
  readonly scene: Scene;
  readonly model: ModelSpec;
  /** The clip this one continues (by frame or by clip), if any. */
  readonly upstream?: ClipJob;
  readonly settings: ChainSettings;
  readonly position: (offset: number) => SourcePosition;
}

/** The chain of a clip that continues `upstream`: one hop further from the same root; undefined for a clip that continues nothing. */
export function chainOf(facts: ChainFacts): ClipChain | undefined {
  const { upstream } = facts;
  if (!upstream) return undefined;
  const root = upstream.chain?.root ?? upstream.id;
  const hop = (upstream.chain?.hop ?? 0) + 1;
  const chain = settingsOf(facts.scene, root, upstream.chain?.root === undefined ? upstream.at : rootAt(upstream), facts);
  const every = facts.settings.setting(facts.scene, 'reanchor')?.value;
  const reanchored = every !== undefined && hop % every === 0 && !!facts.model.frames.last && !('clip' in chain.anchor);
  return { root, hop, ...chain, ...(reanchored ? { reanchored } : {}) };
}

/** The chain of a root clip (one that continues nothing but is continued): hop 0. */
export function rootChain(job: ClipJob, facts: Omit<ChainFacts, 'upstream' | 'model'>): ClipChain {
  return { root: job.id, hop: 0, ...settingsOf(facts.scene, job.id, job.at, facts) };
}

/** The anchor image a re-anchored hop sends as its `last_frame`, if the anchor is an image. */
export function anchorFrame(chain: ClipChain | undefined): InputSource | undefined {
  if (!chain?.reanchored || 'clip' in chain.anchor) return undefined;
  return chain.anchor;
}

function settingsOf(scene: Scene, root: ClipId, rootPosition: SourcePosition, facts: Pick<ChainFacts, 'settings' | 'position'>): Omit<ClipChain, 'root' | 'hop' | 'reanchored'> {
  const anchor = facts.settings.anchor(scene);
  const source: AnchorSource = !anchor || anchor.ref === 'first' ? { clip: root } : sourceOf(anchor.ref) as AnchorSource;
  return {
    anchor: source, anchorAt: anchor ? facts.position(anchor.span.start) : rootPosition,
    colourMatch: facts.settings.setting(scene, 'colour_match')?.value ?? false,
    seamFrame: facts.settings.setting(scene, 'seam_frame')?.value ?? 'last',
  };
}

/** Where a chain's root clip is written: kept on every chain of it as the anchor position when the root is the anchor. */
function rootAt(upstream: ClipJob): SourcePosition {
  return upstream.chain && 'clip' in upstream.chain.anchor ? upstream.chain.anchorAt : upstream.at;
}
