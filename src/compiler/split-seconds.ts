// Splits a duration into the fewest allowed clip durations, as evenly as possible.
import type { DurationRule } from './models/types.js';

function allowedValues(rule: DurationRule): number[] {
  if (rule.kind === 'set') return [...rule.values].sort((a, b) => b - a);
  const out: number[] = [];
  for (let s = rule.max; s >= rule.min; s--) out.push(s);
  return out;
}

/**
 * Splits `total` whole seconds into the fewest clip durations, the first allowed by `first` and the
 * rest by `rest` (a continuation model may have other limits), as evenly as possible.
 * Returns undefined when no split exists (e.g. 7 s on a model that only makes 5 s clips).
 */
export function splitSeconds(total: number, first: DurationRule, rest: DurationRule = first): number[] | undefined {
  if (!Number.isInteger(total) || total <= 0) return undefined;
  const firstValues = allowedValues(first);
  const restValues = allowedValues(rest);
  // fewest pieces summing to t from restValues (coin change; totals are at most a few thousand seconds)
  const count = new Array<number>(total + 1).fill(Infinity);
  count[0] = 0;
  for (let t = 1; t <= total; t++) {
    for (const v of restValues) if (v <= t && (count[t - v] ?? Infinity) + 1 < (count[t] ?? Infinity)) count[t] = (count[t - v] ?? 0) + 1;
  }
  let best: { pieces: number; head: number } | undefined;
  const ideal = total / Math.max(1, Math.ceil(total / Math.max(...firstValues, ...restValues)));
  for (const head of firstValues) {
    if (head > total) continue;
    const pieces = 1 + (count[total - head] ?? Infinity);
    if (!Number.isFinite(pieces)) continue;
    if (!best || pieces < best.pieces || (pieces === best.pieces && Math.abs(head - ideal) < Math.abs(best.head - ideal))) best = { pieces, head };
  }
  if (!best) return undefined;
  return [best.head, ...balancedRest(total - best.head, best.pieces - 1, restValues, count)];
}

/** `n` pieces from `values` summing to `total`, each as close to total/n as the values allow. */
function balancedRest(total: number, n: number, values: readonly number[], count: readonly number[]): number[] {
  const out: number[] = [];
  let left = total;
  for (let k = n; k > 0; k--) {
    const target = left / k;
    const options = values.filter((v) => v <= left && count[left - v] === k - 1);
    const pick = options.sort((a, b) => Math.abs(a - target) - Math.abs(b - target) || b - a)[0];
    if (pick === undefined) break;
    out.push(pick);
    left -= pick;
  }
  return out;
}
