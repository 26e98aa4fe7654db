// Timing and memory helpers shared by the benchmarks; results are printed as JSON lines for bench/run.ts.
/** Median wall time in ms of `runs` calls of `fn` after `warmup` calls. */
export function medianMs(fn: () => unknown, runs = 7, warmup = 2): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? NaN;
}

/** The median of some numbers (NaN for none). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (!sorted.length) return NaN;
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

/** Wall time of one async call, in seconds. */
export async function timeSeconds(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/**
 * Times `subject` against `baseline` over `runs` rounds, alternating which goes first so that load from
 * elsewhere on the machine falls on both alike; returns both medians and the median of per-round ratios.
 */
export async function pairedSeconds(runs: number, subject: () => Promise<unknown>, baseline: () => Promise<unknown>): Promise<{ subject: number; baseline: number; ratio: number }> {
  const s: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2) s.push(await timeSeconds(subject));
    b.push(await timeSeconds(baseline));
    if (!(i % 2)) s.push(await timeSeconds(subject));
  }
  return { subject: median(s), baseline: median(b), ratio: median(s.map((x, i) => x / (b[i] ?? NaN))) };
}

/** Peak resident memory of this process so far, in MiB. */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Prints one benchmark result as a JSON line for bench/run.ts. */
export function report(result: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(result) + '\n');
}
