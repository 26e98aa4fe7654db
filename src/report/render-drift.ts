// Pure: the report's drift section. Per continuity chain, a small inline SVG chart of the colour error against the
// anchor hop by hop (as made, and after colour matching when the chain asks for it) with the seam SSIM under it,
// and the figures in a table. No script, no external asset.
import type { AnchorSource } from '../compiler/plan/types.js';
import type { DriftChain, DriftClip, DriftReport } from './collect-drift.js';
import { escapeHtml as esc } from './html.js';

/** Styles of the drift section. */
export const DRIFT_CSS = `
.chains{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:16px}
.chart{width:100%;height:auto;background:#fbfcfe;border-radius:6px}
.drifttable{border-collapse:collapse;font-size:13px;margin-top:8px;width:100%}
.drifttable th,.drifttable td{padding:2px 8px;text-align:right;border-bottom:1px solid #e6e9f0}.drifttable th:first-child,.drifttable td:first-child{text-align:left}
.legend{font-size:12.5px;color:#4a5263;margin:6px 0 0}.legend i{display:inline-block;width:14px;height:3px;margin:0 4px 3px 10px;vertical-align:middle}
`;

const [W, H] = [540, 220];
const PLOT = { left: 44, right: 16, top: 14, error: 120, gap: 26, ssim: 40 };
const COLOURS = { made: '#e0454f', matched: '#2fa66a', ssim: '#4f7cff', grid: '#d5d9e2', text: '#6b7385' } as const;

/** The anchor for people: `still mara-sheet`, `file keyframe.png`, `clip hop1`. */
export function anchorLabel(anchor: AnchorSource): string {
  if ('still' in anchor) return `still ${anchor.still}`;
  if ('clip' in anchor) return `first clip ${anchor.clip}`;
  if ('file' in anchor) return `file ${anchor.file}`;
  return `URL ${anchor.url}`;
}

/** The drift section: one card per chain (empty when the plan has no chain). */
export function driftSection(drift: DriftReport | undefined): string {
  if (!drift || drift.chains.length === 0) return '';
  return `<section id="drift"><h2>Drift along continuity chains <small>against each chain's anchor, measured on the film</small></h2>
<div class="chains">${drift.chains.map(chainCard).join('\n')}</div><p class="note">${esc(drift.measure)}</p></section>`;
}

function chainCard(chain: DriftChain): string {
  const last = chain.clips.at(-1);
  const ratio = last?.colourErrorMatched !== undefined && last.colourError > 0 ? ` · last hop ${fmt(last.colourErrorMatched / last.colourError, 2)}× of unmatched` : '';
  return `<article class="panel" data-chain="${esc(chain.root)}"><p><strong>${esc(chain.root)}</strong> · anchor: ${esc(anchorLabel(chain.anchor))} · colour match ${chain.colourMatch ? 'on' : 'off'}${esc(ratio)}</p>
${chart(chain.clips)}
<p class="legend"><i style="background:${COLOURS.made}"></i>colour error as made${chain.colourMatch ? `<i style="background:${COLOURS.matched}"></i>after matching` : ''}<i style="background:${COLOURS.ssim}"></i>seam SSIM</p>
${table(chain)}</article>`;
}

/** Colour error per hop (upper plot) and seam SSIM per hop (lower plot, 0.5–1). */
function chart(clips: readonly DriftClip[]): string {
  const n = Math.max(1, clips.length - 1);
  const x = (i: number): number => PLOT.left + (i * (W - PLOT.left - PLOT.right)) / n;
  const top = Math.max(1, ...clips.flatMap((c) => [c.colourError, c.colourErrorMatched ?? 0]));
  const yErr = (v: number): number => PLOT.top + PLOT.error * (1 - v / top);
  const ssimTop = PLOT.top + PLOT.error + PLOT.gap;
  const ySsim = (v: number): number => ssimTop + PLOT.ssim * (1 - Math.max(0, Math.min(1, (v - 0.5) / 0.5)));
  const line = (points: readonly (readonly [number, number])[], colour: string, name: string): string => (points.length === 0 ? '' : `<polyline data-series="${name}" fill="none" stroke="${colour}" stroke-width="2" points="${points.map(([a, b]) => `${fmt(a, 1)},${fmt(b, 1)}`).join(' ')}"/>`
    + points.map(([a, b]) => `<circle cx="${fmt(a, 1)}" cy="${fmt(b, 1)}" r="3" fill="${colour}"/>`).join(''));
  const made = clips.map((c, i) => [x(i), yErr(c.colourError)] as const);
  const matched = clips.flatMap((c, i) => (c.colourErrorMatched === undefined ? (c.colourMatched ? [] : i === 0 ? [[x(i), yErr(c.colourError)] as const] : []) : [[x(i), yErr(c.colourErrorMatched)] as const]));
  const ssim = clips.flatMap((c, i) => (c.seamSsim === undefined ? [] : [[x(i), ySsim(c.seamSsim)] as const]));
  const text = (tx: number, ty: number, s: string, anchor = 'end'): string => `<text x="${fmt(tx, 1)}" y="${fmt(ty, 1)}" font-size="10" fill="${COLOURS.text}" text-anchor="${anchor}">${esc(s)}</text>`;
  const grid = [0, 0.5, 1].map((f) => `<line x1="${PLOT.left}" x2="${W - PLOT.right}" y1="${fmt(yErr(top * f), 1)}" y2="${fmt(yErr(top * f), 1)}" stroke="${COLOURS.grid}"/>${text(PLOT.left - 4, yErr(top * f) + 3, fmt(top * f, 1))}`).join('')
    + [0.5, 1].map((v) => `<line x1="${PLOT.left}" x2="${W - PLOT.right}" y1="${ySsim(v)}" y2="${ySsim(v)}" stroke="${COLOURS.grid}"/>${text(PLOT.left - 4, ySsim(v) + 3, v.toFixed(1))}`).join('')
    + clips.map((c, i) => text(x(i), H - 4, `hop ${c.hop}`, 'middle')).join('');
  const hasMatched = clips.some((c) => c.colourErrorMatched !== undefined);
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="colour error and seam SSIM per hop">${grid}`
    + `${text(PLOT.left, PLOT.top - 3, 'colour error (levels)', 'start')}${text(PLOT.left, ssimTop - 3, 'seam SSIM', 'start')}`
    + `${line(made, COLOURS.made, 'made')}${hasMatched ? line(matched, COLOURS.matched, 'matched') : ''}${line(ssim, COLOURS.ssim, 'ssim')}</svg>`;
}

function table(chain: DriftChain): string {
  const head = ['clip', 'hop', 'colour error', ...(chain.colourMatch ? ['matched'] : []), 'Δ luma', 'sharpness × anchor', 'seam SSIM', 'seam colour jump'];
  const rows = chain.clips.map((c) => [
    c.id, String(c.hop), fmt(c.colourError, 2), ...(chain.colourMatch ? [c.colourErrorMatched === undefined ? '—' : fmt(c.colourErrorMatched, 2)] : []),
    fmt(c.lumaDifference, 1), fmt(c.sharpnessRatio, 2), c.seamSsim === undefined ? '—' : fmt(c.seamSsim, 4), c.seamColourError === undefined ? '—' : fmt(c.seamColourError, 2),
  ]);
  return `<table class="drifttable"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r, i) => `<tr data-clip="${esc(chain.clips[i]?.id ?? '')}">${r.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function fmt(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toFixed(digits) : '∞';
}
