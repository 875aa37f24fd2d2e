/**
 * A list of strings kept as one string and offsets: one heap object instead of hundreds of thousands
 * (less memory, and a snapshot is read without splitting it into words). The search index and the
 * walk-in hints' name keys both keep their sorted words this way.
 */
export class PackedStrings {
  constructor(
    readonly text: string,
    readonly off: Int32Array,
  ) {}

  static of(list: readonly string[]): PackedStrings {
    const off = new Int32Array(list.length + 1);
    for (let i = 0; i < list.length; i++) off[i + 1] = off[i]! + list[i]!.length;
    return new PackedStrings(list.join(''), off);
  }

  get length(): number {
    return this.off.length - 1;
  }

  get(i: number): string {
    return this.text.slice(this.off[i], this.off[i + 1]);
  }

  /** In a sorted list: the first position whose string is not below `key` (the length if none). */
  lowerBound(key: string): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.get(mid) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The position of `s` in a sorted list, or -1. */
  find(s: string): number {
    const at = this.lowerBound(s);
    return at < this.length && this.get(at) === s ? at : -1;
  }
}
