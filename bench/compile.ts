// bench/compile: validate + compile a generated 1,000-shot storyboard (target < 500 ms).
// Baseline in the same run: parsing the same text with `yaml` alone.
import { parse } from 'yaml';
import { planStoryboard } from '../src/compiler/plan-storyboard.js';
import { planJson } from '../src/compiler/plan/plan-json.js';
import { validateStoryboard } from '../src/compiler/validate-storyboard.js';
import { generateStoryboard } from './generate-storyboard.js';
import { medianMs, peakRssMiB, report } from './measure.js';

const text = generateStoryboard(1000);
const baseline = medianMs(() => parse(text));
let clips = 0;
const ms = medianMs(() => {
  const r = validateStoryboard({ path: 'bench.yaml', text });
  if (!r.ok) throw new Error('the generated storyboard is invalid');
  const plan = planStoryboard(r.value);
  clips = plan.jobs.length;
  planJson(plan);
});
report({ bench: 'compile', shots: 1000, clips, ms, baselineMs: baseline, ratio: ms / baseline, peakMiB: peakRssMiB(), targets: 'ms < 500' });
