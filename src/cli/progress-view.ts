// Shows the runner's events while rendering: redrawn bars on a TTY, plain lines in logs and pipes, or JSON
// lines (`--json`).
import { escapeControl } from '../diagnostics/escape-control.js';
import type { RunEvent } from '../runner/events.js';
import type { Output } from './output.js';

/** Shows run events: redrawn bars on a TTY, one plain line per event otherwise, or JSON lines. */
export interface ProgressView {
  onEvent(e: RunEvent): void;
  /** Stops redrawing (leaves the last frame on screen). */
  close(): void;
}

/** One JSON object per line (`--json`). */
export function jsonView(out: Output): ProgressView {
  return { onEvent: (e) => out.out(JSON.stringify(e)), close: () => undefined };
}

/** Plain lines for logs and pipes: no redraws, no progress noise. */
export function lineView(out: Output): ProgressView {
  const say = (e: RunEvent): string | undefined => {
    switch (e.type) {
      case 'cached': return `cached    ${e.clip}`;
      case 'started': return `rendering ${e.clip}`;
      case 'rendered': return `rendered  ${e.clip} (${e.seconds} s in ${(e.wallMs / 1000).toFixed(1)} s)`;
      case 'failed': return `failed    ${e.clip}: ${e.message}`;
      case 'skipped': return `skipped   ${e.clip}: ${e.reason}`;
      case 'notice': return `${e.kind.padEnd(9)} ${e.clip}: ${e.message}`;
      case 'repair': return `${e.severity === 'warning' ? 'warning  ' : 'repaired '} ${e.code}: ${e.message}`;
      case 'stitching': return `stitching ${e.output}`;
      case 'stitched': return `${e.reused ? 'unchanged' : 'wrote    '} ${e.output} (${e.duration.toFixed(2)} s)`;
      case 'verifying': return `verifying ${e.output}`;
      case 'verified': return e.ok ? `verified  ${e.output}: ${e.frames} frames, every one in place` : `FAILED    ${e.output}: verification found ${e.problems} problem${e.problems === 1 ? '' : 's'}`;
      default: return undefined;
    }
  };
  return { onEvent: (e) => { const line = say(e); if (line) out.err(line); }, close: () => undefined };
}

/** Bars per clip and overall, redrawn in place on a TTY (at most every 100 ms). */
export function ttyView(write: (s: string) => void): ProgressView {
  const clips = new Map<string, { seconds: number; fraction: number; state: string }>();
  let drawn = 0;
  let last = 0;
  let stitch = '';
  const repairs: string[] = [];
  const bar = (f: number, width = 24): string => '█'.repeat(Math.round(f * width)).padEnd(width, '░');
  const draw = (force = false): void => {
    const now = Date.now();
    if (!force && now - last < 100) return;
    last = now;
    const total = [...clips.values()].reduce((s, c) => s + c.seconds, 0) || 1;
    const done = [...clips.values()].reduce((s, c) => s + c.seconds * c.fraction, 0);
    const lines = [...repairs, ...[...clips.entries()].map(([id, c]) => `${id.padEnd(24).slice(0, 24)} ${bar(c.fraction)} ${c.state}`)];
    lines.push(`${'overall'.padEnd(24)} ${bar(done / total)} ${Math.round((100 * done) / total)}%${stitch ? `  ${stitch}` : ''}`);
    // only the redraw sequences are raw: the lines themselves are shown with control characters escaped
    write((drawn ? `\x1b[${drawn}A` : '') + lines.map((l) => `\x1b[2K${escapeControl(l)}\n`).join(''));
    drawn = lines.length;
  };
  return {
    onEvent: (e) => {
      const c = 'clip' in e && e.clip !== undefined ? clips.get(e.clip) : undefined;
      if (e.type === 'queued') clips.set(e.clip, { seconds: e.seconds, fraction: 0, state: 'queued' });
      else if (c && e.type === 'started') c.state = 'rendering';
      else if (c && e.type === 'progress') c.fraction = Math.max(c.fraction, Math.min(0.99, e.fraction));
      else if (c && (e.type === 'rendered' || e.type === 'cached')) Object.assign(c, { fraction: 1, state: e.type });
      else if (c && (e.type === 'failed' || e.type === 'skipped')) c.state = e.type;
      else if (c && e.type === 'notice') c.state = e.message.length > 60 ? `${e.message.slice(0, 59)}…` : e.message;
      else if (e.type === 'repair') repairs.push(`${e.severity === 'warning' ? 'warning' : 'repaired'} ${e.code}: ${e.message}`);
      else if (e.type === 'stitching') stitch = 'stitching…';
      else if (e.type === 'stitched') stitch = e.reused ? 'film unchanged' : 'film written';
      else if (e.type === 'verifying') stitch = 'verifying…';
      else if (e.type === 'verified') stitch = e.ok ? `film verified (${e.frames} frames)` : 'film FAILED verification';
      draw(e.type !== 'progress');
    },
    close: () => draw(true),
  };
}
