import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SearchIndex } from '../../../core/domain/searchIndex';
import type { SearchDoc } from '../../../core/domain/searchKeys';
import { openStore } from '../../../core/store/openStore';
import { ALL_ATTENDEES, createSearchCache, forgetSearchSnapshots } from '../../../core/store/searchCache';
import { createTestStore, DEMO_STOP, disposeTestStore } from '../../helpers/testStore';

const snapshots = (file: string) => readdirSync(path.dirname(file)).filter((n) => n.startsWith(`${path.basename(file)}-search-`));
const ids = (cache: ReturnType<typeof createSearchCache>, q: string) => cache.index(DEMO_STOP).search(q, 50).map((h) => h.id);
const person = (id: string, familyName: string, email: string) => ({ attendeeId: id, familyName, givenName: 'Walker', nameKo: '', email, affiliation: 'MIT', careerStage: 'student' as const, fields: [] });

describe('search snapshots', () => {
  it('round-trips an index: the same answers, removals and updates after reading it back', () => {
    const docs: SearchDoc[] = [
      { id: 'a', familyName: 'Kim', givenName: 'Min-su', nameKo: '김민수', email: 'mskim@mit.edu', affiliation: 'MIT', scanToken: 'RS-A1' },
      { id: 'b', familyName: 'Kimball', givenName: 'Ann', nameKo: '', email: 'ann@uiuc.edu', affiliation: 'UIUC', scanToken: 'RS-B2' },
      { id: 'c', familyName: 'Lee', givenName: 'Seoyeon', nameKo: '이서연', email: 'kim.s@harvard.edu', affiliation: 'Harvard University', scanToken: 'RS-C3' },
    ];
    const ix = new SearchIndex(docs);
    const back = SearchIndex.fromSnapshot(ix.snapshot())!;
    for (const q of ['kim', 'ㄱㅁㅅ', '민수', 'min su kim', 'rs-b2', 'harvard', 'lee s', '']) expect(back.search(q)).toEqual(ix.search(q));
    back.remove('a');
    back.upsert({ ...docs[1]!, affiliation: 'KAIST' });
    expect(back.search('kim').map((h) => h.id)).toEqual(['b', 'c']);
    expect(back.search('kaist').map((h) => h.id)).toEqual(['b']);
    expect(back.has('a')).toBe(false);
    // Not a snapshot, or a damaged one: nothing is read.
    expect(SearchIndex.fromSnapshot(Buffer.from('not an index'))).toBeNull();
    const bytes = ix.snapshot();
    expect(SearchIndex.fromSnapshot(bytes.subarray(0, bytes.length - 9))).toBeNull();
  });

  it('a new cache on an encrypted store loads the saved index, and sees every change made since', () => {
    const store = createTestStore({ demo: true, attendees: 40, key: randomBytes(32) });
    try {
      const someone = store.db.prepare<[string], { family_name: string }>('SELECT a.family_name FROM registrations r JOIN attendees a ON a.id = r.attendee_id WHERE r.stop_id = ? LIMIT 1').get(DEMO_STOP)!;
      const first = createSearchCache(store.db);
      const before = ids(first, someone.family_name);
      expect(before.length).toBeGreaterThan(0);
      const files = snapshots(store.db.name);
      expect(files.length).toBe(1);
      // Encrypted: no name of the stop's people in the file's bytes.
      const bytes = readFileSync(path.join(path.dirname(store.db.name), files[0]!));
      expect(bytes.includes(Buffer.from(someone.family_name))).toBe(false);

      // A walk-in after the save: a fresh cache (a new process) finds them at once.
      const id = '0193a1b2-0000-7000-8000-0000000000bb';
      store.events.transaction(() => {
        store.events.append('attendee_registered', person(id, 'Snapshotson', 'snap@example.edu'), { actorId: null, stopId: DEMO_STOP });
        store.events.append('registration_created', { registrationId: '0193a1b2-0000-7000-8000-0000000000bc', attendeeId: id, stopId: DEMO_STOP, source: 'walk_in', scanToken: 'RS-SNAP0001' }, { actorId: null, stopId: DEMO_STOP });
      });
      const second = createSearchCache(store.db);
      expect(ids(second, 'snapshotson')).toEqual(['0193a1b2-0000-7000-8000-0000000000bc']);
      expect(ids(second, 'rs-snap0001')).toEqual(['0193a1b2-0000-7000-8000-0000000000bc']);
      expect(ids(second, someone.family_name)).toEqual(before);
      expect(ids(second, '')).toEqual(ids(first, ''));
    } finally {
      disposeTestStore(store);
    }
  });

  it('ignores a damaged snapshot or one made from another log, and reads a good one after a restart', () => {
    const key = randomBytes(32);
    const store = createTestStore({ demo: true, attendees: 30, key });
    const file = store.db.name;
    try {
      const cache = createSearchCache(store.db);
      const truth = ids(cache, '');
      expect(truth.length).toBeGreaterThan(2);
      const [name] = snapshots(file);
      const snap = path.join(path.dirname(file), name!);
      const good = readFileSync(snap);
      // Damaged: one byte flipped (the authentication tag fails): rebuilt from the tables, same answers.
      const bad = Buffer.from(good);
      bad[bad.length - 5]! ^= 0xff;
      writeFileSync(snap, bad);
      expect(ids(createSearchCache(store.db), '')).toEqual(truth);
      // The good one again, after the store is reopened (a new process): read, same answers.
      store.close();
      writeFileSync(snap, good);
      const other = openStore(file, { key });
      expect(ids(createSearchCache(other.db), '')).toEqual(truth);
      // Another log at the same position (a store restored from elsewhere): the event id differs, rebuilt.
      other.db.prepare('UPDATE events SET event_id = ? WHERE local_seq = (SELECT MAX(local_seq) FROM events)').run('0193a1b2-0000-7000-8000-00000000ffff');
      const person2 = '0193a1b2-0000-7000-8000-0000000000cc';
      other.db.prepare("INSERT INTO attendees (id, family_name, given_name, name_ko, email, affiliation, career_stage, fields, field_hlcs, created_hlc) VALUES (?, 'Restored', 'Row', '', '', '', 'student', '[]', '', 'h')").run(person2);
      other.db.prepare("INSERT INTO registrations (id, attendee_id, stop_id, source, scan_token, hlc) VALUES ('0193a1b2-0000-7000-8000-0000000000cd', ?, ?, 'import', 'RS-REST0001', 'h')").run(person2, DEMO_STOP);
      expect(ids(createSearchCache(other.db), 'restored')).toEqual(['0193a1b2-0000-7000-8000-0000000000cd']);
      other.close();
    } finally {
      disposeTestStore(store);
    }
  });

  it('saves the walk-in hints’ name keys with every attendee’s index: a new cache reads both, patched with the changes since', () => {
    const store = createTestStore({ demo: true, attendees: 40, key: randomBytes(32) });
    try {
      const first = createSearchCache(store.db);
      const name = { familyName: 'Walker', givenName: 'Walker', nameKo: '' };
      expect(first.names().alike(name)).toEqual([]);
      expect(first.stats()).toMatchObject({ built: 1, namesBuilt: 1 });
      store.events.append('attendee_registered', person('walker-1', 'Walker', 'walker@example.edu'), { actorId: null, stopId: null });
      const second = createSearchCache(store.db);
      expect(second.names().alike(name)).toEqual(['walker-1']);
      expect(second.stats()).toMatchObject({ built: 0, loaded: 1, namesBuilt: 0 });
      const someone = store.db.prepare<[], { family_name: string; given_name: string; name_ko: string }>('SELECT family_name, given_name, name_ko FROM attendees LIMIT 1').get()!;
      const theirs = { familyName: someone.family_name, givenName: someone.given_name, nameKo: someone.name_ko };
      expect(second.names().alike(theirs)).toEqual(first.names().alike(theirs));
    } finally {
      disposeTestStore(store);
    }
  });

  it('are deleted by forgetSearchSnapshots (a stop purge), for every scope', () => {
    const store = createTestStore({ demo: true, attendees: 20 });
    try {
      const cache = createSearchCache(store.db);
      cache.index(DEMO_STOP);
      cache.index(ALL_ATTENDEES);
      expect(snapshots(store.db.name).length).toBe(2);
      forgetSearchSnapshots(store.db);
      expect(snapshots(store.db.name)).toEqual([]);
    } finally {
      disposeTestStore(store);
    }
  });
});
