// Filter-graph chains that draw labelled thumbnails (thumbnail-layout.ts) over a picture: each input image, or a
// video's first frame, fitted into its box, with its label under it; a box without a picture (an input the
// emulator could not read) is drawn grey. Pure: returns chains for `-filter_complex`, joined with ';'.
import { filter } from '../preview/preview-filters.js';
import type { ThumbnailLayout } from './thumbnail-layout.js';

/** One thumbnail: the ffmpeg input index of its picture (if any) and its label. */
export interface Thumbnail {
  readonly input?: number;
  readonly label: string;
}

/** Background of a box around a picture of another shape, and of a box without a picture. */
const BOX_COLOR = '0x202020';
const EMPTY_COLOR = '0x606060';

/**
 * Chains taking the stream labelled `from` to `to` with every thumbnail drawn; `enable` (a timeline expression)
 * limits them to some frames of a video.
 */
export function thumbnailChains(from: string, to: string, thumbs: readonly Thumbnail[], layout: ThumbnailLayout, fontFile: string, enable?: string): string[] {
  const chains: string[] = [];
  let current = from;
  thumbs.forEach((thumb, k) => {
    const slot = layout.slots[k];
    if (!slot) return;
    const next = k === thumbs.length - 1 ? to : `[th${k}]`;
    const s = layout.size;
    let drawn = current;
    if (thumb.input !== undefined) {
      chains.push([
        `[${thumb.input}:v:0]trim=end_frame=1`,
        filter('scale', { w: s, h: s, force_original_aspect_ratio: 'decrease' }),
        filter('pad', { w: s, h: s, x: '(ow-iw)/2', y: '(oh-ih)/2', color: BOX_COLOR }),
        'setsar=1',
      ].join(',') + `[tp${k}]`);
      chains.push(`${current}[tp${k}]${filter('overlay', { x: slot.x, y: slot.y, eof_action: 'repeat', enable })}[to${k}]`);
      drawn = `[to${k}]`;
    }
    const box = thumb.input === undefined ? [filter('drawbox', { x: slot.x, y: slot.y, w: s, h: s, color: EMPTY_COLOR, t: 'fill', enable })] : [];
    const label = filter('drawtext', {
      fontfile: fontFile, text: thumb.label, expansion: 'none', fontsize: layout.labelSize, fontcolor: 'white',
      x: slot.x, y: slot.y + s + Math.round(layout.labelSize * 0.3), box: 1, boxcolor: 'black@0.6',
      boxborderw: Math.max(2, Math.round(layout.labelSize / 5)), enable,
    });
    chains.push(`${drawn}${[...box, label].join(',')}${next}`);
    current = next;
  });
  if (thumbs.length === 0) chains.push(`${from}null${to}`);
  return chains;
}
