// What the semantic rules look at (storyboard, scenes with their models and clip segments, asset facts) and
// the Rule type every check/*.ts exports.
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { findModel } from '../models/registry.js';
import type { ModelSpec } from '../models/types.js';
import { segmentScene, type ClipSegment } from '../segment-scene.js';
import type { Scene, Storyboard } from '../storyboard.js';

/** What validation knows about a local file, read at the edges (header bytes only). */
export interface AssetFacts {
  readonly exists: boolean;
  readonly bytes?: number;
  /** False when the file's real path (after symlinks) lies outside the storyboard's directory. */
  readonly insideProject?: boolean;
  readonly image?: { readonly format: string; readonly width?: number; readonly height?: number; readonly hasAlpha?: boolean };
  /** What the audio header says; `sampleRate` and `channels` as written there (0 in a damaged header). */
  readonly audio?: { readonly format: string; readonly durationSeconds?: number; readonly sampleRate?: number; readonly channels?: number };
  /** What an MP4/MOV header says (reference videos). */
  readonly video?: { readonly format: string; readonly duration: number; readonly width: number; readonly height: number };
  readonly error?: string;
}

/** A scene with its model (if known) and its clips (if its durations work out). */
export interface SceneFacts {
  readonly scene: Scene;
  readonly model?: ModelSpec;
  readonly segments: readonly ClipSegment[];
  readonly segmentDiagnostics: readonly Diagnostic[];
}

/** Everything a rule may look at. */
export interface CheckContext {
  readonly storyboard: Storyboard;
  readonly scenes: readonly SceneFacts[];
  /** Facts about local files by path relative to the storyboard; absent when files were not read. */
  readonly assets?: ReadonlyMap<string, AssetFacts>;
}

/** A semantic rule: one concern, returning its diagnostics. */
export type Rule = (ctx: CheckContext) => Diagnostic[];

/** Resolves models and segments once for all rules. */
export function buildCheckContext(storyboard: Storyboard, assets?: ReadonlyMap<string, AssetFacts>): CheckContext {
  const scenes = storyboard.scenes.map((scene): SceneFacts => {
    const model = findModel(scene.model.id);
    if (!model) return { scene, segments: [], segmentDiagnostics: [] };
    const { segments, diagnostics } = segmentScene(scene, model);
    return { scene, model, segments, segmentDiagnostics: diagnostics };
  });
  return { storyboard, scenes, ...(assets ? { assets } : {}) };
}
