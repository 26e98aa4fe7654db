// Prints diagnostics: `file:line:col: severity code: message` with a code frame and hint, or as JSON. Text from
// the storyboard is printed with its control characters escaped (escape-control.ts): it goes to a terminal.
import type { Diagnostic, Span } from './diagnostic.js';
import { escapeControl } from './escape-control.js';

/** Line and column (both 1-based) of a character offset. */
interface Position {
  readonly line: number;
  readonly col: number;
}

/** Start offsets of every line in a text, for offset → line:col conversion. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  /** 1-based line and column of `offset` (columns count UTF-16 units). */
  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: o - (this.starts[lo] ?? 0) + 1 };
  }

  /** The text of a 1-based line, without its newline. */
  lineText(line: number): string {
    const start = this.starts[line - 1] ?? this.text.length;
    const next = this.starts[line];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, '');
  }
}

/** Options for rendering diagnostics. */
export interface FormatOptions {
  /** Source texts by `Span.file`, for positions and code frames. */
  readonly sources: ReadonlyMap<string, string>;
  /** Print a code frame under each diagnostic (default true). */
  readonly codeFrame?: boolean;
}

const MAX_FRAME_WIDTH = 160;

/** `file:line:col` of a span, or just the file when its text is unknown. */
function formatLocation(span: Span, index: LineIndex | undefined): string {
  const file = escapeControl(span.file);
  if (!index) return file;
  const p = index.position(span.start);
  return `${file}:${p.line}:${p.col}`;
}

/** The source line under a span and its `^^^` underline; escaped control characters widen the line, so the caret is measured on the escaped text. */
function codeFrame(span: Span, index: LineIndex): string[] {
  const start = index.position(span.start);
  const end = index.position(Math.max(span.start, span.end - 1));
  const raw = index.lineText(start.line);
  // long lines are shown as a window around the caret
  const from = start.col > MAX_FRAME_WIDTH - 40 ? start.col - 41 : 0;
  const visible = raw.slice(from, from + MAX_FRAME_WIDTH);
  const line = (from > 0 ? '…' : '') + escapeControl(visible) + (from + MAX_FRAME_WIDTH < raw.length ? '…' : '');
  const gutter = String(start.line);
  const lastCol = end.line === start.line ? end.col : raw.length;
  const underlined = raw.slice(start.col - 1, Math.max(start.col, Math.min(lastCol, from + MAX_FRAME_WIDTH)));
  const width = Math.max(1, escapeControl(underlined).length);
  const lead = ((from > 0 ? '…' : '') + escapeControl(raw.slice(from, start.col - 1))).replace(/[^\t]/g, ' ');
  return [`${gutter} | ${line}`, `${' '.repeat(gutter.length)} | ${lead}${'^'.repeat(width)}`];
}

/** Renders one diagnostic as `file:line:col: severity code: message`, a code frame, related spans and a hint. */
function formatDiagnostic(d: Diagnostic, options: FormatOptions, indexes = new Map<string, LineIndex>()): string {
  const indexFor = (file: string): LineIndex | undefined => {
    let idx = indexes.get(file);
    if (!idx) {
      const text = options.sources.get(file);
      if (text === undefined) return undefined;
      idx = new LineIndex(text);
      indexes.set(file, idx);
    }
    return idx;
  };
  const lines: string[] = [];
  const where = d.span ? formatLocation(d.span, indexFor(d.span.file)) + ': ' : '';
  lines.push(`${where}${d.severity} ${d.code}: ${escapeControl(d.message)}`);
  const idx = d.span ? indexFor(d.span.file) : undefined;
  if (d.span && idx && options.codeFrame !== false) lines.push(...codeFrame(d.span, idx));
  for (const r of d.related ?? []) {
    const ridx = indexFor(r.span.file);
    lines.push(`  ${formatLocation(r.span, ridx)}: note: ${escapeControl(r.message)}`);
  }
  if (d.hint) lines.push(`  hint: ${escapeControl(d.hint)}`);
  return lines.join('\n');
}

/** Renders many diagnostics, separated by blank lines. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], options: FormatOptions): string {
  const indexes = new Map<string, LineIndex>();
  return diagnostics.map((d) => formatDiagnostic(d, options, indexes)).join('\n\n');
}

/** A JSON-friendly view of a diagnostic with 1-based positions resolved. */
export interface DiagnosticJson {
  code: string;
  severity: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  hint?: string;
  related?: { message: string; file: string; line?: number; column?: number }[];
}

/** Converts diagnostics to plain JSON objects with line/column positions. */
export function diagnosticsToJson(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): DiagnosticJson[] {
  const indexes = new Map<string, LineIndex>();
  const pos = (span: Span): { line?: number; column?: number; endLine?: number; endColumn?: number } => {
    const text = sources.get(span.file);
    if (text === undefined) return {};
    let idx = indexes.get(span.file);
    if (!idx) indexes.set(span.file, (idx = new LineIndex(text)));
    const s = idx.position(span.start);
    const e = idx.position(span.end);
    return { line: s.line, column: s.col, endLine: e.line, endColumn: e.col };
  };
  return diagnostics.map((d) => ({
    code: d.code,
    severity: d.severity,
    message: d.message,
    ...(d.span ? { file: d.span.file, ...pos(d.span) } : {}),
    ...(d.hint ? { hint: d.hint } : {}),
    ...(d.related?.length ? { related: d.related.map((r) => ({ message: r.message, file: r.span.file, ...pos(r.span) })) } : {}),
  }));
}
