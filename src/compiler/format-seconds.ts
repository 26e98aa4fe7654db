// Seconds as prompts and timelines write them, and addition without floating-point noise.
/** Seconds as written in prompts: whole numbers as integers, fractions as short decimals (`2.5`). */
export function formatSeconds(seconds: number): string {
  return String(Number(seconds.toFixed(3)));
}

/** Adds seconds without accumulating floating-point noise (0.1 + 0.2 → 0.3). */
export function addSeconds(a: number, b: number): number {
  return Math.round((a + b) * 1000) / 1000;
}
