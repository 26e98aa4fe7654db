// What the tool repaired on disk while it worked: a damaged cache entry discarded and remade, or a killed run's
// temp files removed. Stages below the runner report these through a callback; the render shows them as events.
import { RUNTIME_CODES } from './codes.js';
import type { Severity } from './diagnostic.js';

/** A code of {@link RUNTIME_CODES}. */
export type RepairCode = keyof typeof RUNTIME_CODES;

/** One repair: what was wrong with which file (and which clip, when it is one clip's). */
export interface Repair {
  readonly code: RepairCode;
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  readonly clip?: string;
}

/** Hears repairs as they happen; must not throw. */
export type OnRepair = (repair: Repair) => void;

/** A repair with its code's severity. */
export function repair(code: RepairCode, file: string, message: string, clip?: string): Repair {
  return { code, severity: RUNTIME_CODES[code].severity, message, file, ...(clip === undefined ? {} : { clip }) };
}
