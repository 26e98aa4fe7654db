// The options of a run of the plan's graph (backend, cache, journal, what to make, how many at once).
import type { Backend } from '../backends/backend.js';
import type { FfmpegTools } from '../media/ffmpeg-binaries.js';
import type { ClipCache } from './clip-cache.js';
import type { RunEvent } from './events.js';
import type { FileTaskJournal } from './task-journal.js';

/** Options of a run. */
export interface RunPlanOptions {
  readonly backend: Backend;
  readonly ffmpeg: FfmpegTools;
  readonly cache: ClipCache;
  readonly journal: FileTaskJournal;
  /** Directory local input paths are relative to (the storyboard's). */
  readonly baseDir: string;
  /** Most clips rendering at once overall (per-model limits come from the backend). */
  readonly concurrency?: number;
  /** Render only the clips of these scenes (and the upstream clips they need). */
  readonly only?: ReadonlySet<string>;
  /** Render even when the cache has the clip. */
  readonly force?: boolean;
  /** Fail instead of rendering anything that is not cached. */
  readonly frozen?: boolean;
  /** Make only the stills (`render --stills`: reviewed before any video is paid for). */
  readonly stillsOnly?: boolean;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: RunEvent) => void;
}
