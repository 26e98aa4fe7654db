// Builds single ffmpeg filters as filtergraph text, escaping every option value for both levels
// ffmpeg parses (filter options, then the graph), so paths and expressions need no care. Pure.
import type { PreviewLayout } from './preview-layout.js';

/** An option value: numbers are written as is, strings escaped. */
type FilterValue = string | number;

/** Characters special in a filter's option list (`key=value:key=value`) and in the filtergraph. */
const OPTION_SPECIAL = /[\\':\s]/g;
const GRAPH_SPECIAL = /[\\'[\],;\s]/g;

/**
 * Escapes an option value for `-filter_complex`: first for the option parser (\ ' : and whitespace),
 * then the result for the graph parser (\ ' [ ] , ; and whitespace). See ffmpeg-filters "Notes on
 * filtergraph escaping"; a backslash before any character makes it literal at both levels.
 */
export function escapeFilterValue(value: FilterValue): string {
  if (typeof value === 'number') return formatNumber(value);
  return value.replace(OPTION_SPECIAL, '\\$&').replace(GRAPH_SPECIAL, '\\$&');
}

/** Numbers without exponent notation or float noise (0.1 + 0.2 → "0.3"). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`Not a finite number for an ffmpeg option: ${value}`);
  return String(Number(value.toFixed(6)));
}

/** `name=k=v:k=v` with escaped values; undefined values are left out. */
export function filter(name: string, options: Readonly<Record<string, FilterValue | undefined>> = {}): string {
  const list = Object.entries(options)
    .filter((entry): entry is [string, FilterValue] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeFilterValue(value)}`);
  return list.length > 0 ? `${name}=${list.join(':')}` : name;
}

/** Which frames an overlay shows on, and how it fades in and out (frame numbers of the clip). */
export interface OverlayGate {
  /** First frame it may show on. */
  readonly from: number;
  /** First frame it no longer shows on. */
  readonly to: number;
  /** Fades in over this many frames from `from` (0: appears at once). */
  readonly fadeIn: number;
  /** Fades out over this many frames before `to` (0: disappears at once). */
  readonly fadeOut: number;
}

/** `enable` expression of a gate; undefined without one (always on). */
export function gateEnable(gate: OverlayGate | undefined): string | undefined {
  return gate ? `between(n,${gate.from},${gate.to - 1})` : undefined;
}

/** drawtext `alpha` expression for a gate, or undefined when it never fades. */
function gateAlpha(gate: OverlayGate): string | undefined {
  const terms = [
    ...(gate.fadeIn > 0 ? [`(n-${gate.from}+1)/${gate.fadeIn + 1}`] : []),
    ...(gate.fadeOut > 0 ? [`(${gate.to}-n)/${gate.fadeOut + 1}`] : []),
  ];
  if (terms.length === 0) return undefined;
  return `clip(${terms.length === 1 ? terms[0] : `min(${terms.join(',')})`},0,1)`;
}

/** One block of text drawn from a file. */
export interface TextBlock {
  readonly fontFile: string;
  readonly textFile: string;
  readonly fontSize: number;
  readonly x: string;
  readonly y: string;
  /** `%{…}` expansion on (timecode) or off (any other text: a % must stay a %). */
  readonly expand: boolean;
  readonly lineSpacing?: number;
  /** Opacity of the black box behind the text. */
  readonly boxAlpha: number;
}

/** drawtext with a translucent box, optionally gated. */
export function drawtext(block: TextBlock, layout: PreviewLayout, gate?: OverlayGate): string {
  return filter('drawtext', {
    fontfile: block.fontFile,
    textfile: block.textFile,
    expansion: block.expand ? 'normal' : 'none',
    fontsize: block.fontSize,
    fontcolor: 'white',
    line_spacing: block.lineSpacing,
    x: block.x,
    y: block.y,
    box: 1,
    boxcolor: `black@${block.boxAlpha}`,
    boxborderw: layout.boxPadding,
    alpha: gate ? gateAlpha(gate) : undefined,
    enable: gateEnable(gate),
  });
}

/** The progress bar's track along the bottom edge, with a tick where each card (shot) starts. */
export function trackBoxes(layout: PreviewLayout, cardStarts: readonly number[], frames: number, gate?: OverlayGate): string[] {
  const y = layout.height - layout.barHeight;
  const enable = gateEnable(gate);
  const track = filter('drawbox', { x: 0, y, w: layout.width, h: layout.barHeight, color: 'black@0.6', t: 'fill', enable });
  const ticks = cardStarts
    .filter((start) => start > 0)
    .map((start) => {
      const x = Math.max(0, Math.round((layout.width * start) / frames) - 1);
      return filter('drawbox', { x, y, w: 2, h: layout.barHeight, color: 'white@0.9', t: 'fill', enable });
    });
  return [track, ...ticks];
}
