import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../src/diagnostics/format.js';
import { planStoryboard } from '../src/compiler/plan-storyboard.js';
import type { Plan } from '../src/compiler/plan/types.js';
import { validateStoryboard } from '../src/compiler/validate-storyboard.js';

const COOKBOOK = 'docs/cookbook.md';
const text = readFileSync(COOKBOOK, 'utf8');

/** Every ```yaml block of the cookbook that is a whole storyboard (starts with `version: 1`), with its line. */
function storyboardBlocks(markdown: string): { line: number; yaml: string }[] {
  const blocks: { line: number; yaml: string }[] = [];
  const fence = /^```yaml\n([\s\S]*?)^```$/gm;
  for (let m = fence.exec(markdown); m; m = fence.exec(markdown)) {
    const yaml = m[1] ?? '';
    if (yaml.startsWith('version: 1')) blocks.push({ line: markdown.slice(0, m.index).split('\n').length + 1, yaml });
  }
  return blocks;
}

const blocks = storyboardBlocks(text);

/** Validates a block (local files are not read) and compiles it. */
function compile(block: { line: number; yaml: string }): Plan {
  const path = `${COOKBOOK}:${block.line}`;
  const result = validateStoryboard({ path, text: block.yaml });
  const report = formatDiagnostics(result.diagnostics, { sources: new Map([[path, block.yaml]]) });
  expect(result.ok, report).toBe(true);
  expect(result.diagnostics, report).toEqual([]);
  if (!result.ok) throw new Error(report);
  return planStoryboard(result.value);
}

const planOf = (title: string): Plan => {
  const block = blocks.find((b) => b.yaml.includes(`\ntitle: ${title}\n`));
  if (!block) throw new Error(`no storyboard titled ${title} in the cookbook`);
  return compile(block);
};

describe('docs/cookbook.md', () => {
  it('has a storyboard for every recipe', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(9);
  });

  for (const block of blocks) {
    it(`the storyboard at line ${block.line} validates without warnings and compiles`, () => {
      expect(compile(block).jobs.length).toBeGreaterThan(0);
    });
  }

  it('shows the multi-shot prompt the compiler writes', () => {
    const [clip] = planOf('Rooftops').jobs;
    expect(text).toContain(`\`\`\`text\n${clip?.prompt}\n\`\`\``);
    expect(clip?.expected.duration).toBe(8);
    expect(planOf('Garden').jobs.map((j) => j.request.body.parameters.shot_type)).toEqual(['multi', 'multi']);
  });

  it('describes the clips a long scene becomes', () => {
    const jobs = planOf('Crossing').jobs.map((j) => `${j.id} ${j.model} ${j.expected.duration}`);
    expect(jobs).toEqual(['voyage wan2.7-t2v 13', 'voyage.part2 wan2.7-i2v 14', 'voyage.part3 wan2.7-i2v 13', 'market.stalls wan2.7-t2v 12', 'market.gulls wan2.7-t2v 12']);
  });

  it('describes the joins of a continuity chain and of transitions', () => {
    expect(planOf('Lamp Room').stitch.joins.map((j) => `${j.from}>${j.to} ${j.type}`)).toEqual(['stairs>lamp seam', 'lamp>harbour dissolve']);
    expect(planOf('Seasons').stitch.joins.map((j) => `${j.type} ${j.duration}`)).toEqual(['dissolve 0.5', 'fade 1']);
  });

  it('sends driving audio and silence as it says', () => {
    const [office, window] = planOf('The Fox Detective').jobs;
    expect(office?.inputs.map((i) => i.name)).toContain('audio');
    expect(window?.request.body.parameters.audio).toBe(false);
    expect(window?.cost.perSecond).toBe(0.025);
  });

  it('quotes the cost of the budget example', () => {
    expect(planOf('Short Film').totals.usd).toBe(2.5);
    expect(text).toContain('$2.50');
  });
});
