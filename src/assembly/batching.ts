// Runs a film's ffmpeg work with bounded parallelism.

/**
 * Runs `fn` over `items` with at most `limit` calls in flight; results keep the items' order. After a
 * failure no new item starts, `onFail` is told (to abort the calls in flight), and the first error is
 * thrown only once every call has settled, so no ffmpeg is left writing into a folder being removed.
 */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>, onFail?: () => void): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length && !failed; i = next++) {
      try {
        results[i] = await fn(items[i] as T, i);
      } catch (e) {
        if (!failed) onFail?.();
        failed = true;
        throw e;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const rejected = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
  return results;
}
