import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LinkSigner } from '../../../hq/server/links/signedLinks';
import os from 'node:os';

const claims = { purpose: 'book' as const, attendeeId: 'att-1', stopId: 'stop-boston', expiresAt: '2027-01-01T00:00:00.000Z' };
const before = new Date('2026-12-31T00:00:00Z');

describe('signed links', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('round-trips its claims and refuses another purpose, another key, a changed byte and an expired link', () => {
    const signer = new LinkSigner(randomBytes(32));
    const token = signer.sign(claims);
    expect(signer.verify(token, 'book', before)).toEqual({ ok: true, claims });
    expect(signer.verify(token, 'unsubscribe', before)).toEqual({ ok: false, reason: 'wrong_purpose' });
    expect(new LinkSigner(randomBytes(32)).verify(token, 'book', before)).toEqual({ ok: false, reason: 'bad_signature' });
    const [body, mac] = token.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ p: 'book', a: 'att-2', s: 'stop-boston', e: 1798761600 })).toString('base64url');
    expect(signer.verify(`${forged}.${mac}`, 'book', before).ok).toBe(false);
    expect(signer.verify(`${body}.${mac.slice(0, -2)}`, 'book', before)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(signer.verify('garbage', 'book', before)).toEqual({ ok: false, reason: 'malformed' });
    expect(signer.verify(token, 'book', new Date('2027-01-02T00:00:00Z'))).toEqual({ ok: false, reason: 'expired' });
  });

  it('keeps its key in the data folder (owner-only) so links outlive a restart', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'links-'));
    dirs.push(dir);
    const token = LinkSigner.forDataDir(dir).sign(claims);
    expect(LinkSigner.forDataDir(dir).verify(token, 'book', before).ok).toBe(true);
    if (process.platform !== 'win32') expect(statSync(path.join(dir, 'hq-links.key')).mode & 0o077).toBe(0);
  });
});
