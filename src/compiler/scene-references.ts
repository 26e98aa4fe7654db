// Which characters' references a reference-to-video scene sends, in what order, and the label its prompts name
// each by (`Image 1`, `Video 1` on wan2.7-r2v; `character1`, … on wan2.6-r2v).
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { ReferenceRules } from './models/types.js';
import type { Character, SceneReference } from './storyboard.js';
import { didYouMean } from './suggest.js';

/** A `cast:` entry as written. */
export interface CastEntry {
  readonly character: string;
  readonly pick?: 'image' | 'video';
  readonly span: Span;
}

/** A scene text to look for `{{characters.X}}` in, and the span of a piece of it as written in the YAML. */
export interface MentionSource {
  readonly text: string;
  readonly spanOf: (written: string) => Span;
}

// `{{characters.mara}}` (also inside blocks, `{{#if …}}`); `{{characters.mara.description}}` is a description, not a reference
const MENTION = /\{\{[^{}]*?\bcharacters\.([A-Za-z_][A-Za-z0-9_]*)(\.[A-Za-z_][A-Za-z0-9_-]*)?[^{}]*\}\}/g;

/** Characters in the order the texts first name them as `{{characters.X}}` (not `.description`). */
export function mentionedCharacters(sources: readonly MentionSource[]): { character: string; span: Span }[] {
  const out: { character: string; span: Span }[] = [];
  const seen = new Set<string>();
  for (const s of sources) {
    if (!s.text.includes('characters.')) continue;
    MENTION.lastIndex = 0;
    for (let m = MENTION.exec(s.text); m; m = MENTION.exec(s.text)) {
      const name = m[1] ?? '';
      if (m[2] === '.description' || seen.has(name)) continue;
      seen.add(name);
      out.push({ character: name, span: s.spanOf(m[0]) });
    }
  }
  return out;
}

/**
 * The references a reference-to-video scene sends: its `cast` in order, or else the characters with a reference
 * in the order its prompts first mention them; each with the label the model uses. A character sends its image,
 * or its video when it has no image (or when cast as `name.video`).
 */
export function sceneReferences(o: {
  readonly sceneId: string;
  readonly rules: ReferenceRules;
  readonly characters: Readonly<Record<string, Character>>;
  readonly cast?: readonly CastEntry[];
  readonly mentions: readonly { character: string; span: Span }[];
}): { references: SceneReference[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const chosen: { character: string; kind: 'image' | 'video'; span: Span; origin: SceneReference['origin'] }[] = [];
  const names = Object.keys(o.characters);
  if (o.cast) {
    const seen = new Set<string>();
    for (const entry of o.cast) {
      const c = o.characters[entry.character];
      if (!c) {
        diagnostics.push({ code: 'unknown-character', severity: 'error', span: entry.span,
          message: `Unknown character \`${entry.character}\` in the cast of scene \`${o.sceneId}\``,
          hint: didYouMean(entry.character, names) ?? (names.length ? `Defined characters: ${names.map((n) => `\`${n}\``).join(', ')}.` : 'Define it under `characters`.') });
        continue;
      }
      if (seen.has(entry.character)) {
        diagnostics.push({ code: 'duplicate-cast', severity: 'error', span: entry.span,
          message: `Character \`${entry.character}\` is cast twice in scene \`${o.sceneId}\``,
          hint: 'Each character is one reference; list it once.' });
        continue;
      }
      seen.add(entry.character);
      const kind = entry.pick ?? (c.image ? 'image' : c.video ? 'video' : undefined);
      if (!kind || (kind === 'image' && !c.image) || (kind === 'video' && !c.video)) {
        const what = entry.pick ? `no \`${entry.pick}\`` : 'no reference (`image` or `video`)';
        diagnostics.push({ code: 'cast-without-reference', severity: 'error', span: entry.span,
          message: `Character \`${entry.character}\` is cast in scene \`${o.sceneId}\` but has ${what}`,
          hint: `Give \`characters.${entry.character}\` an \`image\` (a file or \`{ still: id }\`)${entry.pick === 'video' || !entry.pick ? ' or a `video`' : ''}, or leave it out of \`cast\` (its description is used in the prompt).` });
        continue;
      }
      chosen.push({ character: entry.character, kind, span: entry.span, origin: 'cast' });
    }
  } else {
    for (const m of o.mentions) {
      const c = o.characters[m.character];
      if (!c || (!c.image && !c.video)) continue;
      chosen.push({ character: m.character, kind: c.image ? 'image' : 'video', span: m.span, origin: 'mention' });
    }
  }
  let images = 0;
  let videos = 0;
  const references = chosen.map((c, i): SceneReference => {
    const n = c.kind === 'image' ? ++images : ++videos;
    const label = o.rules.labels === 'character' ? `character${i + 1}` : `${c.kind === 'image' ? 'Image' : 'Video'} ${n}`;
    return { character: c.character, kind: c.kind, label, span: c.span, origin: c.origin };
  });
  return { references, diagnostics };
}
