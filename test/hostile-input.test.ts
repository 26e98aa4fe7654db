import { describe, expect, it } from 'vitest';
import { decodeSource } from '../src/compiler/decode-source.js';
import { validateStoryboard } from '../src/compiler/validate-storyboard.js';

/** Validates raw bytes the way the CLI does and returns the codes. */
function codesOf(bytes: Uint8Array): string[] {
  const decoded = decodeSource('hostile.yaml', bytes);
  if (!decoded.ok) return decoded.diagnostics.map((d) => d.code);
  return validateStoryboard(decoded.source).diagnostics.map((d) => d.code);
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('hostile input yields a diagnostic in bounded time and memory', () => {
  it('a 10 MB file', () => {
    expect(codesOf(new Uint8Array(10 * 1024 * 1024).fill(0x61))).toEqual(['file-too-large']);
  });

  it('an alias bomb', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const before = process.memoryUsage().rss;
    expect(codesOf(enc(levels.join('\n') + '\n'))).toEqual(['yaml-alias-limit']);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it('very deep nesting, in flow and block style', () => {
    expect(codesOf(enc('version: 1\nscenes: ' + '['.repeat(50_000) + ']'.repeat(50_000) + '\n'))).toEqual(['yaml-too-deep']);
    let block = 'version: 1\nvars:\n';
    for (let i = 1; i < 3000; i++) block += ' '.repeat(i) + 'k:\n';
    expect(codesOf(enc(block)).length).toBeGreaterThan(0);
  });

  it('binary and non-UTF-8 bytes', () => {
    expect(codesOf(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))).toEqual(['file-binary']);
    expect(codesOf(Uint8Array.from([...enc('version: 1\ntitle: caf'), 0xe9, 0x0a]))).toEqual(['file-not-utf8']);
    expect(codesOf(Uint8Array.from([0xff, 0xfe, 0x76, 0x00]))).toEqual(['file-not-utf8']);
  });

  it('a template that tries to reach prototypes', () => {
    const text = 'version: 1\nscenes:\n  - id: a\n    prompt: "{{constructor.constructor}} {{__proto__}} {{vars.constructor}}"\n';
    const codes = validateStoryboard({ path: 'x.yaml', text }).diagnostics.map((d) => d.code);
    expect(codes).toEqual(['unknown-template-name', 'unknown-template-name', 'unknown-template-name']);
  });
});
