// The emulated wall clock: drives timestamps and every expiry (tasks 24 h, result URLs 24 h, upload
// policies, oss:// objects 48 h). Either injected (`now`) or real time sped up by `timeScale`.

/** Emulated time in epoch milliseconds. */
export type Clock = () => number;

/** Options of {@link createClock}. */
interface ClockOptions {
  now?: () => number;
  timeScale?: number;
}

/** The injected clock, or real time multiplied by `timeScale` from the moment of creation. */
export function createClock(options: ClockOptions = {}): Clock {
  if (options.now) return options.now;
  const scale = options.timeScale ?? 1;
  if (!(scale > 0)) throw new Error(`timeScale must be positive, got ${scale}`);
  const origin = Date.now();
  return () => origin + (Date.now() - origin) * scale;
}

/** The service runs on China/Singapore time (UTC+8), which is how its timestamps read. */
const SERVICE_OFFSET_MS = 8 * 3600 * 1000;

/** `YYYY-MM-DD HH:mm:ss.SSS` in UTC+8, as DashScope prints `submit_time` and friends. */
export function formatTime(ms: number): string {
  const iso = new Date(ms + SERVICE_OFFSET_MS).toISOString(); // 2025-09-29T14:18:52.331Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

/** Parses the list filter format `YYYYMMDDhhmmss` (UTC+8) to epoch ms; undefined when malformed. */
export function parseCompactTime(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s) - SERVICE_OFFSET_MS;
}
