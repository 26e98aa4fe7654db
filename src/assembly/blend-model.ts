// What a frame code looks like inside a transition window: xfade's formulas (libavfilter/vf_xfade.c) applied
// to the two clips' code patches. xfade's progress runs from 1 (all outgoing clip) down towards 0 over the
// window, so the window's frame s of n has progress 1 − s/n. Pure.
import { CODE_COLUMNS, codeBit, HIGH_LEVEL, LOW_LEVEL, type FrameCode, type MappedPatch } from '../media/frame-code.js';

/** How much of the outgoing (a) and incoming (b) picture one cell shows; undefined when an edge crosses it. */
type CellMix = { readonly a: number; readonly b: number } | undefined;

function smoothstep(edge0: number, edge1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - edge0) / (edge1 - edge0)));
  return t * t * (3 - 2 * t);
}

/** The share of each picture in a cell spanning [x0,x1)×[y0,y1) of a W×H film at `progress`. */
function cellMix(transition: string, progress: number, film: { width: number; height: number }, box: { x0: number; x1: number; y0: number; y1: number }): CellMix {
  const p = progress;
  // wipes: a pixel shows the incoming clip on one side of a moving edge (z), the outgoing one on the other
  const side = (lo: number, hi: number, z: number, incomingAbove: boolean): CellMix => {
    if (lo > z) return incomingAbove ? { a: 0, b: 1 } : { a: 1, b: 0 };
    if (hi <= z + 1) return incomingAbove ? { a: 1, b: 0 } : { a: 0, b: 1 };
    return undefined;
  };
  switch (transition) {
    case 'fade':
      return { a: p, b: 1 - p };
    case 'fadeblack':
      return { a: p * smoothstep(0.8, 1, p), b: (1 - p) * (1 - smoothstep(0.2, 1, p)) };
    case 'wipeleft':
      return side(box.x0, box.x1, Math.trunc(film.width * p), true);
    case 'wiperight':
      return side(box.x0, box.x1, Math.trunc(film.width * (1 - p)), false);
    case 'wipeup':
      return side(box.y0, box.y1, Math.trunc(film.height * p), true);
    case 'wipedown':
      return side(box.y0, box.y1, Math.trunc(film.height * (1 - p)), false);
    default:
      return undefined;
  }
}

/**
 * The contrast each column of `patch` should show at window frame `step` of `steps`, blending code `a` into
 * code `b` (both drawn at the same place); undefined for a column an edge crosses. A cell's sampled middle
 * (half its size) is what counts.
 */
export function blendContrasts(transition: string, step: number, steps: number, patch: MappedPatch, film: { width: number; height: number }, a: FrameCode, b: FrameCode): (number | undefined)[] {
  const progress = 1 - step / steps;
  const level = (code: FrameCode, c: number, top: boolean): number => ((codeBit(code, c) === 1) === top ? HIGH_LEVEL : LOW_LEVEL);
  return Array.from({ length: CODE_COLUMNS }, (_, c) => {
    const cx = patch.x + (c + 0.5) * patch.cellX;
    const cells = [true, false].map((top) => {
      const cy = patch.y + (top ? 0.5 : 1.5) * patch.cellY;
      const box = { x0: cx - patch.cellX / 4, x1: cx + patch.cellX / 4, y0: cy - patch.cellY / 4, y1: cy + patch.cellY / 4 };
      const mix = cellMix(transition, progress, film, box);
      return mix && mix.a * level(a, c, top) + mix.b * level(b, c, top) + (1 - mix.a - mix.b) * 16;
    });
    const [top, bottom] = cells;
    return top === undefined || bottom === undefined ? undefined : top - bottom;
  });
}

/** Whether xfade formulas for this transition are modelled here. */
export function modelledTransition(transition: string): boolean {
  return ['fade', 'fadeblack', 'wipeleft', 'wiperight', 'wipeup', 'wipedown'].includes(transition);
}
