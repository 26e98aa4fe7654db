// Reads plain YAML (one document, no tags, anchors, aliases, directives or null/collection keys) fast, with
// js-yaml's event parser and the YAML 1.2 core schema; anything else is left to the full parser in parse.ts.
import { CORE_SCHEMA, constructFromEvents, EVENT_ID, parseEvents, SCALAR_STYLE, type Event } from 'js-yaml';

/** The deepest nesting read here; deeper input goes to the full parser, which reports it. */
const MAX_DEPTH = 100;
/** Plain scalars that YAML 1.2 core reads as null: as mapping keys they become `""` in `yaml`, `"null"` in js-yaml. */
const NULL_PLAIN = /^(?:~|null|Null|NULL|)$/;

/**
 * The value of `text` when it is plain YAML, else `undefined` (the caller then uses the full parser, which also
 * gives every error its position). The value equals what `yaml`'s `parseDocument(…).toJS()` gives for such text.
 */
export function parsePlainYaml(text: string): { value: unknown } | undefined {
  let events: Event[];
  try {
    events = parseEvents(text, { maxDepth: MAX_DEPTH });
  } catch {
    return undefined;
  }
  if (!isPlain(events, text)) return undefined;
  try {
    const [value] = constructFromEvents(events, { source: text, schema: CORE_SCHEMA, maxAliases: 0 });
    return value === null || value === undefined ? undefined : { value };
  } catch {
    return undefined; // duplicate keys and the like: the full parser says where
  }
}

/** One document without directives; no node with a tag or an anchor; no alias; every mapping key a non-null scalar. */
function isPlain(events: readonly Event[], text: string): boolean {
  let documents = 0;
  // per open collection: is it a mapping, and is its next child a key?
  const stack: { mapping: boolean; atKey: boolean }[] = [];
  for (const e of events) {
    const parent = stack[stack.length - 1];
    const isKey = parent?.mapping === true && parent.atKey;
    switch (e.type) {
      case EVENT_ID.DOCUMENT:
        if (++documents > 1 || e.directives.length > 0) return false;
        stack.push({ mapping: false, atKey: false });
        continue;
      case EVENT_ID.ALIAS:
        return false;
      case EVENT_ID.POP:
        stack.pop();
        continue;
      case EVENT_ID.SEQUENCE:
      case EVENT_ID.MAPPING:
        if (isKey || e.anchorStart !== -1 || e.tagStart !== -1) return false;
        if (parent?.mapping) parent.atKey = !parent.atKey;
        stack.push({ mapping: e.type === EVENT_ID.MAPPING, atKey: true });
        continue;
      case EVENT_ID.SCALAR:
        if (e.anchorStart !== -1 || e.tagStart !== -1) return false;
        if (isKey && e.style === SCALAR_STYLE.PLAIN && NULL_PLAIN.test(text.slice(e.valueStart, e.valueEnd))) return false;
        if (parent?.mapping) parent.atKey = !parent.atKey;
        continue;
    }
  }
  return documents === 1;
}
