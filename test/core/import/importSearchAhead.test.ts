import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ImportSession } from '../../../core/import/importSession';
import type { Store } from '../../../core/store/openStore';
import { createSearchCache, forgetSearchSnapshots, ImportSearchAhead, prepareSearchIndex } from '../../../core/store/searchCache';
import { HEADER } from '../../helpers/importUpload';
import { createTestStore, DEMO_STOP, disposeTestStore } from '../../helpers/testStore';

const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) disposeTestStore(s);
});

/** The stop's index as a build from the tables makes it now (no snapshot read): its saved bytes. */
function builtFromTables(store: Store) {
  forgetSearchSnapshots(store.db);
  const cache = createSearchCache(store.db, { keepSaved: true });
  const saved = cache.export(DEMO_STOP)!;
  expect(cache.stats().built).toBe(1);
  return saved;
}

interface DemoPerson {
  email: string;
  family_name: string;
  given_name: string;
}

/** A template file: `n` new people, and demo people already registered at the stop with a new affiliation (updates). */
function file(n: number, updated: DemoPerson[]): Buffer {
  const lines = [HEADER];
  for (let i = 0; i < n; i++) lines.push(`Park,Ahead${i},박지우,ahead${i}@example.edu,"KAIST, Daejeon",student,ai,AHEAD-${i}`);
  for (const p of updated) lines.push(`${p.family_name},${p.given_name},,${p.email},Moved Institute,student,ai,`);
  return Buffer.from(lines.join('\r\n'));
}

describe("the stop's search index made while an import is written (issue #20)", () => {
  it('is, after the commit, the very index a build from the tables makes (new people, updated people, people registered before)', async () => {
    const store = createTestStore({ demo: true, attendees: 40 });
    stores.push(store);
    const updated = store.db
      .prepare<[string], DemoPerson>(`SELECT a.email, a.family_name, a.given_name FROM attendees a JOIN registrations r ON r.attendee_id = a.id WHERE r.stop_id = ? AND a.email <> '' LIMIT 3`)
      .all(DEMO_STOP);
    expect(updated.length).toBe(3);
    const session = new ImportSession(store, { searchAhead: true });
    const uploadId = randomUUID();
    session.upload({ uploadId, fileName: 'people.csv', index: 0, count: 1, data: file(2_600, updated) });
    const parsed = await session.parse({ uploadId, sheet: 0 });
    const outcome = await session.commit({ uploadId, stopId: DEMO_STOP, mapping: parsed.mapping }, null);
    expect(outcome).toMatchObject({ created: 2_600, updated: 3 });
    const ahead = session.takeSearchAhead()!;
    expect(ahead).not.toBeNull();
    expect(session.takeSearchAhead()).toBeNull();
    // Only the new people were predicted (kept, their keys derived when the thread is free); the updated and earlier ones come from the tables.
    expect(ahead.size).toBe(0);
    // Nothing added before the commit (no thread time to spare): a build costs less than finishing it.
    expect(ahead.worthFinishing).toBe(false);
    expect(ahead.advance()).toBe(true);
    expect(ahead.worthFinishing).toBe(true);
    expect(ahead.size).toBe(2_600);
    const saved = ahead.finish(store.db)!;
    const built = builtFromTables(store);
    expect({ seq: saved.seq, eventId: saved.eventId }).toEqual({ seq: built.seq, eventId: built.eventId });
    expect(Buffer.from(saved.data).equals(Buffer.from(built.data))).toBe(true);
    expect(ahead.finish(store.db)).toBeNull();
  });

  it('corrects what it predicted wrong: a document the tables give otherwise, one they do not hold', () => {
    const store = createTestStore({ demo: true, attendees: 30 });
    stores.push(store);
    const [reg] = store.db.prepare<[string], { id: string; scan_token: string }>('SELECT id, scan_token FROM registrations WHERE stop_id = ? LIMIT 1').all(DEMO_STOP);
    const ahead = new ImportSearchAhead(DEMO_STOP);
    ahead.addRows([
      { created: true, set: { familyName: 'Wrong', givenName: 'Name', email: 'wrong@example.edu' }, registration: { registrationId: reg!.id, scanToken: reg!.scan_token } },
      { created: true, set: { familyName: 'Never', givenName: 'Written' }, registration: { registrationId: randomUUID(), scanToken: 'NEVER-1' } },
      // Not new: taken from the tables.
      { created: false, set: { familyName: 'Ignored' } },
    ]);
    expect(ahead.advance(0)).toBe(false);
    expect(ahead.advance()).toBe(true);
    expect(ahead.size).toBe(2);
    const saved = ahead.finish(store.db)!;
    expect(Buffer.from(saved.data).equals(Buffer.from(builtFromTables(store).data))).toBe(true);
  });

  it('is not made for a small import, nor without the option (the host patches its own index then)', async () => {
    const store = createTestStore({ demo: true, attendees: 20 });
    stores.push(store);
    for (const [options, rows] of [[{ searchAhead: true }, 100], [{}, 2_100]] as const) {
      const session = new ImportSession(store, options);
      const uploadId = randomUUID();
      const lines = [HEADER];
      for (let i = 0; i < rows; i++) lines.push(`Kim,Small${rows}x${i},,small${rows}x${i}@example.edu,MIT,student,ai,`);
      session.upload({ uploadId, fileName: 'people.csv', index: 0, count: 1, data: Buffer.from(lines.join('\r\n')) });
      const parsed = await session.parse({ uploadId, sheet: 0 });
      expect((await session.commit({ uploadId, stopId: DEMO_STOP, mapping: parsed.mapping }, null)).created).toBe(rows);
      expect(session.takeSearchAhead()).toBeNull();
    }
    // A build still answers (nothing else changed).
    expect(prepareSearchIndex(store.db, DEMO_STOP)).not.toBeNull();
  });
});
