/**
 * Recognises a USB barcode/QR scanner in keyboard-wedge mode: it "types" the code much faster than
 * a person and ends with Enter. Pure (no DOM), so it is unit tested with synthetic timings.
 */
export interface WedgeKey {
  key: string;
  code: string;
  shiftKey: boolean;
  /** Milliseconds (event.timeStamp). */
  time: number;
}

export interface WedgeOptions {
  /** Shortest code accepted as a scan. */
  minLength: number;
  /**
   * Half of a scan's key gaps are at most this long (people type 100+ ms apart). The median, not
   * the mean, so a busy machine's occasional hiccup inside a burst does not break a scan.
   */
  maxMedianGapMs: number;
  /** No single gap longer than this inside a scan (a longer pause starts over). */
  maxGapMs: number;
}

export const DEFAULT_WEDGE: WedgeOptions = { minLength: 6, maxMedianGapMs: 40, maxGapMs: 500 };

/**
 * The character a key stands for, from the physical key when a Korean IME turned it into jamo
 * (a scanner types "RS-…" on a laptop whose keyboard is in 한글 mode).
 */
export function wedgeChar(k: Pick<WedgeKey, 'key' | 'code' | 'shiftKey'>): string | null {
  if (k.key.length === 1 && k.key >= ' ' && k.key <= '~') return k.key;
  const letter = /^Key([A-Z])$/.exec(k.code);
  if (letter) return k.shiftKey ? letter[1]! : letter[1]!.toLowerCase();
  const digit = /^(?:Digit|Numpad)(\d)$/.exec(k.code);
  if (digit) return digit[1]!;
  if (k.code === 'Minus' || k.code === 'NumpadSubtract') return '-';
  return null;
}

export class WedgeDetector {
  private chars: string[] = [];
  private times: number[] = [];

  constructor(private readonly opts: WedgeOptions = DEFAULT_WEDGE) {}

  /** Feeds one keydown. Answers the scanned code on the Enter that ends a fast burst, else null. */
  key(k: WedgeKey): string | null {
    if (k.key === 'Enter') {
      const code = this.burst(k.time);
      this.reset();
      return code;
    }
    const ch = wedgeChar(k);
    if (ch === null) {
      if (k.key !== 'Shift') this.reset();
      return null;
    }
    const last = this.times[this.times.length - 1];
    if (last !== undefined && k.time - last > this.opts.maxGapMs) this.reset();
    this.chars.push(ch);
    this.times.push(k.time);
    return null;
  }

  /** Length of the burst in progress: the screen uses it to take the scanned text back out of a field. */
  get pending(): number {
    return this.chars.length;
  }

  reset(): void {
    this.chars = [];
    this.times = [];
  }

  private burst(enterTime: number): string | null {
    const n = this.chars.length;
    if (n < this.opts.minLength) return null;
    const times = [...this.times, enterTime];
    const gaps: number[] = [];
    for (let i = 1; i < times.length; i++) gaps.push(times[i]! - times[i - 1]!);
    if (Math.max(...gaps) > this.opts.maxGapMs) return null;
    gaps.sort((a, b) => a - b);
    if (gaps[Math.floor(gaps.length / 2)]! > this.opts.maxMedianGapMs) return null;
    return this.chars.join('');
  }
}
