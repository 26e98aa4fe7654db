import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planStoryboard } from '../src/compiler/plan-storyboard.js';
import { validateStoryboard } from '../src/compiler/validate-storyboard.js';
import { CODES } from '../src/diagnostics/codes.js';
import { formatDiagnostics } from '../src/diagnostics/format.js';
import { createRng } from '../src/backends/emulator/faults.js';
import { mutate } from './helpers/mutate-yaml.js';

const examples = readdirSync('storyboards').filter((f) => f.endsWith('.yaml')).map((f) => ({ name: f, text: readFileSync(`storyboards/${f}`, 'utf8') }));

describe('fuzz: mutated examples never make validation or compilation throw', () => {
  it('1,500 mutations (1–3 edits each)', () => {
    // the emulator's seeded generator: any failing case replays from its number
    const random = createRng(20261121);
    let invalid = 0;
    for (let n = 0; n < 1500; n++) {
      const ex = examples[n % examples.length];
      if (!ex) continue;
      let text = ex.text;
      const edits = 1 + Math.floor(random() * 3);
      for (let k = 0; k < edits; k++) text = mutate(text, random);
      const path = `fuzz-${n}.yaml`;
      let result: ReturnType<typeof validateStoryboard>;
      try {
        result = validateStoryboard({ path, text });
        if (result.ok) planStoryboard(result.value);
        formatDiagnostics(result.diagnostics, { sources: new Map([[path, text]]) });
      } catch (e) {
        throw new Error(`case ${n} (${ex.name}) threw: ${e instanceof Error ? e.stack : String(e)}\n--- input ---\n${text}`);
      }
      if (!result.ok) invalid++;
      for (const d of result.diagnostics) {
        expect(Object.keys(CODES), `case ${n}: unregistered code`).toContain(d.code);
        if (d.span) {
          expect(d.span.start, `case ${n}: ${d.code}`).toBeGreaterThanOrEqual(0);
          expect(d.span.end, `case ${n}: ${d.code}`).toBeLessThanOrEqual(text.length + 1);
        }
      }
    }
    // the mutations must actually break storyboards, or the test proves nothing
    expect(invalid).toBeGreaterThan(300);
  });
});
