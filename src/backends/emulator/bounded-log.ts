// An append-only log that forgets its oldest entries beyond a count or byte budget, so recording
// every request of a long test run cannot exhaust memory.

/** Entries in arrival order, oldest dropped first when over `maxItems` or `maxBytes`. */
export class BoundedLog<T> {
  private items: { value: T; bytes: number }[] = [];
  private bytes = 0;

  constructor(private readonly maxItems: number, private readonly maxBytes = Number.POSITIVE_INFINITY) {}

  /** Appends an entry weighing `bytes`. */
  push(value: T, bytes = 0): void {
    this.items.push({ value, bytes });
    this.bytes += bytes;
    let drop = 0;
    while (drop < this.items.length - 1 && (this.items.length - drop > this.maxItems || this.bytes > this.maxBytes)) {
      this.bytes -= this.items[drop]?.bytes ?? 0;
      drop++;
    }
    if (drop > 0) this.items = this.items.slice(drop);
  }

  /** A copy of the entries, oldest first. */
  list(): T[] {
    return this.items.map((i) => i.value);
  }
}
