import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchCommand } from '../src/cli/commands/watch.js';
import type { Output } from '../src/cli/output.js';

const TEXT = `version: 1
title: Watch
scenes:
  - { id: one, model: wan2.2-t2v-plus, size: "832*480", prompt: A red door. }
  - { id: two, model: wan2.2-t2v-plus, size: "832*480", prompt: A blue door. }
`;

describe('render --watch', () => {
  it('renders, then on save re-renders only the edited clip; an invalid save reports diagnostics and keeps watching', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-watch-'));
    const file = join(dir, 'film.yaml');
    writeFileSync(file, TEXT);
    const lines: string[] = [];
    let stderr = '';
    const out: Output = { out: (t) => void lines.push(...t.trim().split('\n')), err: (t) => void (stderr += t), isTTY: false };
    const codes: number[] = [];
    const controller = new AbortController();
    const done = watchCommand(file, out, { backend: 'preview', json: true, signal: controller.signal, debounceMs: 100, onRender: (c) => codes.push(c) });
    const waitFor = async (n: number): Promise<void> => {
      for (let i = 0; i < 600 && codes.length < n; i++) await new Promise((r) => setTimeout(r, 50));
      expect(codes.length).toBeGreaterThanOrEqual(n);
    };
    await waitFor(1);
    expect(codes[0]).toBe(0);
    const renderedIn = (from: number): string[] => lines.slice(from).map((l) => JSON.parse(l) as { type: string; clip?: string })
      .filter((e) => e.type === 'rendered').map((e) => e.clip ?? '');
    let mark = lines.length;
    writeFileSync(file, TEXT.replace('A blue door.', 'A green door.'));
    await waitFor(2);
    expect(codes[1]).toBe(0);
    expect(renderedIn(mark)).toEqual(['two']);
    mark = lines.length;
    writeFileSync(file, TEXT.replace('prompt: A red door.', 'promt: A red door.'));
    await waitFor(3);
    expect(codes[2]).toBe(1);
    expect(stderr).toContain('error schema-unknown-key');
    controller.abort();
    expect(await done).toBe(0);
  }, 120_000);
});
