// The drift-control settings a scene's clips use along a continuity chain: a setting written on the scene wins,
// then one written on a scene upstream (set on a chain's first scene, it holds for the whole chain), then
// `defaults`. Shared by the planner and the checks so both see the same value. Pure; each scene's answer is
// worked out once, without recursion, so a chain of 100,000 scenes costs linear time.
import type { Scene, Setting } from './storyboard.js';

/** The chain settings that hold downstream. */
type ChainKey = 'anchor' | 'colour_match' | 'reanchor' | 'seam_frame';

/** Finds a scene by id (the scene a `continues` names). */
type SceneById = (id: string) => Scene | undefined;

/** Answers for the scenes of one storyboard (memoized: build one per storyboard). */
export class ChainSettings {
  /** Per key, per scene id: the nearest value written on a scene from that scene upstream (null: none). */
  private readonly written = new Map<string, Map<string, unknown>>();

  constructor(private readonly sceneById: SceneById) {}

  /** A chain setting as it applies to `scene`: its own, else an upstream scene's, else `defaults`' (undefined: not set). */
  setting<K extends ChainKey>(scene: Scene, key: K): Setting<K> | undefined {
    const own = scene.settings[key] as Setting<K> | undefined;
    if (own?.origin === 'scene') return own;
    return (this.upstream(scene, key, (s) => (s.settings[key]?.origin === 'scene' ? s.settings[key] : undefined)) as Setting<K> | undefined) ?? own;
  }

  /** The anchor as it applies to `scene`, by the same rule (undefined: the chain's first clip). */
  anchor(scene: Scene): Scene['anchor'] {
    if (scene.anchor && scene.settings.anchor?.origin === 'scene') return scene.anchor;
    return (this.upstream(scene, 'anchor:ref', (s) => (s.settings.anchor?.origin === 'scene' ? s.anchor : undefined)) as Scene['anchor']) ?? scene.anchor;
  }

  /** The nearest value written on a scene upstream of `scene` (not `scene` itself), walking once and remembering. */
  private upstream(scene: Scene, key: string, get: (s: Scene) => unknown): unknown {
    let memo = this.written.get(key);
    if (!memo) this.written.set(key, (memo = new Map()));
    const path: string[] = [];
    const seen = new Set([scene.id]);
    let found: unknown = null;
    for (let up = scene.continues ? this.sceneById(scene.continues.id) : undefined; up && !seen.has(up.id); up = up.continues ? this.sceneById(up.continues.id) : undefined) {
      if (memo.has(up.id)) {
        found = memo.get(up.id);
        break;
      }
      seen.add(up.id);
      path.push(up.id);
      const value = get(up);
      if (value !== undefined) {
        found = value;
        break;
      }
    }
    // every scene walked through has the same nearest written value (the last one walked holds it itself, if found)
    for (const id of path) memo.set(id, found);
    return found ?? undefined;
  }
}
