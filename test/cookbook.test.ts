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
    expect(blocks.length).toBeGreaterThanOrEqual(12);
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
    const jobs = planOf('Crossing').jobs.map((j) => `${j.id} ${j.model} ${j.expected.duration - (j.carry?.seconds ?? 0)}${j.carry ? ` +${j.carry.seconds} carried` : ''}`);
    expect(jobs).toEqual(['voyage wan2.7-t2v 13', 'voyage.part2 wan2.7-i2v 14 +2 carried', 'voyage.part3 wan2.7-i2v 13 +2 carried', 'market.stalls wan2.7-t2v 12', 'market.gulls wan2.7-t2v 12']);
  });

  it('describes clip continuation and long takes in parts', () => {
    const plan = planOf('Harbour Run');
    expect(plan.jobs.map((j) => `${j.id} ${j.request.body.parameters.duration} ${j.expected.duration}`)).toEqual(['launch 8 8', 'sea 10 13', 'pier 14 14', 'pier.part2 12 14', 'pier.part3 14 16']);
    expect(plan.jobs[1]?.request.body.input.media).toEqual([{ type: 'first_clip', url: '$input.first_clip' }]);
    const starts = plan.stitch.starts;
    // launch + sea is exactly 18 s; the take is 40 s
    expect(starts[2]).toBe(18);
    expect(plan.stitch.duration).toBe(58);
  });

  it('describes the anchor, colour matching and re-anchoring of a chain', () => {
    const plan = planOf('Night Ferry');
    expect(plan.jobs.map((j) => `${j.id} ${j.chain?.hop} ${JSON.stringify(j.chain?.anchor)} ${j.chain?.colourMatch} ${j.chain?.reanchored ?? false}`)).toEqual([
      'board 0 {"still":"ferry-look"} true false', 'deck 1 {"still":"ferry-look"} true false', 'lounge 2 {"still":"ferry-look"} true false', 'arrival 3 {"still":"ferry-look"} true true',
    ]);
    expect(plan.jobs[3]?.request.body.input.media).toEqual([{ type: 'first_frame', url: '$input.first_frame' }, { type: 'last_frame', url: '$input.last_frame' }]);
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

  it('labels the characters\' references and prices the clips as the r2v recipes say', () => {
    const night = planOf('Night Train');
    const [arrival, letter] = night.jobs;
    expect(text).toContain(`\`\`\`text\n${arrival?.prompt}\n\`\`\``);
    expect(arrival?.references?.map((r) => `${r.character} ${r.label}`)).toEqual(['mara Image 1', 'keeper Video 1']);
    expect(arrival?.inputs.map((i) => i.name)).toEqual(['ref1', 'ref1_voice', 'ref2']);
    expect(letter?.references?.map((r) => r.character)).toEqual(['mara']);
    expect(letter?.prompt).toContain('while an old lighthouse keeper in a yellow raincoat waits behind her');
    expect(night.jobs.map((j) => j.cost.usd)).toEqual([1, 0.8]);
    const courier = planOf('Courier');
    expect(courier.jobs.map((j) => j.prompt)).toEqual(['character1 runs across the wet rooftops at night.', 'Image 1 runs down a spiral staircase, her green coat flying.']);
    expect(courier.totals).toMatchObject({ usd: 0.655, stills: 1, stillsUsd: 0.03 });
    expect(text).toContain('$0.655');
  });

  it('makes stills before the keyframe scene that uses them and quotes their cost', () => {
    const plan = planOf('Harbour Lights');
    expect(plan.stills.map((s) => `${s.id}<-${s.dependsOn.join(',')} ${s.usedBy.join(',')}`)).toEqual(['harbour-dawn<- day,harbour-night', 'harbour-night<-harbour-dawn day']);
    expect(plan.jobs[0]?.expected).toMatchObject({ width: 1280, height: 720 });
    expect(plan.totals.usd).toBe(1.56);
    expect(text).toContain('$1.56');
  });

  it('quotes the cost of the budget example', () => {
    expect(planOf('Short Film').totals.usd).toBe(2.5);
    expect(text).toContain('$2.50');
  });
});
