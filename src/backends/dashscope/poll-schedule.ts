// When to query a running DashScope task (the official SDKs' schedule), how far along it probably is, and
// how long a clip usually takes.
/** The official SDKs' waits between task queries, in seconds; the last one repeats (1, 1, 2, 2, 2, 4, 4, 4, 5, 5, …). */
export const SDK_POLL_SCHEDULE: readonly number[] = [1, 1, 2, 2, 2, 4, 4, 4, 5];

/** Milliseconds to wait after query `index` (0-based); past the end of the schedule its last entry repeats. */
export function pollDelayMs(schedule: readonly number[], index: number): number {
  const seconds = schedule[Math.min(index, schedule.length - 1)] ?? 5;
  return Math.max(0, seconds * 1000);
}

/** Rough progress of a running task: elapsed time against the usual generation time, never quite 1. */
export function progressFraction(elapsedMs: number, expectedMs: number): number {
  return Math.min(0.95, Math.max(0, elapsedMs / expectedMs));
}

/** About how long a clip of `seconds` takes (the docs say 1–5 minutes, queue dependent): ~2 min for 5 s. */
export function expectedGenerationMs(seconds: number): number {
  return 90_000 + seconds * 6_000;
}
