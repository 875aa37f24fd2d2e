import { randomInt } from 'node:crypto';

/**
 * A planned staff member's one-time setup code (issue #18): HQ shows it once, the person types it at their
 * first sign-in on a desk and chooses a PIN there. Only its scrypt hash is stored and synced, like a PIN's.
 * 10 characters without look-alikes (0/O, 1/I/L): ~50 bits, read out over a phone without mistakes.
 */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function newSetupCode(): string {
  const chars = Array.from({ length: 10 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]!).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** What is hashed and compared: the code without dashes and spaces, in capitals. */
export const normaliseSetupCode = (code: string): string => code.replace(/[\s-]/g, '').toUpperCase();
