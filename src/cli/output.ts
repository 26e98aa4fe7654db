// Where commands write (stdout/stderr, injectable for tests) and how they print diagnostics.
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnostics } from '../diagnostics/format.js';

/** Where a command writes: injectable so tests can capture output. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  readonly isTTY: boolean;
}

/** Output to the process's stdout and stderr. */
export function processOutput(): Output {
  return {
    out: (t) => void process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
    err: (t) => void process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
    isTTY: Boolean(process.stderr.isTTY),
  };
}

/** Prints diagnostics with code frames and a one-line count. */
export function printDiagnostics(out: Output, diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): void {
  if (diagnostics.length === 0) return;
  out.err(formatDiagnostics(diagnostics, { sources }) + '\n');
}

/** "2 errors, 1 warning" */
export function countLine(diagnostics: readonly Diagnostic[]): string {
  const e = diagnostics.filter((d) => d.severity === 'error').length;
  const w = diagnostics.filter((d) => d.severity === 'warning').length;
  return `${e} error${e === 1 ? '' : 's'}, ${w} warning${w === 1 ? '' : 's'}`;
}
