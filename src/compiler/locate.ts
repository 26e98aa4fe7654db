// Finds the source span of a value path in the parsed YAML document, so diagnostics point at the right text.
// Spans are lazy: the document with positions is parsed only when a span's offsets are first read.
import { isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';
import type { Span } from '../diagnostics/diagnostic.js';

/** A path into the storyboard value, e.g. `['scenes', 0, 'shots', 1, 'duration']`. */
export type ValuePath = readonly (string | number)[];

/** Which span of a path a lazy span stands for (see the methods of `Locator` of the same names). */
type SpanKind = 'value' | 'key' | 'container' | 'within';

/** Finds source spans for value paths in a parsed YAML document. */
export class Locator {
  /**
   * `doc` gives the document with positions; it is called only when a span's offsets are read. `source` is the
   * text it was parsed from, for spans of text inside a scalar (`within`).
   */
  constructor(private readonly file: string, private readonly doc: () => Document.Parsed, private readonly source?: string) {}

  /** Span of the node at `path`, falling back to the nearest existing ancestor. */
  value(path: ValuePath): Span {
    return new LazySpan(this.file, this, 'value', path);
  }

  /** Span of the key naming the node at `path` (the node itself for sequence items and the root). */
  key(path: ValuePath): Span {
    return new LazySpan(this.file, this, 'key', path);
  }

  /** Span to blame for something missing inside the mapping at `path`: its key, or its first key. */
  container(path: ValuePath): Span {
    return new LazySpan(this.file, this, 'container', path);
  }

  /** Span of the first `needle` written inside the node at `path` (e.g. one `{{…}}` of a prompt); the node's span when not found. */
  within(path: ValuePath, needle: string): Span {
    return new LazySpan(this.file, this, 'within', path, needle);
  }

  /** Span of an object key that exists under `path`. */
  childKey(path: ValuePath, key: string): Span {
    return this.key([...path, key]);
  }

  /** Raw source range of a node (for finding template expressions inside scalars). */
  node(path: ValuePath): Node | undefined {
    const { node, exact } = this.walk(path);
    return exact ? node : undefined;
  }

  /** The offsets of a span of `kind` at `path`, worked out now (what a lazy span does when first read). */
  spanNow(kind: SpanKind, path: ValuePath, needle?: string): Span {
    const { node, pair, exact } = this.walk(path);
    if (kind === 'within') {
      const range = exact ? node?.range : undefined;
      const at = range && needle && this.source ? this.source.indexOf(needle, range[0]) : -1;
      if (range && needle && at >= 0 && at + needle.length <= range[1]) return { file: this.file, start: at, end: at + needle.length };
      return this.spanOf(node) ?? this.fileStart();
    }
    if (kind === 'value') return this.spanOf(node ?? pair?.key as Node | undefined) ?? this.fileStart();
    if (exact && pair && isScalar(pair.key)) return this.spanOf(pair.key as Node) ?? this.fileStart();
    if (kind === 'container' && isMap(node) && node.items[0] && isScalar(node.items[0].key)) {
      return this.spanOf(node.items[0].key as Node) ?? this.fileStart();
    }
    return this.spanOf(node) ?? this.fileStart();
  }

  private walk(path: ValuePath): { node: Node | undefined; pair: Pair | undefined; exact: boolean } {
    let node: unknown = this.doc().contents;
    let pair: Pair | undefined;
    for (const seg of path) {
      if (isMap(node)) {
        const found = node.items.find((p) => isPair(p) && keyString(p.key) === String(seg));
        if (!found) return { node: node as Node, pair, exact: false };
        pair = found as Pair;
        node = found.value;
        if (node === null || node === undefined) return { node: pair.key as Node, pair, exact: true };
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        if (item === undefined) return { node: node as Node, pair, exact: false };
        pair = undefined;
        node = item;
      } else {
        return { node: node as Node | undefined, pair, exact: false };
      }
    }
    return { node: node as Node | undefined, pair, exact: true };
  }

  private spanOf(node: Node | undefined | null): Span | undefined {
    const range = node?.range;
    if (!range) return undefined;
    return { file: this.file, start: range[0], end: Math.max(range[1], range[0] + 1) };
  }

  private fileStart(): Span {
    return { file: this.file, start: 0, end: 1 };
  }
}

function keyString(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}

function getStart(this: LazySpan): number {
  return this.resolve().start;
}

function getEnd(this: LazySpan): number {
  return this.resolve().end;
}

// one pair of getter functions for every lazy span, so that all of them share one shape
const START: PropertyDescriptor = { get: getStart, enumerable: true, configurable: true };
const END: PropertyDescriptor = { get: getEnd, enumerable: true, configurable: true };

/**
 * A span whose offsets are worked out on first read, with the file known at once. `start` and `end` are own
 * enumerable properties, as on a plain span (spreading, JSON and deep equality see them); what it needs to find
 * them is kept in private fields, which none of those see.
 */
class LazySpan implements Span {
  readonly file: string;
  declare readonly start: number;
  declare readonly end: number;
  readonly #locator: Locator;
  readonly #kind: SpanKind;
  readonly #path: ValuePath;
  readonly #needle: string | undefined;
  #found: Span | undefined;

  constructor(file: string, locator: Locator, kind: SpanKind, path: ValuePath, needle?: string) {
    this.file = file;
    this.#locator = locator;
    this.#kind = kind;
    this.#path = path;
    this.#needle = needle;
    Object.defineProperty(this, 'start', START);
    Object.defineProperty(this, 'end', END);
  }

  resolve(): Span {
    return (this.#found ??= this.#locator.spanNow(this.#kind, this.#path, this.#needle));
  }
}
