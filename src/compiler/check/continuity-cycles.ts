// Rule: scenes do not continue each other in a loop (`continues` chains must end).
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Scene } from '../storyboard.js';
import type { Rule } from './context.js';

/** Scenes may not continue each other in a loop (a clip cannot start on its own last frame). */
export const continuityCycles: Rule = ({ storyboard }) => {
  const byId = new Map(storyboard.scenes.map((s) => [s.id, s]));
  const state = new Map<string, 'visiting' | 'done'>();
  const out: Diagnostic[] = [];
  for (const start of storyboard.scenes) {
    const path: Scene[] = [];
    let cur: Scene | undefined = start;
    while (cur && !state.has(cur.id)) {
      state.set(cur.id, 'visiting');
      path.push(cur);
      cur = cur.continues ? byId.get(cur.continues.id) : undefined;
    }
    if (cur && state.get(cur.id) === 'visiting') {
      const cycle = path.slice(path.indexOf(cur));
      const head = cycle[0];
      if (head?.continues) {
        out.push({ code: 'continuity-cycle', severity: 'error', span: head.continues.span,
          message: `Scenes continue each other in a cycle: ${[...cycle, head].map((s) => `\`${s.id}\``).join(' → ')}`,
          related: cycle.slice(1).flatMap((s) => (s.continues ? [{ message: `\`${s.id}\` continues \`${s.continues.id}\``, span: s.continues.span }] : [])),
          hint: 'Each chain needs a first scene that does not continue another one.' });
      }
    }
    for (const s of path) state.set(s.id, 'done');
  }
  return out;
};
