// Names a place in the storyboard in an author's words ("shot 1 of scene `office`") for diagnostics.
import type { ValuePath } from './locate.js';

/**
 * Names the place a value path points at in words a storyboard author uses:
 * `['scenes', 2, 'shots', 0]` → "shot 1 of scene `office`".
 */
export function describePath(path: ValuePath, root: unknown): string {
  if (path.length === 0) return 'the storyboard';
  const sceneIdx = path[0] === 'scenes' && typeof path[1] === 'number' ? path[1] : undefined;
  if (sceneIdx !== undefined) {
    const scene = itemAt(root, ['scenes', sceneIdx]);
    const sceneName = typeof idOf(scene) === 'string' ? `scene \`${idOf(scene)}\`` : `scene ${sceneIdx + 1}`;
    if (path.length === 2) return sceneName;
    if (path[2] === 'shots' && typeof path[3] === 'number') {
      const shot = itemAt(root, ['scenes', sceneIdx, 'shots', path[3]]);
      const shotName = typeof idOf(shot) === 'string' ? `shot \`${idOf(shot)}\`` : `shot ${path[3] + 1}`;
      if (path.length === 4) return `${shotName} of ${sceneName}`;
      return `\`${dotted(path.slice(4))}\` of ${shotName} in ${sceneName}`;
    }
    return `\`${dotted(path.slice(2))}\` of ${sceneName}`;
  }
  return `\`${dotted(path)}\``;
}

/** `a.b[2].c` form of a path. */
function dotted(path: ValuePath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function itemAt(root: unknown, path: ValuePath): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

function idOf(v: unknown): unknown {
  return v !== null && typeof v === 'object' ? (v as { id?: unknown }).id : undefined;
}
