// What the task machinery (journal, create, reconcile, upload) needs of the clip or still whose task it handles:
// both a clip's RenderRequest and a still's StillRenderRequest are one.
import type { OnRepair } from '../../diagnostics/repair.js';
import type { ClipInput, InputName } from '../../compiler/plan/types.js';
import type { BackendNotice, ResolvedInput, TaskJournal } from '../backend.js';

/** What is made: a clip (video) or a still (image); messages name it so. */
export type Subject = 'clip' | 'still';

/** A clip's or still's request as the task machinery sees it (RenderRequest and StillRenderRequest both fit). */
export interface TaskRequest {
  readonly job: {
    readonly id: string;
    readonly inputs: readonly ClipInput[];
    readonly request: { readonly path: string; readonly body: { readonly model: string } };
  };
  /** Content key (cache and journal key). */
  readonly key: string;
  readonly inputs: ReadonlyMap<InputName, ResolvedInput>;
  readonly journal: TaskJournal;
  readonly signal: AbortSignal;
  readonly onRepair?: OnRepair;
  readonly onNotice?: (notice: BackendNotice) => void;
  readonly onProgress?: (fraction: number) => void;
  readonly releaseSlot?: () => void;
}
