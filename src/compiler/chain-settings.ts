// The drift-control settings a scene's clips use along a continuity chain: a setting written on the scene wins,
// then one written on a scene upstream (set on a chain's first scene, it holds for the whole chain), then
// `defaults`. Shared by the planner and the checks so both see the same value. Pure.
import type { Scene, Setting } from './storyboard.js';

/** The chain settings that hold downstream. */
type ChainKey = 'anchor' | 'colour_match' | 'reanchor' | 'seam_frame';

/** Finds a scene by id (the scene a `continues` names). */
type SceneById = (id: string) => Scene | undefined;

/** A chain setting as it applies to `scene`: its own, else an upstream scene's, else `defaults`' (undefined: not set). */
export function chainSetting<K extends ChainKey>(scene: Scene, key: K, sceneById: SceneById): Setting<K> | undefined {
  return walk(scene, sceneById, new Set(), (s) => s.settings[key] as Setting<K> | undefined, (v) => v.origin === 'scene');
}

/** The anchor as it applies to `scene`, by the same rule (undefined: the chain's first clip). */
export function chainAnchor(scene: Scene, sceneById: SceneById): Scene['anchor'] {
  return walk(scene, sceneById, new Set(), (s) => s.anchor, (_v, s) => s.settings.anchor?.origin === 'scene');
}

function walk<T>(scene: Scene, sceneById: SceneById, seen: Set<string>, get: (s: Scene) => T | undefined, onScene: (v: T, s: Scene) => boolean): T | undefined {
  const own = get(scene);
  if (own !== undefined && onScene(own, scene)) return own;
  seen.add(scene.id);
  const up = scene.continues ? sceneById(scene.continues.id) : undefined;
  if (up && !seen.has(up.id)) {
    const upstream = walkFrom(up, sceneById, seen, get, onScene);
    if (upstream) return upstream;
  }
  return own;
}

/** The nearest value written on a scene, from `scene` upstream (undefined when only `defaults` set it). */
function walkFrom<T>(scene: Scene, sceneById: SceneById, seen: Set<string>, get: (s: Scene) => T | undefined, onScene: (v: T, s: Scene) => boolean): T | undefined {
  const own = get(scene);
  if (own !== undefined && onScene(own, scene)) return own;
  seen.add(scene.id);
  const up = scene.continues ? sceneById(scene.continues.id) : undefined;
  return up && !seen.has(up.id) ? walkFrom(up, sceneById, seen, get, onScene) : undefined;
}
