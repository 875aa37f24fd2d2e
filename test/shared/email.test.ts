import { describe, expect, it } from 'vitest';
import { Email, isEmail } from '../../shared/schemas/common';

describe('isEmail (the import’s per-row check)', () => {
  it('agrees with the Email schema on trimmed, non-empty texts', () => {
    const long = `${'a'.repeat(64)}@${'b'.repeat(177)}.example.edu`; // 254 characters: the longest allowed
    const samples = [
      'minjun.kim@kaist.ac.kr', 'a@b.co', "o'brien@example.org", 'first+tag@sub.example.edu', 'x_y-z@host-name.io',
      'no-at-sign', '@example.edu', 'a@b', 'a@b.c', 'a..b@example.edu', '.a@example.edu', 'a.@example.edu', 'a@-b.example.edu',
      '김민준@example.kr', 'a b@example.edu', 'a@example.edu.', 'a@exa_mple.edu', 'UPPER@EXAMPLE.EDU', long, `x${long}`, 'a@b.' + 'c'.repeat(251),
    ];
    for (const s of samples) expect([s, isEmail(s)]).toEqual([s, Email.safeParse(s).success]);
    // Both sides of the length limit are exercised.
    expect(samples.some((s) => s.length > 254)).toBe(true);
    expect(samples.some((s) => s.length > 200 && s.length <= 254 && isEmail(s))).toBe(true);
  });
});
