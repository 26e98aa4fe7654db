import { isDocument, parseDocument, type Document, type YAMLError } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
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

const YAML_CODES: Partial<Record<YAMLError['code'], string>> = {
  BAD_INDENT: 'yaml-bad-indent',
  TAB_AS_INDENT: 'yaml-bad-indent',
  DUPLICATE_KEY: 'yaml-duplicate-key',
  MULTIPLE_DOCS: 'yaml-multiple-documents',
  RESOURCE_EXHAUSTION: 'yaml-alias-limit',
};

/** Parses YAML text, keeping positions; YAML errors become diagnostics, never exceptions. */
export function parseStoryboard(source: SourceFile): Result<ParsedStoryboard> {
  let doc: Document.Parsed;
  try {
    doc = parseDocument(source.text, { prettyErrors: false, uniqueKeys: true, strict: true, version: '1.2' });
  } catch (e) {
    return fail([internalYamlFailure(source, e)]);
  }
  const diagnostics: Diagnostic[] = doc.errors.map((e) => yamlErrorToDiagnostic(source, e));
  if (diagnostics.length > 0) return fail(diagnostics);
  if (!isDocument(doc) || doc.contents === null) {
    return fail([{ code: 'yaml-empty', severity: 'error', message: 'The file holds no storyboard', span: { file: source.path, start: 0, end: 0 },
      hint: 'Start with `version: 1` and a list of `scenes`.' }]);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    if (e instanceof ReferenceError && /alias/i.test(e.message)) {
      return fail([{ code: 'yaml-alias-limit', severity: 'error', span: firstAliasSpan(source, doc),
        message: `Aliases expand to more than ${MAX_ALIAS_COUNT} nodes; this looks like an alias bomb` }]);
    }
    return fail([internalYamlFailure(source, e)]);
  }
  return ok({ source, doc, value });
}

function yamlErrorToDiagnostic(source: SourceFile, e: YAMLError): Diagnostic {
  const message = e.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').replace(/:$/, '');
  const [start, end] = e.pos;
  let code = YAML_CODES[e.code] ?? 'yaml-syntax';
  if (e.code === 'BAD_INDENT' && /nested too deeply|depth/i.test(message)) code = 'yaml-too-deep';
  return { code, severity: 'error', message, span: { file: source.path, start, end: Math.max(end, start + 1) } };
}

function internalYamlFailure(source: SourceFile, e: unknown): Diagnostic {
  const deep = e instanceof RangeError;
  return {
    code: deep ? 'yaml-too-deep' : 'yaml-syntax', severity: 'error',
    message: deep ? 'The YAML is nested too deeply to read' : `The YAML cannot be read: ${e instanceof Error ? e.message : String(e)}`,
    span: { file: source.path, start: 0, end: 1 },
  };
}

function firstAliasSpan(source: SourceFile, _doc: Document.Parsed): Diagnostic['span'] {
  const m = /\*[^\s,\]}]+/.exec(source.text);
  const start = m?.index ?? 0;
  return { file: source.path, start, end: start + (m?.[0].length ?? 1) };
}
