// Issue 13 point 8: control characters from a storyboard (ESC, BEL, the 8-bit CSI) never reach the terminal.
// The CLI runs in-process on its real stdout/stderr writer (processOutput), whose writes are captured here;
// diagnostics, code frames, progress lines, JSON lines and the report HTML show them escaped (`\u001b`).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { escapeControl } from '../src/diagnostics/escape-control.js';
import { formatDiagnostics } from '../src/diagnostics/format.js';
import { escapeHtml } from '../src/report/html.js';

/** C0 controls but tab and newline, DEL, C1: what must never be written raw. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/; // eslint-disable-line no-control-regex
const ESC = '\u001b';
const BEL = '\u0007';
const CSI8 = '\u009b';

/** Runs the CLI in-process with its default output (the process's stdout and stderr), capturing every write. */
async function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const text = (chunk: unknown): string => (typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => ((stdout += text(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => ((stderr += text(chunk)), true));
  const saved = process.exitCode;
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
    process.exitCode = saved;
  }
}

afterEach(() => vi.restoreAllMocks());

const dir = mkdtempSync(join(tmpdir(), 'sb-escapes-'));

describe('control characters are escaped in everything printed', () => {
  it('escapes them in messages and code frames, keeping the caret under the escaped text', () => {
    const text = `prompt: x${ESC}]0;t${BEL}y\n`;
    const start = text.indexOf(`x${ESC}`);
    const printed = formatDiagnostics([{ code: 'schema-pattern', severity: 'error', message: `got \`x${ESC}]0;t${BEL}y\``, hint: `not ${CSI8}2J`,
      span: { file: 'f.yaml', start, end: start + 8 } }], { sources: new Map([['f.yaml', text]]) });
    expect(printed).not.toMatch(RAW_CONTROL);
    const lines = printed.split('\n');
    expect(lines[0]).toBe('f.yaml:1:9: error schema-pattern: got `x\\u001b]0;t\\u0007y`');
    expect(lines[1]).toBe('1 | prompt: x\\u001b]0;t\\u0007y');
    expect(lines[2]).toBe(`  |         ${'^'.repeat('x\\u001b]0;t\\u0007y'.length)}`);
    expect(lines[3]).toBe('  hint: not \\u009b2J');
    // the escape is JSON's: a JSON line stays JSON and decodes to the original text
    const json = JSON.stringify({ m: `a${CSI8}b${ESC}` });
    expect(JSON.parse(escapeControl(json))).toEqual({ m: `a${CSI8}b${ESC}` });
    expect(escapeHtml(`<b>${ESC}[2J`)).toBe('&lt;b&gt;\\u001b[2J');
  });

  it('validate: the schema message and the code frame of a raw ESC in the YAML, as text and as JSON', async () => {
    const file = join(dir, 'invalid.yaml');
    writeFileSync(file, `version: 1\nscenes:\n  - id: a\n    model: wan2.7-t2v\n    duration: 3\n    prompt: A fox.\n    continues: x${ESC}]0;pwned${BEL}${ESC}[2J\n`);
    const r = await cli(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stderr).toContain('x\\u001b]0;pwned\\u0007\\u001b[2J');
    const j = await cli(['validate', '--format', 'json', file]);
    expect(j.stdout + j.stderr).not.toMatch(RAW_CONTROL);
    expect(JSON.stringify(JSON.parse(j.stdout))).toContain('\\u001b]0;pwned\\u0007');
  });

  it('plan, compile --prompts and a render: titles, prompts, the film path, progress, summary and report', async () => {
    const file = join(dir, 'film.yaml');
    writeFileSync(file, `version: 1
title: "T\\e]0;title\\a"
scenes:
  - { id: a, model: wan2.7-t2v, resolution: 720P, duration: 2, prompt: "A fox \\e[2J\\e]0;owned\\a runs \\x9b31m." }
output:
  file: "out/f\\e[31mlm.mp4"
`);
    // a file name can carry them too (plan prints it)
    const named = join(dir, `p${ESC}]0;x${BEL}.yaml`);
    writeFileSync(named, readFileSync(file));
    for (const args of [['plan', named], ['plan', '--json', named], ['compile', '--prompts', file], ['compile', file]]) {
      const r = await cli(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout + r.stderr, args.join(' ')).not.toMatch(RAW_CONTROL);
      expect(r.stdout + r.stderr, args.join(' ')).toContain('\\u001b');
    }
    const render = await cli(['render', file]);
    expect(render.code, render.stderr).toBe(0);
    expect(render.stdout + render.stderr).not.toMatch(RAW_CONTROL);
    expect(render.stderr).toContain('film: ');
    expect(render.stderr).toContain('f\\u001b[31mlm.mp4');
    const report = readdirSync(join(dir, 'out')).find((f) => f.endsWith('.report.html'));
    const html = readFileSync(join(dir, 'out', report ?? 'missing'), 'utf8');
    expect(html).not.toMatch(RAW_CONTROL);
    expect(html).toContain('\\u001b[2J\\u001b]0;owned\\u0007 runs \\u009b31m.');
    const json = await cli(['render', '--json', file]);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stdout + json.stderr).not.toMatch(RAW_CONTROL);
    for (const line of json.stdout.trim().split('\n')) expect(() => JSON.parse(line), line).not.toThrow();
  }, 60_000);
});
