import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadStoryboard } from '../src/render/load-storyboard.js';
import { planStoryboard } from '../src/compiler/plan-storyboard.js';

const files = readdirSync('storyboards').filter((f) => f.endsWith('.yaml')).sort();

describe('every example storyboard', () => {
  it('there are the six seed examples and the original film', () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
  });
  for (const f of files) {
    it(`${f} validates with its files checked, without warnings, and compiles`, async () => {
      const text = readFileSync(`storyboards/${f}`, 'utf8');
      expect(text.startsWith('# yaml-language-server: $schema=../schemas/storyboard.schema.json')).toBe(true);
      const loaded = await loadStoryboard(`storyboards/${f}`);
      expect(loaded.result.diagnostics).toEqual([]);
      expect(loaded.result.ok).toBe(true);
      if (loaded.result.ok) expect(planStoryboard(loaded.result.value).jobs.length).toBeGreaterThan(0);
    });
  }

  it('the original film is at least 60 s with 4 scenes, a 3-clip continuity chain, an independent scene and local keyframes', async () => {
    const loaded = await loadStoryboard('storyboards/lighthouse.yaml');
    if (!loaded.result.ok) throw new Error('invalid');
    const plan = planStoryboard(loaded.result.value);
    expect(plan.totals.seconds).toBeGreaterThanOrEqual(60);
    expect(new Set(plan.jobs.map((j) => j.scene)).size).toBeGreaterThanOrEqual(4);
    const byId = new Map(plan.jobs.map((j) => [j.id, j]));
    const chainLength = (id: string): number => 1 + Math.max(0, ...(byId.get(id)?.dependsOn ?? []).map(chainLength));
    expect(Math.max(...plan.jobs.map((j) => chainLength(j.id)))).toBeGreaterThanOrEqual(3);
    expect(plan.jobs.some((j) => j.dependsOn.length === 0 && !plan.jobs.some((k) => k.dependsOn.includes(j.id)))).toBe(true);
    expect(plan.jobs.flatMap((j) => j.inputs).some((i) => 'file' in i.from)).toBe(true);
  });
});
