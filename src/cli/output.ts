// Where commands write (stdout/stderr, injectable for tests) and how they print diagnostics. What reaches the
// process's stdout and stderr has its control characters escaped: storyboards and servers cannot drive the terminal.
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { escapeControl } from '../diagnostics/escape-control.js';
import { formatDiagnostics } from '../diagnostics/format.js';

/** Where a command writes: injectable so tests can capture output. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  readonly isTTY: boolean;
}

/**
 * Output to the process's stdout and stderr, one line (or more) per call, with every control character but tab
 * and newline escaped visibly (`\u001b`): printed text comes from storyboards, servers and ffmpeg. JSON lines
 * stay valid JSON. (Progress bars redraw through their own writer, with ids the schema keeps printable.)
 */
export function processOutput(): Output {
  const line = (t: string): string => escapeControl(t.endsWith('\n') ? t : t + '\n');
  return {
    out: (t) => void process.stdout.write(line(t)),
    err: (t) => void process.stderr.write(line(t)),
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
