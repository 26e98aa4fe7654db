// An append-only log that forgets its oldest entries beyond a count or byte budget, so recording
// every request of a long test run cannot exhaust memory.

/** Entries in arrival order, oldest dropped first when over `maxItems` or `maxBytes`. */
export class BoundedLog<T> {
  private items: { value: T; bytes: number }[] = [];
  /** Index of the oldest live entry: dropping advances it, and the array is compacted now and then (amortised O(1)). */
  private head = 0;
  private total = 0;

  constructor(private readonly maxItems: number, private readonly maxBytes = Number.POSITIVE_INFINITY) {}

  /** Appends an entry weighing `bytes` (what it keeps in memory); the newest entry is always kept. */
  push(value: T, bytes = 0): void {
    this.items.push({ value, bytes });
    this.total += bytes;
    while (this.items.length - this.head > 1 && (this.items.length - this.head > this.maxItems || this.total > this.maxBytes)) {
      this.total -= this.items[this.head]?.bytes ?? 0;
      this.items[this.head] = { value: undefined as T, bytes: 0 }; // release the entry now, not at compaction
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** A copy of the entries, oldest first. */
  list(): T[] {
    return this.items.slice(this.head).map((i) => i.value);
  }

  /** What the kept entries weigh together. */
  bytes(): number {
    return this.total;
  }
}
