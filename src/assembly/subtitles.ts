// The film's captions and dialogue cues as SubRip (.srt) and WebVTT (.vtt) text, written beside the film.
import type { Cue } from '../compiler/plan/types.js';

function stamp(seconds: number, sep: ',' | '.'): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(ms / 3600000);
  const m = Math.floor((ms % 3600000) / 60000);
  const s = Math.floor((ms % 60000) / 1000);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}${sep}${pad(ms % 1000, 3)}`;
}

/** Captions and dialogue at the same time share one cue (caption first), so players show both. */
function merged(cues: readonly Cue[]): { start: number; end: number; lines: string[] }[] {
  const out: { start: number; end: number; lines: string[] }[] = [];
  for (const c of [...cues].sort((a, b) => a.start - b.start || (a.kind === 'caption' ? -1 : 1))) {
    const last = out[out.length - 1];
    if (last && Math.abs(last.start - c.start) < 1e-6 && Math.abs(last.end - c.end) < 1e-6) last.lines.push(c.text);
    else out.push({ start: c.start, end: c.end, lines: [c.text] });
  }
  return out;
}

/** SubRip text of the film's cues. */
export function toSrt(cues: readonly Cue[]): string {
  return merged(cues).map((c, i) => `${i + 1}\n${stamp(c.start, ',')} --> ${stamp(c.end, ',')}\n${c.lines.join('\n').replace(/\n{2,}/g, '\n')}\n`).join('\n');
}

/** WebVTT text of the film's cues (`-->` in cue text is escaped so it cannot end a timing line). */
export function toVtt(cues: readonly Cue[]): string {
  const body = merged(cues).map((c) => `${stamp(c.start, '.')} --> ${stamp(c.end, '.')}\n${c.lines.join('\n').replace(/\n{2,}/g, '\n').replace(/-->/g, '--&gt;').replace(/&(?!gt;)/g, '&amp;').replace(/</g, '&lt;')}\n`);
  return ['WEBVTT', '', ...body.map((b) => b + '')].join('\n');
}
