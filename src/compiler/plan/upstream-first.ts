// Dependency order for continuity graphs (scenes by `continues`, clips by `dependsOn`), walked with an explicit
// stack: a chain may be 100,000 links long, far deeper than the call stack.

/**
 * `items` ordered so that each comes after the items it depends on, otherwise in the given order: the order a
 * depth-first walk that visits an item's upstream items before placing it gives. Ids that name no item are
 * ignored; an item on a cycle is placed once, when the walk comes back to it (callers reject cycles earlier).
 */
export function upstreamFirst<T>(items: readonly T[], idOf: (item: T) => string, upstreamOf: (item: T) => readonly string[]): T[] {
  const byId = new Map<string, T>();
  for (const item of items) if (!byId.has(idOf(item))) byId.set(idOf(item), item);
  const seen = new Set<string>();
  const out: T[] = [];
  const stack: { item: T; upstream: readonly string[]; next: number }[] = [];
  const enter = (item: T): void => {
    seen.add(idOf(item));
    stack.push({ item, upstream: upstreamOf(item), next: 0 });
  };
  for (const root of items) {
    if (seen.has(idOf(root))) continue;
    enter(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as (typeof stack)[number];
      if (top.next < top.upstream.length) {
        const up = byId.get(top.upstream[top.next++] as string);
        if (up !== undefined && !seen.has(idOf(up))) enter(up);
      } else {
        stack.pop();
        out.push(top.item);
      }
    }
  }
  return out;
}
