// Rule: scene ids are unique in the storyboard, shot ids unique in their scene.
import type { Diagnostic, Span } from '../../diagnostics/diagnostic.js';
import type { Rule } from './context.js';

/** Scene ids are unique in the storyboard; shot ids are unique in their scene. */
export const uniqueIds: Rule = ({ storyboard }) => {
  const out: Diagnostic[] = [];
  const check = (items: readonly { id: string; span: Span }[], what: string): void => {
    const first = new Map<string, Span>();
    for (const item of items) {
      const prev = first.get(item.id);
      if (prev) {
        out.push({ code: 'duplicate-id', severity: 'error', span: item.span, message: `${what} id \`${item.id}\` is used twice`,
          related: [{ message: 'first used here', span: prev }], hint: 'Ids name clips, cache entries and chapters, so each must be unique.' });
      } else {
        first.set(item.id, item.span);
      }
    }
  };
  check(storyboard.scenes.map((s) => ({ id: s.id, span: s.idSpan })), 'Scene');
  check(storyboard.stills.map((s) => ({ id: s.id, span: s.idSpan })), 'Still');
  // clips and stills share one namespace in events, the lock file and the report
  const sceneIds = new Map(storyboard.scenes.map((s) => [s.id, s.idSpan]));
  for (const still of storyboard.stills) {
    const scene = sceneIds.get(still.id);
    if (!scene) continue;
    out.push({ code: 'duplicate-id', severity: 'error', span: still.idSpan, message: `Still id \`${still.id}\` is also a scene id`,
      related: [{ message: 'the scene', span: scene }], hint: 'Stills and scenes share one set of ids (they name cache entries and report rows); rename one.' });
  }
  for (const scene of storyboard.scenes) check(scene.shots.map((s) => ({ id: s.id, span: s.idSpan })), `Shot (in scene \`${scene.id}\`)`);
  return out;
};
