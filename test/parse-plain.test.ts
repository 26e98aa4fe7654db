// The fast path for plain YAML gives exactly the value the full parser gives, and declines whatever it cannot
// read the same way; tags outside the core schema are errors at the tag.
import { readdirSync, readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { createRng } from '../src/backends/emulator/faults.js';
import { parsePlainYaml } from '../src/compiler/parse-plain.js';
import { parseStoryboard } from '../src/compiler/parse.js';
import { validateStoryboard } from '../src/compiler/validate-storyboard.js';
import { formatDiagnostics } from '../src/diagnostics/format.js';
import { mutate } from './helpers/mutate-yaml.js';

const examples = readdirSync('storyboards').filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(`storyboards/${f}`, 'utf8'));
const full = (text: string) => parseDocument(text, { uniqueKeys: true, strict: true, version: '1.2', prettyErrors: false });

describe('plain YAML fast path', () => {
  it('agrees with the full parser on every example and 1,500 mutations of them', () => {
    const random = createRng(20261127);
    let fast = 0;
    let declined = 0;
    const texts = [...examples];
    for (let n = 0; n < 1500; n++) {
      let text = examples[n % examples.length] ?? '';
      const edits = 1 + Math.floor(random() * 3);
      for (let k = 0; k < edits; k++) text = mutate(text, random);
      texts.push(text);
    }
    for (const [n, text] of texts.entries()) {
      const plain = parsePlainYaml(text);
      if (!plain) {
        declined++;
        continue;
      }
      fast++;
      const doc = full(text);
      // what the fast path accepts, the full parser accepts without a word, with the same value
      expect(doc.errors.map((e) => e.code), `case ${n}:\n${text}`).toEqual([]);
      expect(doc.warnings.map((e) => e.code), `case ${n}:\n${text}`).toEqual([]);
      expect(plain.value, `case ${n}:\n${text}`).toEqual(doc.toJS());
    }
    // both paths are exercised: most storyboards are plain; broken or unusual ones go to the full parser
    expect(fast).toBeGreaterThan(600);
    expect(declined).toBeGreaterThan(250);
  });

  it.each([
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a custom tag', 'a: !include /etc/passwd\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['a null key', '~: 1\n'],
    ['a collection as key', '? [a, b]\n: 1\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['an empty file', ''],
    ['a syntax error', 'a: "open\n'],
  ])('declines %s, which the full parser reads or reports', (_name, text) => {
    expect(parsePlainYaml(text)).toBeUndefined();
  });

  it('parses positions only when a span is read', () => {
    const text = examples[0] ?? '';
    const parsed = parseStoryboard({ path: 'x.yaml', text });
    expect(parsed.ok).toBe(true);
    const result = validateStoryboard({ path: 'x.yaml', text });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const scene = result.value.storyboard.scenes[0];
    // a span read late points at the scene's own text, as an eager one did
    expect(text.slice(scene?.span.start, scene?.span.end)).toContain(`id: ${scene?.id}`);
  });
});

describe('YAML tags', () => {
  const validate = (body: string) => {
    const text = `version: 1\nscenes:\n  - id: a\n    model: wan2.7-t2v\n${body}`;
    const r = validateStoryboard({ path: 't.yaml', text });
    return { r, text, printed: formatDiagnostics(r.diagnostics, { sources: new Map([['t.yaml', text]]) }) };
  };

  it.each([
    ['    prompt: !include /etc/passwd\n', '!include'],
    ['    prompt: !!js/function "function () {}"\n', '!!js/function'],
    ['    prompt: !!binary aGVsbG8=\n', '!!binary'],
  ])('refuses %j at the tag', (body, tag) => {
    const { r, text } = validate(body);
    expect(r.ok).toBe(false);
    const d = r.diagnostics.find((x) => x.code === 'yaml-unsupported-tag');
    expect(d?.message).toContain(tag);
    expect(text.slice(d?.span?.start, d?.span?.end)).toBe(tag);
  });

  it('refuses a core tag that cannot read its value', () => {
    const { r } = validate('    prompt: a lighthouse\n    prompt_extend: !!bool yes\n');
    expect(r.diagnostics.map((d) => d.code)).toContain('yaml-unsupported-tag');
  });

  it('reads `!!float 2` as the number 2, as YAML 1.2 does', () => {
    const { r } = validate('    prompt: a lighthouse\n    duration: !!float 5\n');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.ok && r.value.storyboard.scenes[0]?.settings.duration?.value).toBe(5);
  });

  it('says that `.nan` is not a number', () => {
    const { printed } = validate('    prompt: a lighthouse\n    duration: .nan\n');
    expect(printed).toContain('got `.nan`, which is not a number');
    expect(printed).not.toContain('got a number');
  });
});
