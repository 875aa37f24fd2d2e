/**
 * The JSON text of every event's payload in a sync answer (`{"events":[{…,"payload":{…}},…],…}`), in
 * order, exactly as HQ sent it: the laptop stores a pulled payload verbatim instead of serialising
 * the parsed object again (HQ and the writing desk hold the same text; an import slice is ~75 KB).
 *
 * A scan of the structure only (strings skipped with `indexOf`, nothing decoded): the caller has
 * parsed the same text with `JSON.parse` and validated the result, so it is valid JSON. Returns null
 * when the text does not have that shape (no `events` array, an event without a plain `payload` key,
 * an event key spelled with escapes): the caller then serialises the parsed payloads as before.
 */
export function payloadTexts(text: string): string[] | null {
  try {
    return new Scanner(text).answer();
  } catch (err) {
    if (err instanceof ShapeError) return null;
    throw err;
  }
}

class ShapeError extends Error {}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

class Scanner {
  private at = 0;
  constructor(private readonly s: string) {}

  answer(): string[] {
    let texts: string[] | null = null;
    this.expect(OPEN_OBJECT);
    this.members((key) => {
      if (key === 'events') texts = this.events();
      else this.skipValue();
    });
    if (texts === null) throw new ShapeError('no events');
    return texts;
  }

  private events(): string[] {
    const texts: string[] = [];
    this.expect(OPEN_ARRAY);
    this.ws();
    if (this.peek() === CLOSE_ARRAY) {
      this.at++;
      return texts;
    }
    for (;;) {
      this.ws();
      this.expect(OPEN_OBJECT);
      let payload: string | null = null;
      this.members((key) => {
        // A key spelled with escapes may be `payload` to JSON.parse (whose value was validated) but not to
        // this scan: not the shape sent, so the parsed payloads are serialised instead.
        if (key.includes('\\')) throw new ShapeError('an escaped key');
        const start = this.at;
        this.skipValue();
        // JSON.parse keeps the last of repeated keys: so does this.
        if (key === 'payload') payload = this.s.slice(start, this.at);
      });
      if (payload === null) throw new ShapeError('an event without a payload');
      texts.push(payload);
      this.ws();
      const c = this.s.charCodeAt(this.at++);
      if (c === CLOSE_ARRAY) return texts;
      if (c !== COMMA) throw new ShapeError('events');
    }
  }

  /** The members of an object whose `{` was read, up to and including its `}`; `onValue` must read the value. */
  private members(onValue: (key: string) => void): void {
    this.ws();
    if (this.peek() === CLOSE_OBJECT) {
      this.at++;
      return;
    }
    for (;;) {
      this.ws();
      if (this.peek() !== QUOTE) throw new ShapeError('key');
      const start = this.at + 1;
      this.skipString();
      const key = this.s.slice(start, this.at - 1);
      this.ws();
      this.expect(COLON);
      this.ws();
      onValue(key);
      this.ws();
      const c = this.s.charCodeAt(this.at++);
      if (c === CLOSE_OBJECT) return;
      if (c !== COMMA) throw new ShapeError('object');
    }
  }

  /** Past one value (the text is valid JSON: only its extent is found). */
  private skipValue(): void {
    const c = this.peek();
    if (c === QUOTE) return this.skipString();
    if (c !== OPEN_OBJECT && c !== OPEN_ARRAY) {
      // A number, true, false or null: up to the next delimiter.
      while (this.at < this.s.length) {
        const d = this.s.charCodeAt(this.at);
        if (d === COMMA || d === CLOSE_OBJECT || d === CLOSE_ARRAY || d <= 0x20) return;
        this.at++;
      }
      return;
    }
    let depth = 0;
    const s = this.s;
    while (this.at < s.length) {
      const d = s.charCodeAt(this.at);
      if (d === QUOTE) {
        this.skipString();
        continue;
      }
      this.at++;
      if (d === OPEN_OBJECT || d === OPEN_ARRAY) depth++;
      else if ((d === CLOSE_OBJECT || d === CLOSE_ARRAY) && --depth === 0) return;
    }
    throw new ShapeError('unterminated');
  }

  /** Past a string whose opening quote is at `at`. */
  private skipString(): void {
    const s = this.s;
    let from = this.at + 1;
    for (;;) {
      const q = s.indexOf('"', from);
      if (q < 0) throw new ShapeError('unterminated string');
      let slashes = 0;
      while (s.charCodeAt(q - 1 - slashes) === BACKSLASH) slashes++;
      if (slashes % 2 === 0) {
        this.at = q + 1;
        return;
      }
      from = q + 1;
    }
  }

  private ws(): void {
    const s = this.s;
    while (this.at < s.length && s.charCodeAt(this.at) <= 0x20) this.at++;
  }

  private peek(): number {
    return this.s.charCodeAt(this.at);
  }

  private expect(c: number): void {
    if (this.s.charCodeAt(this.at) !== c) throw new ShapeError(`expected ${String.fromCharCode(c)}`);
    this.at++;
  }
}
