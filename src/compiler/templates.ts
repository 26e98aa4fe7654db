// Renders `{{…}}` templates in prompts (Handlebars restricted to known names and helpers), mapping errors back
// to the YAML.
import { createRequire } from 'node:module';
import type Handlebars from 'handlebars';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import { didYouMean } from './suggest.js';
import { printWatcher, PRINT_HELPER, routePrints, type NotText } from './template-text.js';

/**
 * A character as templates see it: prints as its text (the description, or in a reference-to-video scene the
 * label of its reference), and `.description` is always the description. A `String` object, so that both
 * `{{characters.mara}}` and `{{characters.mara.description}}` resolve (Handlebars reads own properties).
 */
export interface CharacterValue {
  toString(): string;
  readonly description: string;
}

/** The template value of a character that prints as `text`. */
export function characterValue(text: string, description: string): CharacterValue {
  // a String object: the value must print as text and also carry `.description`
  return Object.assign(new String(text), { description }) as unknown as CharacterValue;
}

/** Values a template may use: vars at top level and under `vars`, plus `characters` and `styles`. */
export interface TemplateScope {
  readonly vars: Readonly<Record<string, string | number | boolean>>;
  readonly characters?: Readonly<Record<string, string | CharacterValue>>;
  readonly styles?: Readonly<Record<string, string>>;
}

/** Where a template came from: its span and the raw source text of its YAML node. */
interface TemplateOrigin {
  readonly span: Span;
  /** Raw YAML source of the node and its offset, to point at the exact `{{…}}` when possible. */
  readonly raw?: { readonly text: string; readonly start: number };
  /** What the text is, for messages ("the prompt of scene `chase`"). */
  readonly what: string;
}

const ALLOWED_HELPERS = ['if', 'unless', 'each', 'with'] as const;
let loaded: typeof Handlebars | undefined;

/** Handlebars with only the allowed helpers, loaded by the first template that is more than plain names (most never are). */
function handlebars(): typeof Handlebars {
  if (loaded) return loaded;
  // a synchronous load on first use: the CLI's start and plain `{{name}}` templates do without it
  const hbs = (createRequire(import.meta.url)('handlebars') as typeof Handlebars).create();
  for (const name of Object.keys(hbs.helpers)) if (!(ALLOWED_HELPERS as readonly string[]).includes(name)) hbs.unregisterHelper(name);
  loaded = hbs;
  return hbs;
}

type Loc = { start: { line: number; column: number }; end: { line: number; column: number } };
type AnyNode = { type: string; loc?: Loc; [k: string]: unknown };

/**
 * Renders a prompt template strictly: every name must exist (a diagnostic at its position otherwise),
 * no HTML escaping, no helpers beyond if/unless/each/with, no partials, no prototype access.
 */
export function renderTemplate(text: string, scope: TemplateScope, origin: TemplateOrigin): { rendered: string; diagnostics: Diagnostic[] } {
  if (!text.includes('{{')) return { rendered: text, diagnostics: [] };
  const simple = renderSimple(text, scope);
  if (simple !== undefined) return { rendered: simple, diagnostics: [] };
  const hbs = handlebars();
  let ast: ReturnType<typeof hbs.parse>;
  try {
    ast = hbs.parse(text);
  } catch (e) {
    return { rendered: text, diagnostics: [syntaxDiagnostic(e, text, origin)] };
  }
  const diagnostics = checkNames(ast as unknown as AnyNode, text, scope, origin);
  if (diagnostics.length > 0) return { rendered: text, diagnostics };
  try {
    const printed = routePrints(ast as unknown as AnyNode);
    const template = hbs.compile(ast, { strict: true, noEscape: true, knownHelpersOnly: true, knownHelpers: { if: true, unless: true, each: true, with: true, [PRINT_HELPER]: true } });
    const context = contextOf(scope);
    const notText = new Map<number, NotText>();
    const rendered = template(context, {
      allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false, helpers: { [PRINT_HELPER]: printWatcher(context, printed, notText) },
    });
    if (notText.size > 0) return { rendered: text, diagnostics: [...notText.values()].map((p) => notTextDiagnostic(p, text, origin)) };
    return { rendered, diagnostics: [] };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const m = /"([^"]+)" not defined/.exec(message);
    return { rendered: text, diagnostics: [{
      code: m ? 'unknown-template-name' : 'template-syntax', severity: 'error', span: origin.span,
      message: m ? `Unknown name \`${m[1]}\` in ${origin.what}` : `The template in ${origin.what} cannot be rendered: ${firstLine(message)}`,
    }] };
  }
}

const SIMPLE_NAME = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*)\s*\}\}/g;
/** The context of each scope the fast path has seen, built once: it only reads it (Handlebars gets its own copy). */
const simpleContexts = new WeakMap<TemplateScope, Record<string, unknown>>();

/**
 * Fast path for the common case, plain `{{name}}` / `{{ns.name}}` substitutions whose names all resolve:
 * the same output as Handlebars (no escaping) at a fraction of the cost. Anything else (a `{{` or `}}` left
 * once the names are taken out, `\{{`, `{{{`, a name that does not resolve to a value) returns undefined
 * and goes through Handlebars, which also produces the diagnostics.
 */
function renderSimple(text: string, scope: TemplateScope): string | undefined {
  if (text.includes('\\{{') || text.includes('{{{')) return undefined;
  let context = simpleContexts.get(scope);
  if (!context) simpleContexts.set(scope, (context = contextOf(scope)));
  let out = '';
  let last = 0;
  let prev = -1;
  SIMPLE_NAME.lastIndex = 0;
  for (let m = SIMPLE_NAME.exec(text); m; m = SIMPLE_NAME.exec(text)) {
    prev = lastBrace(text, last, m.index, prev);
    const parts = (m[1] ?? '').split('.');
    if (prev === DOUBLE_BRACE || resolveParts(context, parts)) return undefined;
    let v: unknown = context;
    for (const part of parts) v = (v as Record<string, unknown>)[part];
    out += text.slice(last, m.index) + String(v);
    last = m.index + m[0].length;
  }
  if (lastBrace(text, last, text.length, prev) === DOUBLE_BRACE) return undefined;
  return out + text.slice(last);
}

/** What {@link lastBrace} returns when the text, names taken out, holds `{{` or `}}`. */
const DOUBLE_BRACE = -2;

/**
 * Scans `text[from, to)` as the continuation of the text with the names taken out, whose last character so far
 * is `prev`: the code of its last character, or {@link DOUBLE_BRACE} when two equal braces meet.
 */
function lastBrace(text: string, from: number, to: number, prev: number): number {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === prev && (c === 123 || c === 125)) return DOUBLE_BRACE;
    prev = c;
  }
  return prev;
}

function contextOf(scope: TemplateScope): Record<string, unknown> {
  return { ...scope.vars, vars: { ...scope.vars }, characters: { ...(scope.characters ?? {}) }, styles: { ...(scope.styles ?? {}) } };
}

/** Checks every name outside block helpers against the scope, and rejects helpers, partials and decorators. */
function checkNames(root: AnyNode, text: string, scope: TemplateScope, origin: TemplateOrigin): Diagnostic[] {
  const out: Diagnostic[] = [];
  const context = contextOf(scope);
  const visit = (node: AnyNode, inBlock: boolean, asParam = false): void => {
    switch (node.type) {
      case 'Program':
        for (const s of node.body as AnyNode[]) visit(s, inBlock);
        return;
      case 'MustacheStatement':
      case 'SubExpression':
      case 'BlockStatement': {
        const path = node.path as AnyNode;
        const params = (node.params as AnyNode[] | undefined) ?? [];
        const isHelperCall = node.type === 'BlockStatement' || params.length > 0 || node.type === 'SubExpression';
        if (isHelperCall) {
          const name = String(path.original ?? '');
          if (!(ALLOWED_HELPERS as readonly string[]).includes(name)) {
            out.push(helperDiagnostic(name, node, text, origin));
            return;
          }
          for (const p of params) visit(p, inBlock, true);
          if (node.program) visit(node.program as AnyNode, true);
          if (node.inverse) visit(node.inverse as AnyNode, inBlock);
          return;
        }
        visit(path, inBlock);
        return;
      }
      case 'PathExpression': {
        const parts = node.parts as string[];
        // `{{this}}` names no value to look up; what it prints is checked as it renders
        if (inBlock || node.data || (node.depth as number) > 0 || parts.length === 0) return;
        // a helper's parameter may be a whole namespace (`{{#each characters}}`); a printed value may not
        const problem = resolveParts(context, parts, asParam);
        if (problem) out.push(nameDiagnostic(problem, node, text, origin, context));
        return;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement':
      case 'DecoratorBlock':
      case 'Decorator':
        out.push(helperDiagnostic('>', node, text, origin));
        return;
      default:
        return;
    }
  };
  visit(root, false);
  return out;
}

/** Returns the first missing prefix of a dotted path, or undefined when it resolves to an own property. */
function resolveParts(context: Record<string, unknown>, parts: readonly string[], allowObject = false): { missing: string; parent: Record<string, unknown> } | undefined {
  let cur: unknown = context;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, part)) {
      return { missing: parts.slice(0, i + 1).join('.'), parent: (cur ?? {}) as Record<string, unknown> };
    }
    cur = (cur as Record<string, unknown>)[part];
  }
  if (!allowObject && cur !== null && typeof cur === 'object' && !(cur instanceof String)) return { missing: parts.join('.'), parent: {} };
  return undefined;
}

function nameDiagnostic(problem: { missing: string; parent: Record<string, unknown> }, node: AnyNode, text: string, origin: TemplateOrigin, context: Record<string, unknown>): Diagnostic {
  const last = problem.missing.split('.').pop() ?? problem.missing;
  const candidates = problem.parent instanceof String ? ['description']
    : Object.keys(problem.parent).filter((k) => typeof problem.parent[k] !== 'object' || problem.parent[k] instanceof String);
  const namespace = problem.missing.includes('.') ? problem.missing.slice(0, problem.missing.lastIndexOf('.')) : undefined;
  const isNamespaceUse = ['vars', 'characters', 'styles'].includes(problem.missing) && typeof context[problem.missing] === 'object';
  const hint = isNamespaceUse
    ? `Write \`{{${problem.missing}.<name>}}\` to use one entry.`
    : didYouMean(last, candidates) ?? (candidates.length ? `Defined${namespace ? ` in \`${namespace}\`` : ''}: ${candidates.slice(0, 12).map((c) => `\`${c}\``).join(', ')}.` : `Define it under \`${namespace ?? 'vars'}\`.`);
  return {
    code: 'unknown-template-name', severity: 'error', span: spanOfNode(node, text, origin),
    message: isNamespaceUse ? `\`{{${problem.missing}}}\` in ${origin.what} names a whole namespace, not a value` : `Unknown name \`${problem.missing}\` in ${origin.what}`,
    hint,
  };
}

function notTextDiagnostic(p: NotText, text: string, origin: TemplateOrigin): Diagnostic {
  const written = text.slice(offsetOf(text, p.node.loc?.start.line ?? 1, p.node.loc?.start.column ?? 0), offsetOf(text, p.node.loc?.end.line ?? 1, p.node.loc?.end.column ?? 0));
  return {
    code: 'template-not-text', severity: 'error', span: spanOfNode(p.node, text, origin),
    message: `\`${written}\` in ${origin.what} prints ${p.what}, not text: it would be sent as ${p.list ? 'a list joined with commas' : '"[object Object]"'}`,
    hint: 'Print one value (`{{characters.hero}}`), or the values of a group one by one: `{{#each characters}}{{this}} {{/each}}`.',
  };
}

function helperDiagnostic(name: string, node: AnyNode, text: string, origin: TemplateOrigin): Diagnostic {
  return {
    code: 'template-helper-not-allowed', severity: 'error', span: spanOfNode(node, text, origin),
    message: name === '>' ? `Partials and decorators are not allowed in ${origin.what}` : `Helper \`${name}\` is not allowed in ${origin.what}`,
    hint: `Templates may use names and the helpers ${ALLOWED_HELPERS.map((h) => `\`${h}\``).join(', ')}.`,
  };
}

function syntaxDiagnostic(e: unknown, text: string, origin: TemplateOrigin): Diagnostic {
  const message = e instanceof Error ? e.message : String(e);
  const problem = findBraceProblem(text);
  const endsEarly = /got 'EOF'/.test(message);
  const what = problem?.what ?? (endsEarly ? 'the text ends inside an unclosed `{{#…}}` block or `{{`' : 'Handlebars cannot read it');
  const span = problem ? mapOffset(problem.offset, problem.length, text, origin) : origin.span;
  return {
    code: 'template-syntax', severity: 'error', span,
    message: `The template in ${origin.what} cannot be parsed: ${what}`,
    hint: 'Names are written `{{name}}`; blocks are closed with `{{/if}}`; a literal `{{` is written `\\{{`.',
  };
}

/** The first `{{` without a matching `}}`, or a `}}` without an opening `{{`. */
function findBraceProblem(text: string): { offset: number; length: number; what: string } | undefined {
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    const close = text.indexOf('}}', i);
    if (open < 0 && close < 0) return undefined;
    if (close >= 0 && (open < 0 || close < open)) return { offset: close, length: 2, what: '`}}` without an opening `{{`' };
    const next = text.indexOf('{{', open + 2);
    const end = text.indexOf('}}', open + 2);
    if (end < 0 || (next >= 0 && next < end)) {
      const shown = text.slice(open, (next >= 0 && next < (end < 0 ? Infinity : end) ? next : end < 0 ? text.length : end)).trim();
      return { offset: open, length: Math.min(Math.max(2, shown.length), 40), what: `\`${shown.slice(0, 30)}\` is not closed with \`}}\`` };
    }
    i = end + 2;
  }
  return undefined;
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}

function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) break;
    offset = nl + 1;
  }
  return offset + column;
}

/** Span of an AST node in the YAML source: the exact `{{…}}` when found in the raw node text. */
function spanOfNode(node: AnyNode, text: string, origin: TemplateOrigin): Span {
  if (!node.loc) return origin.span;
  const start = offsetOf(text, node.loc.start.line, node.loc.start.column);
  const end = offsetOf(text, node.loc.end.line, node.loc.end.column);
  return mapOffset(start, Math.max(1, end - start), text, origin);
}

/** Maps an offset in the rendered string to the YAML source by finding the same substring in the raw node. */
function mapOffset(start: number, length: number, text: string, origin: TemplateOrigin): Span {
  const raw = origin.raw;
  if (!raw) return origin.span;
  const needle = text.slice(start, start + length);
  let occurrence = 0;
  for (let i = text.indexOf(needle); i >= 0 && i < start; i = text.indexOf(needle, i + 1)) occurrence++;
  let at = -1;
  for (let n = 0; n <= occurrence; n++) {
    at = raw.text.indexOf(needle, at + 1);
    if (at < 0) return origin.span;
  }
  return { file: origin.span.file, start: raw.start + at, end: raw.start + at + needle.length };
}
