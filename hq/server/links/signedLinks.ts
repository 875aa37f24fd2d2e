import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readKeyFile, writeKeyFile } from '../../../core/host/keyFile';

/**
 * Links HQ puts in attendees' emails (issue #21): self-booking, unsubscribe, the QR ticket. No account:
 * the link itself is the credential, so it is signed (HMAC-SHA256 with a key only HQ holds) and names
 * exactly one attendee at one stop for one purpose, until it expires.
 *
 * Token = base64url(JSON claims) "." base64url(HMAC(key, "roadshow-link/v1." + claims part)).
 * The claims are readable by whoever holds the link (they hold it anyway); nothing secret is in them.
 */
export const LINK_PURPOSES = ['book', 'unsubscribe', 'ticket'] as const;
export type LinkPurpose = (typeof LINK_PURPOSES)[number];

export interface LinkClaims {
  purpose: LinkPurpose;
  attendeeId: string;
  /** The stop the link is for; unsubscribe links name the stop of the message that carried them. */
  stopId: string;
  /** Expiry, UTC ISO-8601. */
  expiresAt: string;
}

export type LinkCheck = { ok: true; claims: LinkClaims } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' | 'wrong_purpose' };

export const LINK_KEY_FILE_NAME = 'hq-links.key';
const DOMAIN = 'roadshow-link/v1.';

interface WireClaims {
  p: LinkPurpose;
  a: string;
  s: string;
  e: number;
}

export class LinkSigner {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('a link key has at least 32 bytes');
  }

  /** HQ's link key, made once in its data folder (0600, like the store key), so links survive restarts. */
  static forDataDir(dataDir: string): LinkSigner {
    const file = path.join(dataDir, LINK_KEY_FILE_NAME);
    if (!existsSync(file)) writeKeyFile(file, randomBytes(32));
    return new LinkSigner(readKeyFile(file));
  }

  sign(claims: LinkClaims): string {
    const wire: WireClaims = { p: claims.purpose, a: claims.attendeeId, s: claims.stopId, e: Math.floor(Date.parse(claims.expiresAt) / 1000) };
    if (!Number.isFinite(wire.e)) throw new Error('expiresAt is not a date');
    const body = Buffer.from(JSON.stringify(wire), 'utf8').toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** Checks the signature first (constant time), then the purpose and the expiry against `now`. */
  verify(token: string, purpose: LinkPurpose, now: Date = new Date()): LinkCheck {
    if (token.length > 600) return { ok: false, reason: 'malformed' };
    const dot = token.indexOf('.');
    if (dot <= 0 || dot !== token.lastIndexOf('.')) return { ok: false, reason: 'malformed' };
    const body = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.mac(body), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
    let wire: WireClaims;
    try {
      wire = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as WireClaims;
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (typeof wire !== 'object' || wire === null || typeof wire.a !== 'string' || typeof wire.s !== 'string' || typeof wire.e !== 'number' || !(LINK_PURPOSES as readonly string[]).includes(wire.p)) {
      return { ok: false, reason: 'malformed' };
    }
    if (wire.p !== purpose) return { ok: false, reason: 'wrong_purpose' };
    if (wire.e * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
    return { ok: true, claims: { purpose: wire.p, attendeeId: wire.a, stopId: wire.s, expiresAt: new Date(wire.e * 1000).toISOString() } };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(DOMAIN + body).digest('base64url');
  }
}
