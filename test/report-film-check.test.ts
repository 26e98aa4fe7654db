// The report's film check, pure (no media): verified / failed / not verified, and how joins are judged.
// The browser test (report-browser.test.ts) shows the same on a real render.
import { describe, expect, it } from 'vitest';
import { SEAM_SSIM_THRESHOLD, type ReportFilmCheck, type ReportSeam } from '../src/report/collect-film-check.js';
import type { ReportData } from '../src/report/collect-report.js';
import { renderReport } from '../src/report/render-report.js';

const FRAMES = { expected: 299, decoded: 299, verified: 299, unchecked: 0 };

function data(filmCheck: ReportFilmCheck, seams: readonly ReportSeam[] = []): ReportData {
  return {
    title: 'Demo', storyboard: 'demo.yaml', backend: 'preview',
    film: { file: 'out/demo.mp4', duration: 9.97, assembled: filmCheck.state !== 'not-verified' },
    totals: { clips: 2, rendered: 2, cached: 0, failed: 0, skipped: 0, seconds: 10, costUsd: 0.2, planSeconds: 10, planCostUsd: 0.2 },
    scenes: [], stills: [], joins: [], filmCheck, seams, ssimThreshold: SEAM_SSIM_THRESHOLD,
  };
}

/** The element carrying `attr` (its opening tag up to the end of its first line). */
const part = (html: string, attr: string): string => html.slice(html.indexOf(attr), html.indexOf('\n', html.indexOf(attr)));

describe('report: film check', () => {
  it('a verified film shows a check with its frame count', () => {
    const html = renderReport(data({ state: 'verified', fps: 30, frames: FRAMES, clips: [{ clip: 'a', coded: true }, { clip: 'b', coded: true }], problems: [] }));
    expect(part(html, 'data-film-check=')).toContain('<span class="good">✓ verified</span> <small>299 of 299 frames</small>');
    expect(html).toContain('<p class="verdict">✓ Verified: 299 of 299 frames checked by frame code</p>');
    expect(html).toContain('<dt>coded clips</dt><dd>2 of 2</dd>');
  });

  it('uncoded frames are counted as such, not as verified by code', () => {
    const html = renderReport(data({ state: 'verified', fps: 30, frames: { ...FRAMES, verified: 149, unchecked: 150 }, problems: [] }));
    expect(html).toContain('✓ Verified: 149 of 299 frames checked by frame code, 150 by count and timestamps only');
  });

  it('a failed verification lists every problem (escaped) with its film frames and times, and has no check mark', () => {
    const html = renderReport(data({
      state: 'failed', fps: 30, frames: { ...FRAMES, decoded: 298, verified: 100 }, problems: [
        { kind: 'frozen', first: 30, last: 59, message: 'film frames 30–59 (1.000–1.967 s): frozen: a frame 29 shown again where a frame 30 belongs (first of the run)' },
        { kind: 'stream', message: 'the film is 640×360, its timeline <832×480>' },
      ],
    }));
    expect(html).not.toContain('✓');
    expect(part(html, 'data-film-check=')).toContain('<span class="bad">✗ failed</span> <small>2 problems</small>');
    expect(html).toContain('<li data-kind="frozen" data-first="30"><code>film-frozen</code><span class="where">frames 30–59 · 1.000–1.967 s</span>a frame 29 shown again where a frame 30 belongs (first of the run)</li>');
    expect(html).toContain('<li data-kind="stream"><code>film-stream</code> the film is 640×360, its timeline &lt;832×480&gt;</li>');
  });

  it('a film that was not verified says so, never with a check mark; its joins are not measured', () => {
    const seams: ReportSeam[] = [{ from: 'a', to: 'b', type: 'seam', judged: true, error: 'not measured: the film was not assembled' }];
    const html = renderReport(data({ state: 'not-verified', reason: 'the film was not assembled', fps: 30, problems: [] }, seams));
    expect(html).not.toContain('✓');
    expect(part(html, 'data-film-check=')).toContain('<span class="warn">not verified</span>');
    expect(html).toContain('<p class="verdict">Not verified</p><p class="note">the film was not assembled: nothing in this report says the film is right.</p>');
    expect(part(html, 'data-seam=')).toBe('data-seam="a&gt;b" data-type="seam">');
    expect(html).toContain('SSIM n/a');
  });

  it('judges continuity seams against the threshold and shows cuts and transitions as information', () => {
    const seams: ReportSeam[] = [
      { from: 'a', to: 'b', type: 'seam', judged: true, before: 149, after: 150, ssim: 0.97 },
      { from: 'b', to: 'c', type: 'seam', judged: true, before: 298, after: 299, ssim: 0.62 },
      { from: 'c', to: 'd', type: 'cut', judged: false, before: 448, after: 449, ssim: 0.21 },
      { from: 'd', to: 'e', type: 'dissolve', judged: false, before: 590, after: 606, ssim: 0.4 },
    ];
    const html = renderReport(data({ state: 'verified', fps: 30, frames: FRAMES, problems: [] }, seams));
    const cards = [...html.matchAll(/<article class="panel seam (\w+)" data-seam="([^"]+)" data-type="(\w+)" data-ssim="([\d.]+)">/g)].map((m) => m.slice(1));
    expect(cards).toEqual([['ok', 'a&gt;b', 'seam', '0.9700'], ['drift', 'b&gt;c', 'seam', '0.6200'], ['info', 'c&gt;d', 'cut', '0.2100'], ['info', 'd&gt;e', 'dissolve', '0.4000']]);
    expect(html).toContain(`continues (≥ ${SEAM_SSIM_THRESHOLD})`);
    expect(html).toContain(`drift: below ${SEAM_SSIM_THRESHOLD}`);
    expect(html).toContain('cut: a new picture, shown for information, not judged');
    expect(html).toContain('<figcaption>film frame 149 · 4.967 s · end of a</figcaption>');
    expect(part(html, 'data-film-check=')).toContain('1 seam drifting');
  });
});
