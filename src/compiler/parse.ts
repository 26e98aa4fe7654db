// Parses storyboard YAML into a document with positions and a plain value; YAML errors (and alias bombs)
// become diagnostics.
import { isDocument, parseDocument, type Document, type YAMLError } from 'yaml';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import { fail, ok, type Result } from '../diagnostics/diagnostic.js';
import type { SourceFile } from './source.js';

/** A parsed YAML storyboard: the document (with positions) and its plain value. */
export interface ParsedStoryboard {
  readonly source: SourceFile;
  readonly doc: Document.Parsed;
  readonly value: unknown;
}

/** Most alias expansions allowed; stops "billion laughs" documents. */
const MAX_ALIAS_COUNT = 1000;

/** Parses YAML text, keeping positions; YAML errors become diagnostics, never exceptions. */
export function parseStoryboard(source: SourceFile): Result<ParsedStoryboard> {
  let doc: Document.Parsed;
  try {
    doc = parseDocument(source.text, { prettyErrors: false, uniqueKeys: true, strict: true, version: '1.2' });
  } catch (e) {
    return fail([internalYamlFailure(source, e)]);
  }
  if (doc.errors.length > 0) return fail(yamlDiagnostics(source, doc.errors));
  if (!isDocument(doc) || doc.contents === null) {
    return fail([{ code: 'yaml-empty', severity: 'error', message: 'The file holds no storyboard', span: { file: source.path, start: 0, end: 0 },
      hint: 'Start with `version: 1` and a list of `scenes`.' }]);
  }
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
  return ok({ source, doc, value });
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
