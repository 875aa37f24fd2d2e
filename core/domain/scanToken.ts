import { randomBytes } from 'node:crypto';

// Crockford base32: no I, L, O, U, so a token read aloud or typed by hand is unambiguous.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A 60-bit random scan token, e.g. `RS-7K2QH9MX4TB3`: unique without coordination between desks. */
export function newScanToken(random: (n: number) => Buffer = randomBytes): string {
  const bytes = random(12);
  let out = '';
  for (let i = 0; i < 12; i++) out += ALPHABET[bytes[i]! & 31];
  return `RS-${out}`;
}
