// Seeded fault injection: every draw comes from one PRNG stream, so a fixed seed and the same
// request order give the same faults.

/** Probabilities (0–1) of each injected fault. */
export interface FaultRates {
  /** An API request answered 429 Throttling.RateQuota. */
  readonly throttle: number;
  /** An API request answered 500 InternalError. */
  readonly server: number;
  /** An accepted task that ends FAILED with InternalError. */
  readonly task: number;
  /** A result download cut off half way. */
  readonly truncate: number;
  /** One image of a multi-image legacy text2image task that fails (`{code, message}` in its results). */
  readonly image: number;
}

/** No faults. */
const NO_FAULTS: FaultRates = { throttle: 0, server: 0, task: 0, truncate: 0, image: 0 };

const KINDS = Object.keys(NO_FAULTS) as (keyof FaultRates)[];

/** Parses `"throttle=0.3,server=0.1,task=0.05,truncate=0.05,image=0.2"`; unknown names or bad numbers throw. */
export function parseFaults(spec: string): FaultRates {
  const rates: Record<keyof FaultRates, number> = { ...NO_FAULTS };
  for (const item of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [name, value, ...rest] = item.split('=').map((s) => s.trim());
    const rate = Number(value);
    if (!KINDS.includes(name as keyof FaultRates) || rest.length > 0 || value === '' || !(rate >= 0 && rate <= 1)) {
      throw new Error(`Bad fault spec "${item}": expected name=probability with name one of ${KINDS.join(', ')} and 0 ≤ probability ≤ 1`);
    }
    rates[name as keyof FaultRates] = rate;
  }
  if (rates.throttle + rates.server > 1) throw new Error('Bad fault spec: throttle + server must not exceed 1');
  return rates;
}

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws faults from one seeded stream. */
export class FaultInjector {
  private readonly rng: () => number;
  constructor(readonly rates: FaultRates, seed: number) {
    this.rng = createRng(seed);
  }

  /** One draw per API request: 429, 500 or none (the two are exclusive, so their rates add up). */
  request(): 'throttle' | 'server' | undefined {
    if (this.rates.throttle === 0 && this.rates.server === 0) return undefined;
    const u = this.rng();
    if (u < this.rates.throttle) return 'throttle';
    if (u < this.rates.throttle + this.rates.server) return 'server';
    return undefined;
  }

  /** True when this task (drawn once, at creation), this image of a task (drawn at creation) or this download should fail. */
  roll(kind: 'task' | 'truncate' | 'image'): boolean {
    return this.rates[kind] > 0 && this.rng() < this.rates[kind];
  }
}

/** The rates of an options value: a spec string, a partial object, or nothing. */
export function faultRates(value: string | Partial<FaultRates> | undefined): FaultRates {
  if (value === undefined) return NO_FAULTS;
  if (typeof value === 'string') return parseFaults(value);
  const spec = KINDS.filter((k) => value[k] !== undefined).map((k) => `${k}=${value[k]}`).join(',');
  return parseFaults(spec);
}
