// Per-clip abort signals hanging off the run's signal by one shared listener: every request and wait of a clip
// listens to its own signal, so the run's signal never collects a listener per running operation (Node warns
// "MaxListenersExceededWarning" past ten).

/** A clip's signal and the function that detaches it once the clip is done. */
export interface ClipSignal {
  readonly signal: AbortSignal;
  readonly done: () => void;
}

/** Hands out child signals of parent signals, with one abort listener per parent while any child is live. */
export class ClipSignals {
  private readonly live = new Map<AbortSignal, { readonly children: Set<AbortController>; readonly onAbort: () => void }>();

  /** A signal that aborts when `parent` does; call `done` when the clip no longer needs it. */
  child(parent: AbortSignal): ClipSignal {
    const controller = new AbortController();
    if (parent.aborted) {
      controller.abort(parent.reason);
      return { signal: controller.signal, done: () => undefined };
    }
    let entry = this.live.get(parent);
    if (!entry) {
      const children = new Set<AbortController>();
      const onAbort = (): void => {
        this.live.delete(parent);
        for (const c of children) c.abort(parent.reason);
      };
      entry = { children, onAbort };
      this.live.set(parent, entry);
      parent.addEventListener('abort', onAbort, { once: true });
    }
    const { children } = entry;
    children.add(controller);
    return {
      signal: controller.signal,
      done: () => {
        if (!children.delete(controller) || children.size > 0) return;
        const current = this.live.get(parent);
        if (current?.children !== children) return;
        this.live.delete(parent);
        parent.removeEventListener('abort', current.onAbort);
      },
    };
  }
}
