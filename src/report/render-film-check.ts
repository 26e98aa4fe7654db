// Pure: the report's film check. The verification panel (verified ✓, failed ✗ with every problem in red with its
// film frames and times, or "not verified" — never a green check without a verification) and every join of the
// film measured on the film: continuity seams judged against the threshold, cuts and transitions shown as facts.
import type { ReportFilmCheck, ReportSeam } from './collect-film-check.js';
import type { ReportData } from './collect-report.js';
import { escapeHtml as esc, figureHtml, messageHtml } from './html.js';

/** Styles of the film check panel and the join cards. */
export const FILM_CHECK_CSS = `
.good{color:#7ee2a8}.warn{color:#ffd27a}
.check{border-left:6px solid #8a93a6}.check.verified{border-color:#2fa66a}.check.failed{border-color:#e0454f;background:#fff5f5}.check.not-verified{border-color:#d9a514}
.verdict{margin:0 0 8px;font-size:18px;font-weight:650}.verified .verdict{color:#1f8a54}.failed .verdict{color:#c9303a}.not-verified .verdict{color:#8a5a00}
.checkfacts{display:grid;grid-template-columns:auto 1fr;gap:2px 14px;margin:0;font-size:13.5px}.checkfacts dt{color:#6b7385}.checkfacts dd{margin:0}
.problems{margin:12px 0 0;padding:0;list-style:none}
.problems li{margin:0 0 6px;padding:6px 10px;border-radius:6px;background:#fde2e3;color:#8c1d24;overflow-wrap:anywhere}
.problems .where{font-weight:600;margin:0 6px}
.seams{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:16px}
.seam{border:2px solid transparent}.seam.drift{border-color:#e0454f;background:#fff5f5}
.pair{display:grid;grid-template-columns:1fr auto 1fr;align-items:center;gap:10px}
.arrow{font-size:22px;color:#6b7385}
.score{margin:10px 0 0;display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
.ssim{font-size:18px;font-weight:650}.ok .ssim{color:#1f8a54}.drift .ssim{color:#c9303a}.info .ssim{color:#4a5263}.unknown .ssim{color:#8a93a6}
`;

/** Most problems listed in the report (`storyboard verify` lists them all). */
const SHOWN_PROBLEMS = 50;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const time = (frame: number, fps: number): string => `${(frame / fps).toFixed(3)} s`;

/** The header's "Film check" figure. */
export function filmCheckStat(data: ReportData): string {
  const c = data.filmCheck;
  const drift = data.seams.filter((s) => s.judged && s.ssim !== undefined && s.ssim < data.ssimThreshold).length;
  const driftNote = drift ? ` · <span class="bad">${plural(drift, 'seam')} drifting</span>` : '';
  const value = c.state === 'verified' ? `<span class="good">✓ verified</span> <small>${c.frames?.decoded ?? 0} of ${c.frames?.expected ?? 0} frames${driftNote}</small>`
    : c.state === 'failed' ? `<span class="bad">✗ failed</span> <small>${plural(c.problems.length, 'problem')}${driftNote}</small>`
      : '<span class="warn">not verified</span>';
  return `<div data-film-check="${c.state}"><dt>Film check</dt><dd>${value}</dd></div>`;
}

/** The verification panel: the verdict, the frame counts and, when it failed, every problem. */
export function filmCheckPanel(data: ReportData): string {
  const c = data.filmCheck;
  if (c.state === 'not-verified') {
    return `<section class="panel check not-verified" data-check="not-verified"><p class="verdict">Not verified</p><p class="note">${esc(c.reason ?? 'no verification')}: nothing in this report says the film is right.</p></section>`;
  }
  const f = c.frames ?? { expected: 0, decoded: 0, verified: 0, unchecked: 0 };
  const byCount = f.unchecked ? `, ${f.unchecked} by count and timestamps only` : '';
  const verdict = c.state === 'verified'
    ? `✓ Verified: ${f.verified} of ${f.expected} frames checked by frame code${byCount}`
    : `✗ Verification failed: ${plural(c.problems.length, 'problem')}`;
  return `<section class="panel check ${c.state}" data-check="${c.state}"><p class="verdict">${esc(verdict)}</p>
<dl class="checkfacts">${facts(c)}</dl>${c.state === 'failed' ? problemList(c) : ''}</section>`;
}

function facts(c: ReportFilmCheck): string {
  const f = c.frames ?? { expected: 0, decoded: 0, verified: 0, unchecked: 0 };
  const coded = c.clips ?? [];
  const rows: [string, string][] = [
    ['frames', `${f.decoded} decoded · ${f.expected} expected`],
    ['by frame code', `${f.verified} in place · ${f.unchecked} unchecked`],
    ['coded clips', `${coded.filter((x) => x.coded).length} of ${coded.length}`],
    ['sound', c.audio ? `${c.audio.seconds.toFixed(3)} s for ${c.audio.videoSeconds.toFixed(3)} s of picture` : 'none measured'],
  ];
  return rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('');
}

function problemList(c: ReportFilmCheck): string {
  const items = c.problems.slice(0, SHOWN_PROBLEMS).map((p) => {
    const where = p.first === undefined ? '' : p.last === undefined || p.last === p.first
      ? `frame ${p.first} · ${time(p.first, c.fps)}` : `frames ${p.first}–${p.last} · ${(p.first / c.fps).toFixed(3)}–${time(p.last, c.fps)}`;
    // frame problems begin with their own range and kind: shown once, in the columns before
    const text = p.first === undefined ? p.message : p.message.replace(/^film frames? [^:]+: [a-z-]+: /, '');
    return `<li data-kind="${esc(p.kind)}"${p.first === undefined ? '' : ` data-first="${p.first}"`}><code>film-${esc(p.kind)}</code>${where ? `<span class="where">${esc(where)}</span>` : ' '}${messageHtml(text)}</li>`;
  });
  const more = c.problems.length - SHOWN_PROBLEMS;
  return `<ul class="problems">${items.join('')}${more > 0 ? `<li>… and ${plural(more, 'more problem')}: run <code>storyboard verify</code> on the film for all of them</li>` : ''}</ul>`;
}

/** Every join of the film as a card: the film frames either side, the SSIM across it, and a verdict for continuity seams. */
export function seamsSection(data: ReportData): string {
  if (data.seams.length === 0) return '<p class="panel note">The film is one clip: it has no joins.</p>';
  return `<div class="seams">${data.seams.map((s) => seamCard(s, data)).join('\n')}</div>`;
}

function seamCard(s: ReportSeam, data: ReportData): string {
  const threshold = data.ssimThreshold;
  const fps = data.filmCheck.fps;
  const state = s.ssim === undefined ? 'unknown' : !s.judged ? 'info' : s.ssim < threshold ? 'drift' : 'ok';
  const verdict = state === 'drift' ? esc(`drift: below ${threshold}`) : state === 'ok' ? esc(`continues (≥ ${threshold})`)
    : state === 'info' ? esc(`${s.type}: a new picture, shown for information, not judged`) : messageHtml(s.error ?? 'not measured');
  const caption = (n: number | undefined, what: string): string => (n === undefined ? what : `film frame ${n} · ${time(n, fps)} · ${what}`);
  return `<article class="panel seam ${state}" data-seam="${esc(`${s.from}>${s.to}`)}" data-type="${esc(s.type)}"${s.ssim === undefined ? '' : ` data-ssim="${s.ssim.toFixed(4)}"`}>
<div class="pair">${figureHtml(s.beforeFrame, caption(s.before, `end of ${s.from}`))}<span class="arrow">→</span>${figureHtml(s.afterFrame, caption(s.after, `start of ${s.to}`))}</div>
<p class="score"><span class="badge">${esc(s.type)}</span><span class="ssim">${s.ssim === undefined ? 'SSIM n/a' : `SSIM ${s.ssim.toFixed(4)}`}</span><span class="note">${verdict}</span></p></article>`;
}
