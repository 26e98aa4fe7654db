import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkRequest } from '../src/compiler/models/check-request.js';
import { findModel } from '../src/compiler/models/registry.js';
import { planStoryboard } from '../src/compiler/plan-storyboard.js';
import { validateStoryboard } from '../src/compiler/validate-storyboard.js';

const T2V = ['wan2.7-t2v', 'wan2.6-t2v', 'wan2.5-t2v-preview', 'wan2.2-t2v-plus', 'wan2.1-t2v-turbo', 'wan2.1-t2v-plus'];
const I2V = ['wan2.7-i2v', 'wan2.6-i2v', 'wan2.6-i2v-flash', 'wan2.5-i2v-preview', 'wan2.2-i2v-flash', 'wan2.2-i2v-plus', 'wan2.1-i2v-turbo', 'wan2.1-i2v-plus'];
const KF2V = ['wan2.2-kf2v-flash', 'wan2.1-kf2v-plus'];
const URL = 'https://example.com/frame.png';

const shot = fc.record({ duration: fc.constantFrom(1, 1.5, 2, 2.5, 2.5, 3, 4, 5, 6, 7, 10, 16, 21), prompt: fc.constantFrom('a cat', 'rain on glass', 'a long corridor') });
const scene = fc.record({
  kind: fc.constantFrom('t2v', 't2v', 'i2v', 'kf2v'),
  pick: fc.nat(),
  shots: fc.option(fc.array(shot, { minLength: 1, maxLength: 6 }), { nil: undefined }),
  duration: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
  resolution: fc.option(fc.nat(), { nil: undefined }),
  continues: fc.boolean(),
});

type SceneArb = typeof scene extends fc.Arbitrary<infer T> ? T : never;

function buildStoryboard(scenes: SceneArb[]): unknown {
  return {
    version: 1,
    title: 'Property',
    scenes: scenes.map((s, i) => {
      const list = s.kind === 't2v' ? T2V : s.kind === 'i2v' ? I2V : KF2V;
      const model = list[s.pick % list.length];
      const out: Record<string, unknown> = { id: `s${i}`, model, prompt: 'A scene.' };
      // models with a fixed set of durations get multiples of their values (long ones become chains)
      const rule = findModel(model ?? '')?.duration;
      const multi = findModel(model ?? '')?.multiShot !== 'none';
      const whole = (d: number): number => (multi ? d : Math.max(2, Math.ceil(d)));
      const fit = (d: number): number => (rule?.kind === 'set' ? (rule.values[Math.ceil(d) % rule.values.length] ?? 5) * (1 + (Math.ceil(d) % 2)) : whole(d));
      if (s.shots) out.shots = s.shots.map((x) => ({ ...x, duration: fit(x.duration) }));
      else if (s.duration) out.duration = fit(s.duration);
      // mostly a tier the model offers, so most storyboards are valid and the property is exercised
      if (s.resolution !== undefined) out.resolution = findModel(model ?? '')?.resolutions[s.resolution % (findModel(model ?? '')?.resolutions.length ?? 1)];
      if (s.kind === 'i2v') {
        if (s.continues && i > 0) out.continues = `s${i - 1}`;
        else out.first_frame = URL;
      }
      if (s.kind === 'kf2v') {
        delete out.shots; // a keyframe model makes exactly one clip
        delete out.duration;
        out.first_frame = URL;
        out.last_frame = URL;
      }
      return out;
    }),
  };
}

describe('compiler properties over generated storyboards', () => {
  it('clip durations add up to scene durations and every request satisfies its model', () => {
    let valid = 0;
    let total = 0;
    const codes = new Map<string, number>();
    fc.assert(fc.property(fc.array(scene, { minLength: 1, maxLength: 4 }), (scenes) => {
      total++;
      const text = stringify(buildStoryboard(scenes));
      const result = validateStoryboard({ path: 'gen.yaml', text });
      if (!result.ok) {
        for (const d of result.diagnostics) codes.set(d.code, (codes.get(d.code) ?? 0) + 1);
        return;
      }
      valid++;
      const plan = planStoryboard(result.value);
      const ids = new Set(plan.jobs.map((j) => j.id));
      expect(ids.size).toBe(plan.jobs.length);
      for (const s of result.value.storyboard.scenes) {
        const model = findModel(s.model.id);
        const expected = s.shots.length ? s.shots.reduce((a, x) => a + x.duration, 0) : s.settings.duration?.value ?? model?.duration.default;
        // a continued clip's video starts with seconds carried from the clip before: only the new ones are the scene's
        const got = plan.jobs.filter((j) => j.scene === s.id).reduce((a, j) => a + j.expected.duration - (j.carry?.seconds ?? 0), 0);
        expect(got).toBeCloseTo(expected ?? NaN, 6);
      }
      const seen = new Set<string>();
      for (const job of plan.jobs) {
        expect(checkRequest(job.request.body, job.request.path)).toEqual([]);
        for (const d of job.dependsOn) expect(ids.has(d)).toBe(true);
        seen.add(job.id);
      }
      // a frame seam drops the repeated frame; a clip continuation's carried seconds are not in `totals.seconds`
      const carried = new Set(plan.jobs.filter((j) => j.carry).map((j) => j.id));
      const overlaps = plan.stitch.joins.reduce((a, j) => a + j.duration + (j.type === 'seam' && !carried.has(j.to) ? 1 / 30 : 0), 0);
      expect(plan.stitch.duration).toBeCloseTo(plan.totals.seconds - overlaps, 4);
      expect(planStoryboard(result.value)).toEqual(plan);
    }), { numRuns: 400, seed: 20261121 });
    // the property must be exercised on a real share of valid storyboards, not vacuously
    expect(valid / total, `rejections: ${JSON.stringify([...codes])}`).toBeGreaterThan(0.3);
  });
});
