// The events a render reports while it works (clips queued, started, progressing, cached, rendered, failed,
// skipped, the backend's notices; the film stitched and verified), shown by the CLI's progress view and the report.
import type { ClipId, SourcePosition } from '../compiler/plan/types.js';
import type { Repair } from '../diagnostics/repair.js';

/** What the runner reports while it works; the CLI renders these as progress bars, lines or JSON. */
export type RunEvent =
  /** `node: 'still'` marks a still (a generated image; `clip` is then the still's id, `seconds` 0). */
  | { readonly type: 'queued'; readonly clip: ClipId; readonly model: string; readonly seconds: number; readonly node?: 'still' }
  | { readonly type: 'started'; readonly clip: ClipId; readonly key: string; readonly node?: 'still' }
  | { readonly type: 'progress'; readonly clip: ClipId; readonly fraction: number }
  | { readonly type: 'cached'; readonly clip: ClipId; readonly key: string; readonly node?: 'still' }
  | { readonly type: 'rendered'; readonly clip: ClipId; readonly key: string; readonly seconds: number; readonly wallMs: number; readonly taskId?: string; readonly node?: 'still' }
  | { readonly type: 'failed'; readonly clip: ClipId; readonly message: string; readonly at: SourcePosition; readonly node?: 'still' }
  | { readonly type: 'skipped'; readonly clip: ClipId; readonly reason: string; readonly node?: 'still' }
  /**
   * The backend waits on the service (what for, when it tries again) or set a journal entry aside; `seam`: the clip hands
   * on the sharpest of its last frames, so the film ends it early (`seam_frame: sharpest`).
   */
  | { readonly type: 'notice'; readonly clip: ClipId; readonly kind: 'waiting' | 'journal' | 'seam'; readonly message: string }
  /** Something damaged on disk was found and repaired: a cache entry discarded to be made again, a killed run's temp files removed. */
  | ({ readonly type: 'repair' } & Repair)
  | { readonly type: 'stitching'; readonly output: string }
  | { readonly type: 'stitched'; readonly output: string; readonly duration: number; readonly sha256: string; readonly reused: boolean }
  | { readonly type: 'verifying'; readonly output: string }
  | { readonly type: 'verified'; readonly output: string; readonly ok: boolean; readonly frames: number; readonly problems: number };
