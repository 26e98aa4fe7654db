// Reads plain YAML (one document, no tags, anchors, aliases, directives or null/collection keys) fast, with
// js-yaml's event parser and the YAML 1.2 core schema; anything else is left to the full parser in parse.ts.
import { CORE_SCHEMA, EVENT_ID, getScalarValue, parseEvents, SCALAR_STYLE, type Event, type ScalarEvent } from 'js-yaml';

/** The deepest nesting read here; deeper input goes to the full parser, which reports it. */
const MAX_DEPTH = 100;

/** An open collection while the value is built: a mapping waiting for a key or for the value of `key`, or a list. */
interface Frame {
  readonly value: Record<string, unknown> | unknown[];
  readonly mapping: boolean;
  atKey: boolean;
  key: string;
}

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
  const value = constructPlain(events, text);
  return value === null || value === undefined ? undefined : { value };
}

/**
 * Builds the value in one pass over the events, as js-yaml's `constructFromEvents` with the core schema would,
 * or `undefined` when the text is not plain: more than one document or a directive, a tag, an anchor or an alias,
 * a key that is a collection or null, or a key written twice in one mapping (the full parser says where).
 */
function constructPlain(events: readonly Event[], text: string): unknown {
  let documents = 0;
  let result: unknown;
  const stack: Frame[] = [];
  for (const e of events) {
    let parent = stack[stack.length - 1];
    let value: unknown;
    switch (e.type) {
      case EVENT_ID.DOCUMENT:
        if (++documents > 1 || e.directives.length > 0) return undefined;
        continue;
      case EVENT_ID.ALIAS:
        return undefined;
      case EVENT_ID.POP: {
        const frame = stack.pop();
        if (!frame) continue; // the end of the document
        if (frame.mapping && !frame.atKey) return undefined; // a key without its value: never from the parser
        value = frame.value;
        parent = stack[stack.length - 1];
        break;
      }
      case EVENT_ID.SEQUENCE:
      case EVENT_ID.MAPPING:
        if ((parent?.mapping && parent.atKey) || e.anchorStart !== -1 || e.tagStart !== -1) return undefined;
        stack.push({ value: e.type === EVENT_ID.MAPPING ? {} : [], mapping: e.type === EVENT_ID.MAPPING, atKey: true, key: '' });
        continue;
      case EVENT_ID.SCALAR:
        if (e.anchorStart !== -1 || e.tagStart !== -1) return undefined;
        value = scalarValue(text, e);
        if (parent?.mapping && parent.atKey) {
          if (value === null) return undefined; // `yaml` reads a null key as "", js-yaml as "null"
          const key = String(value);
          if (Object.hasOwn(parent.value, key)) return undefined;
          parent.key = key;
          parent.atKey = false;
          continue;
        }
        break;
      default:
        continue;
    }
    if (!parent) result = value;
    else if (!parent.mapping) (parent.value as unknown[]).push(value);
    else {
      addPair(parent.value as Record<string, unknown>, parent.key, value);
      parent.atKey = true;
    }
  }
  return documents === 1 ? result : undefined;
}

/** A scalar as the core schema reads it: plain ones resolved (null, booleans, numbers), quoted and block ones text. */
function scalarValue(text: string, e: ScalarEvent): unknown {
  const source = getScalarValue(text, e);
  return e.style === SCALAR_STYLE.PLAIN ? CORE_SCHEMA.resolveImplicitScalarTag(source).value : source;
}

/** Sets `key` like js-yaml's map tag: `__proto__` becomes an own property, never the prototype. */
function addPair(container: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(container, key, { value, enumerable: true, configurable: true, writable: true });
  else container[key] = value;
}
