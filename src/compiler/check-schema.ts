// JSON Schema validation of a parsed storyboard with the validator generated at build time (ajv standalone,
// src/compiler/schema-validator.generated.ts), its errors rewritten into positioned diagnostics. Pure.
import type { ErrorObject } from 'ajv/dist/2020.js';
import schema from '../../schemas/storyboard.schema.json' with { type: 'json' };
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { describePath } from './describe-path.js';
import type { Locator, ValuePath } from './locate.js';
import { validateStoryboardSchema } from './schema-validator.generated.js';
import { didYouMean, listNames } from './suggest.js';

type SchemaNode = { properties?: Record<string, unknown>; $ref?: string; enum?: unknown[]; description?: string };

/** Validates a storyboard value against `schemas/storyboard.schema.json`; problems become positioned diagnostics. */
export function checkSchema(value: unknown, locator: Locator): Diagnostic[] {
  // compiled at build time by scripts/generate-validator.ts (ajv standalone code), not on every start
  const validate = validateStoryboardSchema;
  if (validate(value)) return [];
  const errors = (validate.errors ?? []).filter((e) => !isWrapperError(e));
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of errors) {
    const d = toDiagnostic(e, value, locator);
    const key = `${d.code}|${d.span?.start}|${d.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  }
  return out;
}

/** Errors that only repeat a more precise error nested under them. */
function isWrapperError(e: ErrorObject): boolean {
  return e.keyword === 'propertyNames' || e.keyword === 'if' || e.keyword === '$ref';
}

function pathOf(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath.slice(1).split('/').map((s) => {
    const k = s.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^\d+$/.test(k) ? Number(k) : k;
  });
}

function show(v: unknown): string {
  if (typeof v === 'string') return `\`${v.length > 40 ? v.slice(0, 40) + '…' : v}\``;
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `\`${String(v)}\``;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'number') return Number.isNaN(v) ? '`.nan`, which is not a number' : !Number.isFinite(v) ? 'an infinite value'
    : Number.isInteger(v) ? 'a whole number' : 'a number';
  return `a ${typeof v}`;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text', number: 'a number', integer: 'a whole number', boolean: '`true` or `false`', object: 'a mapping', array: 'a list', null: 'null',
};

const PATTERN_WORDS: Record<string, string> = {
  '^[A-Za-z0-9][A-Za-z0-9_-]*$': 'use only letters, digits, `-` and `_`, starting with a letter or digit',
  '^[A-Za-z_][A-Za-z0-9_]*$': 'use only letters, digits and `_`, starting with a letter or `_`',
  '^[0-9]+\\*[0-9]+$': 'be a size written `W*H`, e.g. `1280*720`',
  '\\.mp4$': 'end in `.mp4`',
};

function allowedKeys(parent: SchemaNode): string[] {
  const keys = new Set(Object.keys(parent.properties ?? {}));
  const ref = parent.$ref?.replace('#/$defs/', '');
  const defs = (schema as { $defs: Record<string, SchemaNode> }).$defs;
  if (ref && defs[ref]) for (const k of Object.keys(defs[ref].properties ?? {})) keys.add(k);
  return [...keys].sort();
}

function toDiagnostic(e: ErrorObject, root: unknown, loc: Locator): Diagnostic {
  const path: ValuePath = pathOf(e.instancePath);
  const where = describePath(path, root);
  const last = path[path.length - 1];
  const name = typeof last === 'string' ? `\`${last}\`` : where;
  const at = loc.value(path);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const missing = String(p.missingProperty);
      return { code: 'schema-required', severity: 'error', span: loc.container(path),
        message: `${capital(where)} is missing the required key \`${missing}\``,
        hint: descriptionOf(e.parentSchema as SchemaNode, missing) };
    }
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = String(p.additionalProperty ?? p.unevaluatedProperty);
      const allowed = allowedKeys(e.parentSchema as SchemaNode);
      return { code: 'schema-unknown-key', severity: 'error', span: loc.key([...path, key]),
        message: `Unknown key \`${key}\` in ${where}`,
        hint: didYouMean(key, allowed) ?? `Allowed keys: ${listNames(allowed, 'and')}.` };
    }
    case 'type': {
      const want = String(p.type).split(',').map((t) => TYPE_WORDS[t] ?? t).join(' or ');
      return { code: 'schema-type', severity: 'error', span: at,
        message: `${capital(nameIn(name, where))} must be ${want}, got ${typeName(e.data)}${typeof e.data === 'string' || Number.isFinite(e.data) ? ` (${show(e.data)})` : ''}` };
    }
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(String);
      return { code: 'schema-enum', severity: 'error', span: at,
        message: `${capital(nameIn(name, where))} must be one of ${listNames(allowed)}, got ${show(e.data)}`,
        ...hintOf(didYouMean(String(e.data), allowed)) };
    }
    case 'const':
      if (path.length === 1 && path[0] === 'version') {
        return { code: 'unsupported-version', severity: 'error', span: at,
          message: `Storyboard format version ${show(e.data)} is not supported; this tool reads version 1`, hint: 'Write `version: 1`.' };
      }
      return { code: 'schema-enum', severity: 'error', span: at, message: `${capital(nameIn(name, where))} must be \`${String(p.allowedValue)}\`` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const words = { minimum: 'at least', maximum: 'at most', exclusiveMinimum: 'more than', exclusiveMaximum: 'less than' }[e.keyword];
      return { code: 'schema-range', severity: 'error', span: at,
        message: `${capital(nameIn(name, where))} must be ${words} ${String(p.limit)}, got ${show(e.data)}` };
    }
    case 'pattern': {
      const propertyName = e.propertyName;
      const isKey = typeof propertyName === 'string';
      const subject = isKey ? `Name \`${propertyName}\` in ${where}` : capital(nameIn(name, where));
      const words = PATTERN_WORDS[String(p.pattern)] ?? `match \`${String(p.pattern)}\``;
      return { code: 'schema-pattern', severity: 'error', span: isKey ? loc.key([...path, propertyName]) : at,
        message: `${subject} must ${words}${isKey ? '' : `, got ${show(e.data)}`}` };
    }
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems': {
      const limit = Number(p.limit);
      const text = e.keyword === 'minLength' && limit === 1 ? 'must not be empty'
        : e.keyword === 'minItems' ? `must have at least ${limit} item${limit === 1 ? '' : 's'}`
        : e.keyword === 'maxItems' ? `must have at most ${limit} items`
        : e.keyword === 'minLength' ? `must be at least ${limit} characters long` : `must be at most ${limit} characters long`;
      return { code: 'schema-length', severity: 'error', span: at, message: `${capital(nameIn(name, where))} ${text}` };
    }
    default:
      // every keyword the schema uses is handled above; this covers keywords added to it later
      return { code: 'schema-type', severity: 'error', span: at, message: `${capital(where)} is not valid here (${e.keyword})` };
  }
}

function nameIn(name: string, where: string): string {
  return name === where ? where : where;
}

function descriptionOf(parent: SchemaNode | undefined, key: string): string | undefined {
  const prop = parent?.properties?.[key] as SchemaNode | undefined;
  return prop?.description;
}

function hintOf(hint: string | undefined): { hint?: string } {
  return hint ? { hint } : {};
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
