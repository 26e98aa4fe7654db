// Parses storyboard YAML into a plain value and, on demand, a document with positions; YAML errors, unsupported
// tags and alias bombs become diagnostics. Plain YAML takes a fast path; positions are parsed only when needed.
import { isDocument, isNode, parseDocument, visit, type Document, type ScalarTag, type YAMLError } from 'yaml';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import { fail, ok, type Result } from '../diagnostics/diagnostic.js';
import { parsePlainYaml } from './parse-plain.js';
import type { SourceFile } from './source.js';

/** A parsed YAML storyboard: its plain value, and the document with positions (parsed on first call). */
export interface ParsedStoryboard {
  readonly source: SourceFile;
  readonly value: unknown;
  /** The YAML document with every node's source range; parsed on the first call, then kept. */
  document(): Document.Parsed;
}

/** Most alias expansions allowed; stops "billion laughs" documents. */
const MAX_ALIAS_COUNT = 1000;
/** The tags a storyboard may write: YAML 1.2's core schema. Anything else (`!include`, `!!binary`, `!!js/…`) is refused. */
const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'seq', 'map'].map((t) => `tag:yaml.org,2002:${t}`));
/** `!!float 2`: YAML 1.2 reads whole numbers as floats too; `yaml` does not, so this tag does. */
const WHOLE_FLOAT: ScalarTag = { tag: 'tag:yaml.org,2002:float', default: true, test: /^[-+]?[0-9]+$/, resolve: (s: string) => Number(s) };

/** Parses YAML text: plain YAML fast (positions later, on demand), anything else in full; problems become diagnostics. */
export function parseStoryboard(source: SourceFile): Result<ParsedStoryboard> {
  const plain = parsePlainYaml(source.text);
  if (plain) {
    let doc: Document.Parsed | undefined;
    return ok({ source, value: plain.value, document: () => (doc ??= readDocument(source.text)) });
  }
  let doc: Document.Parsed;
  try {
    doc = readDocument(source.text);
  } catch (e) {
    return fail([internalYamlFailure(source, e)]);
  }
  if (doc.errors.length > 0) return fail(yamlDiagnostics(source, doc.errors));
  if (!isDocument(doc) || doc.contents === null) {
    return fail([{ code: 'yaml-empty', severity: 'error', message: 'The file holds no storyboard', span: { file: source.path, start: 0, end: 0 },
      hint: 'Start with `version: 1` and a list of `scenes`.' }]);
  }
  const tags = tagDiagnostics(source, doc);
  if (tags.length > 0) return fail(tags);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    if (e instanceof ReferenceError && /alias/i.test(e.message)) {
      return fail([{ code: 'yaml-alias-limit', severity: 'error', span: firstAliasSpan(source),
        message: `Aliases expand to more than ${MAX_ALIAS_COUNT} nodes; this looks like an alias bomb`,
        hint: 'Use fewer nested aliases (`*name`), or write the values out.' }]);
    }
    return fail([internalYamlFailure(source, e)]);
  }
  return ok({ source, value, document: () => doc });
}

function readDocument(text: string): Document.Parsed {
  return parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true, version: '1.2', customTags: [WHOLE_FLOAT] });
}

/** Tags outside YAML 1.2's core schema, and core tags that cannot read their value (`!!bool yes`), as errors at the tag. */
function tagDiagnostics(source: SourceFile, doc: Document.Parsed): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<number>();
  const report = (at: number, tag: string, message: string, hint: string): void => {
    const start = tagStart(source.text, at, tag);
    if (seen.has(start)) return;
    seen.add(start);
    out.push({ code: 'yaml-unsupported-tag', severity: 'error', span: { file: source.path, start, end: start + Math.max(1, shortTag(tag).length) }, message, hint });
  };
  // any tag outside the core schema, resolved (`!!binary`) or not (`!include`), sits on a node
  visit(doc, (_key, node) => {
    if (!isNode(node) || !node.tag || CORE_TAGS.has(node.tag) || !node.range) return;
    report(node.range[0], node.tag, `The tag \`${shortTag(node.tag)}\` is not supported: a storyboard is plain YAML`,
      'Remove the tag; write the value as text, a number, true/false, a list or a mapping. Files are referenced by path, never included.');
  });
  // a core tag whose value it cannot read (`!!bool yes`) is only a warning of the parser's
  for (const w of doc.warnings) {
    const tag = w.code === 'TAG_RESOLVE_FAILED' ? /Unresolved tag: (\S+)/.exec(w.message)?.[1] : undefined;
    if (tag === undefined || !CORE_TAGS.has(tag)) continue;
    report(w.pos[0], tag, `The value cannot be read as \`${shortTag(tag)}\``, 'Remove the tag, or write a value of that type (booleans are `true` and `false`).');
  }
  return out;
}

/** `tag:yaml.org,2002:x` as written, `!!x`. */
function shortTag(tag: string): string {
  return tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
}

/** Where the tag of the node at `at` is written: the nearest `!` before it, else the node itself. */
function tagStart(text: string, at: number, tag: string): number {
  const bang = text.lastIndexOf(shortTag(tag).startsWith('!') ? shortTag(tag) : '!', at);
  return bang >= 0 && at - bang < 200 ? bang : at;
}

/** YAML errors as diagnostics: one per line, the first "too deep" error alone (the parser repeats it up the stack). */
function yamlDiagnostics(source: SourceFile, errors: readonly YAMLError[]): Diagnostic[] {
  const deep = errors.find(isTooDeep);
  if (deep) {
    // where the parser gives up depends on the stack left; the start of that line is stable
    const lineStart = source.text.lastIndexOf('\n', deep.pos[0] - 1) + 1;
    const at = firstNonSpace(source.text, lineStart);
    return [{ code: 'yaml-too-deep', severity: 'error', span: { file: source.path, start: at, end: at + 1 },
      message: 'The YAML is nested too deeply to read', hint: 'Storyboards need only a few levels of nesting; this looks like generated or corrupted input.' }];
  }
  const out: Diagnostic[] = [];
  const lines = new Set<number>();
  for (const e of errors) {
    const d = yamlErrorToDiagnostic(source, e);
    const line = lineOf(source.text, d.span?.start ?? 0);
    if (lines.has(line)) continue;
    lines.add(line);
    out.push(d);
  }
  return out;
}

function isTooDeep(e: YAMLError): boolean {
  return e.code === 'RESOURCE_EXHAUSTION' && /call stack|too deep|depth/i.test(e.message);
}

function yamlErrorToDiagnostic(source: SourceFile, e: YAMLError): Diagnostic {
  const message = e.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').replace(/:$/, '');
  const [start, end] = e.pos;
  const at = (s: number, t: number): Span => ({ file: source.path, start: s, end: Math.max(t, s + 1) });
  switch (e.code) {
    case 'DUPLICATE_KEY':
      return duplicateKey(source, start);
    case 'BAD_INDENT':
    case 'TAB_AS_INDENT':
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY': {
      const s = firstNonSpace(source.text, start);
      const tabs = e.code === 'TAB_AS_INDENT';
      return { code: 'yaml-bad-indent', severity: 'error', span: at(s, s + 1),
        message: tabs ? 'Tabs are not allowed for indentation in YAML' : /same column/.test(message)
          ? 'This key is not lined up with the keys before it in the same mapping' : 'This line is indented in a way that does not fit the structure above it',
        hint: tabs ? 'Indent with spaces.' : 'Keys of one mapping start in the same column; a nested mapping is indented under a key that has no value on its own line.' };
    }
    case 'MULTIPLE_DOCS':
      return { code: 'yaml-multiple-documents', severity: 'error', span: at(start, start + 3),
        message: 'The file holds more than one YAML document: a `---` line starts a second one',
        hint: 'A storyboard is a single document. Remove the `---` line, or put the second storyboard in its own file.' };
    case 'MISSING_CHAR':
      if (/quote/.test(message)) return unclosedQuote(source, start);
      return { code: 'yaml-syntax', severity: 'error', span: at(start, end), message };
    case 'RESOURCE_EXHAUSTION':
      return { code: 'yaml-alias-limit', severity: 'error', span: at(start, end), message };
    default:
      return { code: 'yaml-syntax', severity: 'error', span: at(start, end), message };
  }
}

function duplicateKey(source: SourceFile, start: number): Diagnostic {
  const text = source.text;
  const m = /^("[^"]*"|'[^']*'|[^:\n#]*?)\s*:/.exec(text.slice(start));
  const key = (m?.[1] ?? '').replace(/^["']|["']$/g, '').trim();
  const span: Span = { file: source.path, start, end: start + Math.max(1, m?.[1]?.length ?? 1) };
  const column = start - (text.lastIndexOf('\n', start - 1) + 1);
  // the first occurrence: the nearest earlier line with the same key in the same column
  const before = text.slice(0, start).split('\n');
  let offset = 0;
  let first: number | undefined;
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^(.{${column}})["']?${escaped}["']?\\s*:`);
  for (const line of before) {
    const hit = re.exec(line);
    if (hit && /^[\s-]*$/.test(hit[1] ?? '')) first = offset + column;
    offset += line.length + 1;
  }
  return { code: 'yaml-duplicate-key', severity: 'error', span,
    message: `Key \`${key}\` appears twice in the same mapping`,
    ...(first !== undefined ? { related: [{ message: 'first written here', span: { file: source.path, start: first, end: first + key.length } }] } : {}),
    hint: 'YAML keeps only one of them; remove or rename one.' };
}

function unclosedQuote(source: SourceFile, errorAt: number): Diagnostic {
  const text = source.text.slice(0, errorAt);
  // the opening quote is on the last line before the error with an odd number of quote characters
  let lineStart = text.length;
  let open = -1;
  while (lineStart > 0 && open < 0) {
    const prev = text.lastIndexOf('\n', lineStart - 2) + 1;
    const line = text.slice(prev, lineStart);
    for (const q of ['"', '\'']) {
      const count = line.split(q).length - 1;
      if (count % 2 === 1) open = prev + line.indexOf(q);
    }
    lineStart = prev;
  }
  const s = open >= 0 ? open : errorAt;
  return { code: 'yaml-syntax', severity: 'error', span: { file: source.path, start: s, end: s + 1 },
    message: 'This quoted text is never closed', hint: 'Add the closing quote, or use a block scalar (`>-`) for long text.' };
}

function firstNonSpace(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return i < text.length && text[i] !== '\n' ? i : offset;
}

function lineOf(text: string, offset: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function internalYamlFailure(source: SourceFile, e: unknown): Diagnostic {
  const deep = e instanceof RangeError;
  return {
    code: deep ? 'yaml-too-deep' : 'yaml-syntax', severity: 'error',
    message: deep ? 'The YAML is nested too deeply to read' : `The YAML cannot be read: ${e instanceof Error ? e.message : String(e)}`,
    span: { file: source.path, start: 0, end: 1 },
  };
}

function firstAliasSpan(source: SourceFile): Span {
  const m = /\*[^\s,\]}]+/.exec(source.text);
  const start = m?.index ?? 0;
  return { file: source.path, start, end: start + (m?.[0].length ?? 1) };
}
