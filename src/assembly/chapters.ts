// The film's chapters (one per scene) as ffmetadata text, muxed into the MP4 with `-map_chapters`.
import type { StitchJob } from '../compiler/plan/types.js';

/** ffmetadata text with one chapter per scene (ms timebase) and the film's title, for `-map_chapters`. */
export function toFfmetadata(stitch: Pick<StitchJob, 'chapters'>, title?: string): string {
  const esc = (s: string): string => s.replace(/([=;#\\\n])/g, '\\$1');
  const lines = [';FFMETADATA1'];
  if (title) lines.push(`title=${esc(title)}`);
  for (const c of stitch.chapters) {
    lines.push('[CHAPTER]', 'TIMEBASE=1/1000', `START=${Math.round(c.start * 1000)}`, `END=${Math.round(c.end * 1000)}`, `title=${esc(c.title)}`);
  }
  return lines.join('\n') + '\n';
}
