// Random edits of storyboard YAML for fuzz tests: deletions, inserted YAML syntax, moved and re-indented lines.
/** YAML syntax and storyboard fragments that the edits insert. */
export const SNIPPETS = ['{{', '}}', '{{cty}}', ':', ': ', '- ', '\t', '"', "'", '&a ', '*a', '---', '[', ']', '{', '}', '#', '|', '>-', '\n  ', '\n', '-1', '0', '2.5', '99999999999', 'null', 'true', '~', '\u00e9', '\u{1F3AC}', 'id: x', 'continues: storm', '{{#if}}', '{{> p}}', '__proto__', 'constructor'];

/** One random edit of `text`, driven by `random` (seeded, so a failing case replays). */
export function mutate(text: string, random: () => number): string {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const pos = Math.floor(random() * (text.length + 1));
  const lines = text.split('\n');
  const li = Math.floor(random() * lines.length);
  switch (Math.floor(random() * 8)) {
    case 0: return text.slice(0, pos) + text.slice(pos + 1 + Math.floor(random() * 20));
    case 1: return text.slice(0, pos) + pick(SNIPPETS) + text.slice(pos);
    case 2: lines.splice(li, 0, lines[li] ?? ''); return lines.join('\n');
    case 3: lines.splice(li, 1); return lines.join('\n');
    case 4: lines[li] = ' '.repeat(Math.floor(random() * 6)) + (lines[li] ?? '').trimStart(); return lines.join('\n');
    case 5: return text.replace(/\d+(\.\d+)?/g, (m) => (random() < 0.2 ? String(Math.floor(random() * 40) - 5) : m));
    case 6: { const j = Math.floor(random() * lines.length); [lines[li], lines[j]] = [lines[j] ?? '', lines[li] ?? '']; return lines.join('\n'); }
    default: return text.replace(/: [^\n]+/, pick([': []', ': {}', ': 12', ': yes', ':', ': "x"']));
  }
}
