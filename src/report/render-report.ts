// Pure: ReportData → one self-contained HTML page (inline CSS, embedded thumbnails, no script, no requests).
import type { ClipStatus, ReportClip, ReportData, ReportJoin, ReportScene } from './collect-report.js';
import type { ReportStill, StillStatus } from './collect-stills.js';
import { escapeHtml, figureHtml as frame, messageHtml as message, secs } from './html.js';
import { DRIFT_CSS, driftSection } from './render-drift.js';
import { FILM_CHECK_CSS, filmCheckPanel, filmCheckStat, seamsSection } from './render-film-check.js';

/** Scene colours on the timeline and contact sheet, by scene order. */
const PALETTE = ['#4f7cff', '#f08c3c', '#2fa66a', '#b45fd6', '#d9a514', '#1fa7b8', '#e05a7a', '#7d8a2e'] as const;

const STATUS_LABEL: Readonly<Record<ClipStatus, string>> = { rendered: 'rendered', cached: 'cached', failed: 'failed', skipped: 'skipped', 'not-run': 'not in this run' };

const CSS = `
*{box-sizing:border-box}
body{margin:0;background:#f3f4f7;color:#1c2230;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
code,.mono{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.9em}
header.top{background:#1d2330;color:#f4f6fb;padding:28px 0 24px}
.wrap{max-width:1200px;margin:0 auto;padding:0 28px}
h1{margin:0 0 4px;font-size:28px;font-weight:650;letter-spacing:-.01em}
.sub{margin:0;color:#aab3c5}.sub code{color:#e4e8f1}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px;margin:20px 0 0}
.stats div{background:#2a3142;border-radius:10px;padding:10px 14px}
.stats dt{color:#aab3c5;font-size:12px;text-transform:uppercase;letter-spacing:.06em}
.stats dd{margin:2px 0 0;font-size:20px;font-weight:600}.stats small{font-size:13px;font-weight:400;color:#aab3c5}
.bad{color:#ff8a8a}
main{padding:8px 0 40px}
h2{font-size:20px;margin:32px 0 12px;display:flex;align-items:center;gap:10px}
h2 small{font-weight:400;color:#6b7385;font-size:14px}
.swatch{display:inline-block;width:14px;height:14px;border-radius:4px}
.panel{background:#fff;border-radius:12px;padding:18px 20px;box-shadow:0 1px 3px rgba(20,30,50,.08)}
.strip{position:relative;height:56px;border-radius:8px;overflow:hidden;background:#dfe3ea}
.block{position:absolute;top:0;bottom:0;color:#fff;text-decoration:none;text-shadow:0 1px 2px rgba(0,0,0,.3);font-size:12px;padding:6px 8px;overflow:hidden;white-space:nowrap;text-overflow:ellipsis;border-right:1px solid rgba(255,255,255,.6)}
.block.missing{background-image:repeating-linear-gradient(45deg,rgba(255,255,255,.45) 0 6px,transparent 6px 12px)!important;color:#1c2230}
.block b,.block span{position:relative;z-index:1;display:block;overflow:hidden;text-overflow:ellipsis}.block b{font-weight:600}
.mark{position:absolute;top:0;bottom:0;width:2px;margin-left:-1px;background:#fff}
.mark.seam{width:6px;margin-left:-3px;border-left:2px solid #1d2330;border-right:2px solid #1d2330}
.mark.blend{min-width:6px;margin-left:0;background:rgba(255,255,255,.55);border-left:1px dashed #1d2330;border-right:1px dashed #1d2330}
.key{position:relative;display:inline-block;width:26px;height:16px;border-radius:3px;background:#8a93a6;overflow:hidden}
.key .mark{left:50%}.key .mark.blend{left:25%;width:50%}
.key.missing{background:#8a93a6 repeating-linear-gradient(45deg,rgba(255,255,255,.45) 0 6px,transparent 6px 12px)}
.labels,.axis{position:relative;height:20px;font-size:11px;color:#6b7385}
.labels span,.axis span{position:absolute;transform:translateX(-50%);white-space:nowrap}
.axis span:first-child{transform:none}.axis span:last-child{transform:translateX(-100%)}
.legend{display:flex;flex-wrap:wrap;gap:6px 18px;margin-top:10px;font-size:13px;color:#4a5263}
.legend span{display:inline-flex;align-items:center;gap:6px}
.note{color:#6b7385;font-size:13px}
figure{margin:0}figcaption{font-size:12px;color:#6b7385;margin-top:4px}
.thumb{display:block;width:100%;max-height:260px;object-fit:contain;background:#10131a;border-radius:6px}
.nothumb{display:flex;align-items:center;justify-content:center;aspect-ratio:16/9;border-radius:6px;background:#e6e8ee;color:#6b7385;font-size:13px}
.frames .nothumb.wide{grid-column:1/-1;aspect-ratio:auto;height:150px;background:repeating-linear-gradient(45deg,#eceef3 0 10px,#e3e6ec 10px 20px)}
.clip{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:20px;margin-bottom:14px;border-left:6px solid var(--c)}
.frames{display:grid;grid-template-columns:repeat(3,1fr);gap:8px;align-content:start}
.clip h3{margin:0 0 6px;font-size:17px;display:flex;gap:8px;align-items:center;flex-wrap:wrap}
.badge{font-size:12px;font-weight:600;padding:1px 8px;border-radius:999px;background:#e6e8ee;color:#4a5263}
.badge.rendered{background:#dcf3e6;color:#1f7a4a}.badge.cached{background:#e1e9fb;color:#2f55b4}
.badge.failed{background:#fde2e3;color:#b4232c}.badge.skipped{background:#fdf0d5;color:#8a5a00}
.label{margin:12px 0 4px;font-size:12px;color:#6b7385;text-transform:uppercase;letter-spacing:.05em}
.prompt{margin:0;padding:8px 12px;background:#f6f7fa;border-radius:8px;white-space:pre-wrap;overflow-wrap:anywhere}
.prompt.actual{background:#fbf7ea}
.facts{display:grid;grid-template-columns:auto 1fr;gap:2px 14px;margin:0;font-size:13.5px}
.facts dt{color:#6b7385}.facts dd{margin:0;overflow-wrap:anywhere}
.error{margin:0 0 10px;padding:8px 12px;border-radius:8px;background:#fde2e3;color:#8c1d24;overflow-wrap:anywhere;white-space:pre-wrap}
.error.skipped,.error.not-run{background:#fdf0d5;color:#6b4600}
.stills{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:14px}
.still h3{margin:8px 0 4px;font-size:15px;display:flex;gap:8px;align-items:center;flex-wrap:wrap}
.badge.made{background:#dcf3e6;color:#1f7a4a}
@media (max-width:860px){.clip{grid-template-columns:1fr}.seams{grid-template-columns:1fr}}
`;

const LEGEND_KEYS = ['<span><i class="key"><i class="mark cut"></i></i>cut</span>',
  '<span><i class="key"><i class="mark seam"></i></i>seam: starts on the last frame</span>',
  '<span><i class="key"><i class="mark blend"></i></i>transition (overlap)</span>',
  '<span><i class="key missing"></i>clip missing</span>'].join('');

const esc = escapeHtml;
const usd = (d: number): string => `$${d.toFixed(2)}`;
const pct = (x: number, total: number): string => `${Number(((100 * x) / (total || 1)).toFixed(4))}%`;

/** The render report as one self-contained HTML page: same data, same bytes. */
export function renderReport(data: ReportData): string {
  const colours = new Map(data.scenes.map((s, i) => [s.id, PALETTE[i % PALETTE.length] ?? PALETTE[0]]));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(`Render report: ${data.title}`)}</title><style>${CSS}${FILM_CHECK_CSS}${DRIFT_CSS}</style></head>
<body>${header(data)}
<main class="wrap">
<h2>Timeline</h2>${timeline(data, colours)}
<h2>Film verification <small>the film decoded and checked frame by frame against its timeline</small></h2>${filmCheckPanel(data)}
<h2>Joins, measured on the film <small>the last film frame before each join | the first after it</small></h2>${seamsSection(data)}
${driftSection(data.drift)}
${stillsSection(data)}
${data.scenes.map((s) => scene(data, s, colours.get(s.id) ?? PALETTE[0])).join('\n')}
</main></body></html>
`;
}

function header(data: ReportData): string {
  const t = data.totals;
  const problems = [t.failed ? `${t.failed} failed` : '', t.skipped ? `${t.skipped} skipped` : ''].filter(Boolean).join(' · ');
  const film = data.film.assembled ? `${secs(data.film.duration)}` : '<span class="bad">not assembled</span>';
  return `<header class="top"><div class="wrap">
<h1>${esc(data.title)}</h1>
<p class="sub">storyboard <code>${esc(data.storyboard)}</code> · film <code>${esc(data.film.file)}</code> · backend <code>${esc(data.backend)}</code></p>
<dl class="stats">
<div><dt>Film</dt><dd>${film} <small>${t.clips} clips</small></dd></div>
<div><dt>Clips</dt><dd>${t.rendered} rendered · ${t.cached} cached${problems ? ` <small class="bad">${esc(problems)}</small>` : ''}</dd></div>
<div><dt>Generated</dt><dd>${secs(t.seconds)} <small>of ${secs(t.planSeconds)} planned</small></dd></div>
${filmCheckStat(data)}
<div><dt>Estimated cost</dt><dd>${usd(t.costUsd)} <small>whole plan ${usd(t.planCostUsd)}</small></dd></div>
</dl></div></header>`;
}

function timeline(data: ReportData, colours: ReadonlyMap<string, string>): string {
  const clips = data.scenes.flatMap((s) => s.clips).sort((a, b) => a.start - b.start);
  const total = clips.reduce((most, c) => Math.max(most, c.start + c.plannedDuration), 0);
  const blocks = clips.map((c, i) => {
    const end = Math.min(clips[i + 1]?.start ?? total, c.start + c.plannedDuration);
    const missing = c.status === 'failed' || c.status === 'skipped' || c.status === 'not-run';
    const tip = `${c.id}: ${secs(c.start)}–${secs(c.start + c.plannedDuration)} (${STATUS_LABEL[c.status]})`;
    return `<a class="block${missing ? ' missing' : ''}" href="#clip-${esc(c.id)}" title="${esc(tip)}" style="left:${pct(c.start, total)};width:${pct(end - c.start, total)};background:${colours.get(c.scene) ?? PALETTE[0]}"><b>${esc(c.id)}</b><span>${secs(c.plannedDuration)}</span></a>`;
  });
  const marks = data.joins.map((j) => joinMark(j, total));
  const labels = data.joins.filter((j) => j.type !== 'cut').map((j) => `<span style="left:${pct(j.at + j.duration / 2, total)}">${esc(j.type)}</span>`);
  const legend = data.scenes.map((s) => `<span><i class="swatch" style="background:${colours.get(s.id) ?? PALETTE[0]}"></i>${esc(s.title)}</span>`);
  return `<div class="panel"><div class="strip">${blocks.join('')}${marks.join('')}</div>
<div class="labels">${labels.join('')}</div>
<div class="axis">${ticks(total).map((t) => `<span style="left:${pct(t, total)}">${secs(t)}</span>`).join('')}</div>
<div class="legend">${legend.join('')}${LEGEND_KEYS}</div></div>`;
}

function joinMark(j: ReportJoin, total: number): string {
  const kind = j.type === 'seam' ? 'seam' : j.type === 'cut' ? 'cut' : 'blend';
  const width = kind === 'blend' ? `;width:${pct(j.duration, total)}` : '';
  return `<i class="mark ${kind}" title="${esc(`${j.from} → ${j.to}: ${j.type}${j.duration ? ` ${secs(j.duration)}` : ''}`)}" style="left:${pct(j.at, total)}${width}"></i>`;
}

/** Round time marks: at most about ten, on a 1-2-5 step. */
function ticks(total: number): number[] {
  if (total <= 0) return [0];
  const step = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600].find((s) => total / s <= 10) ?? 1200;
  const marks: number[] = [];
  for (let t = 0; t < total - step / 3; t += step) marks.push(t);
  return [...marks, total];
}

function scene(data: ReportData, s: ReportScene, colour: string): string {
  const seconds = s.clips.reduce((n, c) => n + c.plannedDuration, 0);
  const named = s.title !== s.id ? `scene <code>${esc(s.id)}</code> · ` : '';
  return `<section class="scene" id="scene-${esc(s.id)}">
<h2><i class="swatch" style="background:${colour}"></i>${esc(s.title)} <small>${named}${s.clips.length} clip${s.clips.length === 1 ? '' : 's'} · ${secs(seconds)}</small></h2>
${s.clips.map((c) => clipCard(data, c, colour)).join('\n')}</section>`;
}

function clipCard(data: ReportData, c: ReportClip, colour: string): string {
  const f = c.frames;
  const frames = f.first || f.middle || f.last
    ? [frame(f.first, `first · 0 s`, `${c.id} first frame`), frame(f.middle, `middle · ${secs(c.duration / 2)}`, `${c.id} middle frame`), frame(f.last, `last · ${secs(c.duration)}`, `${c.id} last frame`)].join('')
    : `<div class="nothumb wide">${c.status === 'not-run' ? 'not rendered in this run' : `no video: ${STATUS_LABEL[c.status]}`}</div>`;
  const error = c.message ? `<p class="error ${c.status}"><code>${esc(`${data.storyboard}:${c.at.line}:${c.at.column}`)}</code> ${message(c.message)}</p>` : '';
  const actual = c.actualPrompt ? `<p class="label">prompt the backend used</p><p class="prompt actual">${esc(c.actualPrompt)}</p>` : '';
  return `<article class="panel clip status-${c.status}" id="clip-${esc(c.id)}" data-clip="${esc(c.id)}" style="--c:${colour}">
<div class="media"><div class="frames">${frames}</div><p class="label">prompt sent</p><p class="prompt">${esc(c.prompt)}</p>${actual}</div>
<div class="info"><h3><code>${esc(c.id)}</code><span class="badge ${c.status}">${STATUS_LABEL[c.status]}</span></h3>
${error}<dl class="facts">${facts(c)}</dl></div></article>`;
}

function facts(c: ReportClip): string {
  const rows: [string, string][] = [
    ['model', c.model],
    ['seed', `${c.seed} (${c.seedSource})`],
    ['duration', c.carried ? `${secs(c.duration)}: ${secs(c.carried)} carried from the clip it continues (not shown again), ${secs(c.duration - c.carried)} new`
      : secs(c.duration) === secs(c.plannedDuration) ? secs(c.duration) : `${secs(c.duration)} (planned ${secs(c.plannedDuration)})`],
    ['size', `${c.width}×${c.height} · ${c.resolution}${c.audio ? ' · audio' : ''}`],
    ['cost', `${usd(c.costUsd)} estimated`],
    ['in the film', `${secs(c.start)} – ${secs(c.start + c.plannedDuration)}`],
    ['source', `line ${c.at.line}, column ${c.at.column}`],
  ];
  if (c.shots.length) rows.splice(6, 0, ['shots', c.shots.join(', ')]);
  if (c.references?.length) rows.push(['references', c.references.map((r) => `${r.label} = ${r.character} (${r.kind})`).join(', ')]);
  if (c.stills?.length) rows.push(['stills', c.stills.join(', ')]);
  if (c.taskId) rows.push(['task id', c.taskId]);
  if (c.wallMs !== undefined) rows.push(['render time', `${(c.wallMs / 1000).toFixed(1)} s wall (${c.wallMs} ms)`]);
  return rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('');
}

const STILL_LABEL: Readonly<Record<StillStatus, string>> = { made: 'made', cached: 'cached', failed: 'failed', skipped: 'skipped', 'not-run': 'not in this run' };

/** The stills, each with its image, so they can be reviewed (`render --stills`) before any video is paid for. */
function stillsSection(data: ReportData): string {
  if (data.stills.length === 0) return '';
  const cost = data.stills.reduce((s, x) => s + x.costUsd, 0);
  return `<section id="stills"><h2>Stills <small>${data.stills.length} generated image${data.stills.length === 1 ? '' : 's'} · ${usd(cost)} estimated · review them before paying for video</small></h2>
<div class="stills">${data.stills.map((s) => stillCard(data, s)).join('\n')}</div></section>`;
}

function stillCard(data: ReportData, s: ReportStill): string {
  const img = s.thumbnail ? `<img class="thumb" src="${esc(s.thumbnail)}" alt="${esc(`still ${s.id}`)}">` : `<div class="nothumb">no image: ${esc(STILL_LABEL[s.status])}</div>`;
  const error = s.message ? `<p class="error ${s.status}"><code>${esc(`${data.storyboard}:${s.at.line}:${s.at.column}`)}</code> ${message(s.message)}</p>` : '';
  const stillIds = new Set(data.stills.map((x) => x.id));
  const users = s.usedBy.length ? s.usedBy.map((u) => `<a href="#${stillIds.has(u) ? 'still' : 'clip'}-${esc(u)}"><code>${esc(u)}</code></a>`).join(', ') : '<span class="bad">unused</span>';
  const actual = s.actualPrompt ? `<p class="label">prompt the backend used</p><p class="prompt actual">${esc(s.actualPrompt)}</p>` : '';
  return `<article class="panel still status-${s.status}" id="still-${esc(s.id)}" data-still="${esc(s.id)}">${img}
<h3><code>${esc(s.id)}</code><span class="badge ${s.status}">${STILL_LABEL[s.status]}</span></h3>${error}
<dl class="facts"><dt>model</dt><dd>${esc(s.model)}</dd><dt>size</dt><dd>${s.width}×${s.height}</dd><dt>seed</dt><dd>${s.seed}</dd><dt>cost</dt><dd>${usd(s.costUsd)} estimated</dd><dt>used by</dt><dd>${users}</dd>${s.taskId ? `<dt>task id</dt><dd>${esc(s.taskId)}</dd>` : ''}<dt>source</dt><dd>line ${s.at.line}, column ${s.at.column}</dd></dl>
<p class="label">prompt sent</p><p class="prompt">${esc(s.prompt)}</p>${actual}</article>`;
}
