import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readKeyFile, writeKeyFile } from '../../../core/host/keyFile';

export const FORM_KEY_FILE_NAME = 'hq-selfbook-forms.key';
/** A page's forms may be sent this long after the page was shown (a phone left open over lunch). */
export const FORM_TOKEN_TTL_MS = 12 * 3600_000;
const DOMAIN = 'roadshow-selfbook-form/v1.';

/**
 * The self-booking forms' CSRF token, bound to the link they were shown for: `issued.mac`, the mac an
 * HMAC (HQ's own form key, kept in its data folder) of the link token and the time the page was made.
 * No cookie is needed (SameSite does not help a page opened from an email), the token is useless for
 * another link, and a page older than `FORM_TOKEN_TTL_MS` asks to be reloaded.
 */
export class FormTokens {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('a form key has at least 32 bytes');
  }

  static forDataDir(dataDir: string): FormTokens {
    const file = path.join(dataDir, FORM_KEY_FILE_NAME);
    if (!existsSync(file)) writeKeyFile(file, randomBytes(32));
    return new FormTokens(readKeyFile(file));
  }

  issue(linkToken: string, now: number): string {
    const issued = Math.floor(now / 1000);
    return `${issued}.${this.mac(linkToken, issued)}`;
  }

  /** 'ok', 'missing'/'forged' (refused), or 'stale' (a real form, too old: the page is shown again). */
  check(linkToken: string, formToken: unknown, now: number): 'ok' | 'missing' | 'forged' | 'stale' {
    if (typeof formToken !== 'string' || formToken === '') return 'missing';
    const m = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(formToken);
    if (!m) return 'forged';
    const issued = Number(m[1]);
    const given = Buffer.from(m[2]!, 'base64url');
    const expected = Buffer.from(this.mac(linkToken, issued), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'forged';
    const age = now - issued * 1000;
    return age > FORM_TOKEN_TTL_MS || age < -60_000 ? 'stale' : 'ok';
  }

  private mac(linkToken: string, issued: number): string {
    return createHmac('sha256', this.key).update(`${DOMAIN}${issued}.${linkToken}`).digest('base64url');
  }
}
