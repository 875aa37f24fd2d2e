/**
 * A pull page ends once its events' JSON passes MAX_PULL_BYTES (hq/server/syncRoutes.ts), so a page
 * of 1000 import slices (`registrations_imported`, up to 250 people each) never becomes a body of
 * hundreds of megabytes. The cap is on the body's bytes as sent (UTF-8: a Hangul name is 3 bytes a
 * character), the cursor stops at the last event the page covers, and nothing is skipped or doubled.
 * On the SQLite HQ (the page logic is the route's, the same for both backends).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncClient } from '../../core/sync/syncClient';
import { toJson, type HqTransport } from '../../core/sync/hqTransport';
import type { Store } from '../../core/store/openStore';
import { storedToJson } from '../../hq/server/hqProjections';
import { IMPORT_BATCH_ROWS, type ImportedRow } from '../../shared/events/attendeeEvents';
import { MAX_PULL_BYTES } from '../../shared/sync/hqProtocol';
import { createTestHq, type TestHq } from '../helpers/hqHarness';
import { createLaptop, eventCount, writeActivity } from '../helpers/syncFixtures';

const STOP = 'stop-03-new-york';
const hangul = (n: number, seed: number) => Array.from({ length: n }, (_, i) => String.fromCharCode(0xac00 + ((seed * 31 + i * 7) % 11172))).join('');

/** `slices` import slices of IMPORT_BATCH_ROWS people each, every name and affiliation in Hangul at its maximum length. */
function importSlices(store: Store, slices: number): void {
  store.events.transaction(() => {
    for (let s = 0; s < slices; s++) {
      const rows: ImportedRow[] = Array.from({ length: IMPORT_BATCH_ROWS }, (_, i) => {
        const k = s * IMPORT_BATCH_ROWS + i;
        return {
          created: true,
          attendeeId: randomUUID(),
          set: { familyName: hangul(100, k), givenName: hangul(100, k + 1), nameKo: hangul(100, k + 2), email: `p${k}@example.ac.kr`, affiliation: hangul(200, k + 3), careerStage: 'postdoc', fields: ['ai'] },
          registration: { registrationId: randomUUID(), scanToken: `IMP-${k}` },
        };
      });
      store.events.append('registrations_imported', { stopId: STOP, rows }, { stopId: STOP });
    }
  });
}

interface Page { bytes: number; events: number; cursor: string; hasMore: boolean }

/** Fastify inject, recording every pull answer's body size in bytes (as it goes over the wire). */
function recordingTransport(hq: TestHq, pages: Page[]): HqTransport {
  return {
    async request(method, url, body, token) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await hq.app.inject({ method, url, headers, ...(method === 'POST' ? { payload: toJson(body) } : {}) });
      const parsed = res.body ? (JSON.parse(res.body) as unknown) : null;
      if (url === '/v1/sync/pull' && res.statusCode === 200) {
        const p = parsed as { events: unknown[]; cursor: string; has_more: boolean };
        pages.push({ bytes: res.rawPayload.length, events: p.events.length, cursor: p.cursor, hasMore: p.has_more });
      }
      return { status: res.statusCode, body: parsed };
    },
  };
}

describe('pull pages capped by bytes (SQLite HQ)', () => {
  let hq: TestHq;
  beforeAll(async () => {
    hq = await createTestHq('sqlite');
  });
  afterAll(async () => {
    await hq?.close();
  });

  it('splits large import slices over several pages, each at most MAX_PULL_BYTES plus one event, with nothing skipped or doubled', async () => {
    const a = createLaptop('cap-a');
    const b = createLaptop('cap-b');
    // Small events of B's own between A's large ones: the pages skip them but the cursor passes them.
    writeActivity(a, 5, { prefix: 'A' });
    writeActivity(b, 5, { prefix: 'B' });
    importSlices(a, 12);
    const ca = new SyncClient(a, hq.transport, await hq.enroll('cap-a'));
    const tb = await hq.enroll('cap-b');
    expect(await new SyncClient(b, hq.transport, tb).push()).toBe(20);
    expect(await ca.push()).toBe(20 + 12);
    importSlices(a, 12);
    writeActivity(b, 3, { prefix: 'B2' });
    expect(await new SyncClient(b, hq.transport, tb).push()).toBe(12);
    expect(await ca.push()).toBe(12);

    // What HQ holds, and how large one event's JSON gets.
    const held = await hq.storage.pull('0', 1000);
    expect(held.hasMore).toBe(false);
    const eventBytes = held.events.map((e) => Buffer.byteLength(storedToJson(e)));
    const largest = Math.max(...eventBytes);
    const foreignBytes = held.events.filter((e) => e.deviceId !== 'cap-b').reduce((n, e) => n + Buffer.byteLength(storedToJson(e)), 0);
    // One page of all of it would be far over the cap (in bytes; Hangul is 3 bytes a character).
    expect(foreignBytes).toBeGreaterThan(2.5 * MAX_PULL_BYTES);

    const pages: Page[] = [];
    const received = await new SyncClient(b, recordingTransport(hq, pages), tb).pull();
    const foreign = held.events.filter((e) => e.deviceId !== 'cap-b');
    expect(received.received).toBe(foreign.length);
    const envelope = Buffer.byteLength(`{"events":[],"cursor":"${held.cursor}","has_more":false}`);
    for (const p of pages) expect(p.bytes, `page sizes ${pages.map((q) => q.bytes).join(', ')}`).toBeLessThanOrEqual(MAX_PULL_BYTES + largest + p.events + envelope);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const p of pages.slice(0, -1)) expect(p.hasMore).toBe(true);
    expect(pages.at(-1)!.hasMore).toBe(false);
    // The cursor moves on with every page and ends at HQ's last event.
    const cursors = pages.map((p) => BigInt(p.cursor));
    for (let i = 1; i < cursors.length; i++) expect(cursors[i]! > cursors[i - 1]!).toBe(true);
    expect(pages.at(-1)!.cursor).toBe(held.cursor);
    expect(pages.reduce((n, p) => n + p.events, 0)).toBe(foreign.length);

    // Nothing skipped or doubled: B holds exactly HQ's events, and A (after its own pull) agrees with B.
    const ids = (s: Store) => (s.db.prepare('SELECT event_id FROM events ORDER BY event_id').all() as { event_id: string }[]).map((r) => r.event_id);
    expect(ids(b)).toEqual(held.events.map((e) => e.eventId).sort());
    await ca.pull();
    expect(eventCount(a)).toBe(eventCount(b));
    expect(b.db.prepare("SELECT COUNT(*) AS n FROM registrations WHERE source = 'import'").get()).toEqual({ n: 24 * IMPORT_BATCH_ROWS });
    expect(b.events.projectionHash()).toBe(a.events.projectionHash());
    // A second pull finds nothing new.
    expect((await new SyncClient(b, hq.transport, tb).pull()).received).toBe(0);
    a.close();
    b.close();
  }, 120_000);
});
