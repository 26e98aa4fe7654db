// bench/validate: validation of a generated 1,000-shot storyboard (target < 300 ms, < 150 MB peak).
// Reported cold (the first validation in a fresh process, what a CLI user waits for, with its peak
// memory) and warm (median of 7). Baseline in the same run: parsing the same text with `yaml` alone.
import { parse } from 'yaml';
import { validateStoryboard } from '../src/compiler/validate-storyboard.js';
import { generateStoryboard } from './generate-storyboard.js';
import { medianMs, peakRssMiB, report } from './measure.js';

const text = generateStoryboard(1000);
const startMiB = peakRssMiB();
const t0 = process.hrtime.bigint();
const ok = validateStoryboard({ path: 'bench.yaml', text }).ok;
const coldMs = Number(process.hrtime.bigint() - t0) / 1e6;
const coldPeakMiB = peakRssMiB();
if (!ok) throw new Error('the generated storyboard is invalid');
const warmMs = medianMs(() => validateStoryboard({ path: 'bench.yaml', text }));
const baselineMs = medianMs(() => parse(text));
report({ bench: 'validate', shots: 1000, bytes: text.length, coldMs, warmMs, baselineMs, warmRatio: warmMs / baselineMs, startMiB, coldPeakMiB, targets: 'ms < 300, peak < 150 MiB' });
