import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../../core/api/apiContext';
import { importRunner } from '../../../core/import/importRunner';
import type { Store } from '../../../core/store/openStore';
import { ALL_ATTENDEES, createSearchCache, forgetSearchSnapshots, offerSearchIndex, prepareSearchIndex, searchCacheOf, searchIndexArriving, searchIndexesArriving } from '../../../core/store/searchCache';
import { callApi } from '../../helpers/callApi';
import { uploadRows } from '../../helpers/importUpload';
import { createTestContext, createTestStore, DEMO_STOP, disposeTestStore } from '../../helpers/testStore';

const QUERIES = ['', 'p', 'park', 'offer1', 'offer 2', '박지우', 'ㅂㅈㅇ', 'kaist', 'offer-2999', 'offer2999@example.edu', 'late comer', 'comer'];
const answers = (cache: ReturnType<typeof createSearchCache>) => QUERIES.map((q) => cache.index(DEMO_STOP).search(q, 30).map((h) => h.id));
const walkIn = (ctx: ApiContext) =>
  callApi(ctx, 'checkin:registerWalkIn', { stopId: DEMO_STOP, familyName: 'Late', givenName: 'Comer', nameKo: '', email: 'late@example.edu', affiliation: 'MIT', careerStage: 'student', fields: [], consentScope: 'hq_stats', consentTextVersion: '2025-10-v1' });

describe('search index prepared by another thread (an import worker)', () => {
  const stores: Store[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) {
      await importRunner(s).close();
      disposeTestStore(s);
    }
  });

  it('is taken by the cache in place of a build, patched with the changes made since, answering as a build does', async () => {
    const store = createTestStore({ demo: true, attendees: 40, key: randomBytes(32) });
    stores.push(store);
    const ctx = createTestContext(store);
    const before = answers(createSearchCache(store.db));
    // Another cache (the worker's) prepares the index; a walk-in lands before the host looks.
    const saved = prepareSearchIndex(store.db, DEMO_STOP)!;
    expect(saved.seq).toBeGreaterThan(0);
    await walkIn(ctx);
    const host = createSearchCache(store.db);
    forgetSearchSnapshots(store.db);
    offerSearchIndex(store.db, DEMO_STOP, saved);
    const got = answers(host);
    expect(host.stats()).toEqual({ built: 0, loaded: 0, taken: 1, namesBuilt: 0 });
    expect(got[QUERIES.indexOf('late comer')]!.length).toBe(1);
    expect(got).not.toEqual(before);
    // The same answers as an index built from the tables now.
    forgetSearchSnapshots(store.db);
    const built = createSearchCache(store.db);
    expect(answers(built)).toEqual(got);
    expect(built.stats().built).toBe(1);
  });

  it('is ignored when made from another log (its event differs): the cache builds instead', () => {
    const store = createTestStore({ demo: true, attendees: 30 });
    stores.push(store);
    const saved = prepareSearchIndex(store.db, DEMO_STOP)!;
    forgetSearchSnapshots(store.db);
    const cache = createSearchCache(store.db);
    offerSearchIndex(store.db, DEMO_STOP, { ...saved, eventId: 'another-log' });
    const got = answers(cache);
    expect(cache.stats()).toEqual({ built: 1, loaded: 0, taken: 0, namesBuilt: 0 });
    expect(got[0]!.length).toBeGreaterThan(0);
  });

  it('after a large import through the worker, the host’s first search takes the worker’s index (no build on the host), and sees a walk-in made after', async () => {
    const store = createTestStore({ demo: true, attendees: 40, key: randomBytes(32) });
    stores.push(store);
    const ctx = createTestContext(store);
    const host = searchCacheOf(store.db);
    await callApi(ctx, 'checkin:search', { stopId: DEMO_STOP, query: 'a', limit: 5 });
    // The walk-in form's hints used once: every attendee's index is in use too.
    await callApi(ctx, 'checkin:similar', { stopId: DEMO_STOP, familyName: 'Park', givenName: 'Jiwoo', nameKo: '', email: '' });
    const { built } = host.stats();
    expect(built).toBe(2);
    const { uploadId, mapping } = await uploadRows(ctx, 3000, 'Offer');
    expect(importRunner(store).mode).toBe('worker');
    const outcome = await callApi(ctx, 'import:commit', { uploadId, stopId: DEMO_STOP, mapping });
    expect(outcome.created).toBe(3000);
    await walkIn(ctx);
    const [hit] = await callApi(ctx, 'checkin:search', { stopId: DEMO_STOP, query: 'Offer2999', limit: 5 });
    expect(hit!.attendee.email).toBe('offer2999@example.edu');
    expect((await callApi(ctx, 'checkin:search', { stopId: DEMO_STOP, query: 'late comer', limit: 5 })).length).toBe(1);
    expect(host.stats()).toMatchObject({ built, taken: 1 });
    // Every attendee's index was prepared by the worker too: the hints find an imported person without a build here.
    const similar = await callApi(ctx, 'checkin:similar', { stopId: DEMO_STOP, familyName: 'Park', givenName: 'Offer2999', nameKo: '', email: '' });
    expect(similar.length).toBe(5);
    expect(host.stats()).toMatchObject({ built, taken: 2 });
    const [someone] = host.index(ALL_ATTENDEES).search('offer2999@example.edu', 5);
    expect(store.db.prepare('SELECT email FROM attendees WHERE id = ?').pluck().get(someone!.id)).toBe('offer2999@example.edu');
    // Identical to a build from the tables.
    const got = answers(host);
    forgetSearchSnapshots(store.db);
    expect(answers(createSearchCache(store.db))).toEqual(got);
  });
  it('the commit answers before the worker builds the index; a search issued right after waits for it and takes it (no build on the host)', async () => {
    const store = createTestStore({ demo: true, attendees: 40, key: randomBytes(32) });
    stores.push(store);
    const ctx = createTestContext(store);
    const host = searchCacheOf(store.db);
    await callApi(ctx, 'checkin:search', { stopId: DEMO_STOP, query: 'a', limit: 5 });
    const { built } = host.stats();
    const { uploadId, mapping } = await uploadRows(ctx, 3000, 'Early');
    const order: string[] = [];
    const outcome = await callApi(ctx, 'import:commit', { uploadId, stopId: DEMO_STOP, mapping });
    order.push('commit answered');
    expect(outcome.created).toBe(3000);
    // The worker said, before its reply, that it builds the stop's index (then every attendee's, saved
    // beside the store), and has not sent it yet (had it built before replying, its index would have
    // been handled before the reply was).
    expect(searchIndexesArriving(store.db)).toEqual([DEMO_STOP, ALL_ATTENDEES]);
    const arriving = searchIndexArriving(store.db, DEMO_STOP).then(() => order.push('index arrived'));
    const search = callApi(ctx, 'checkin:search', { stopId: DEMO_STOP, query: 'Early2999', limit: 5 }).then((hits) => {
      order.push('search answered');
      return hits;
    });
    const [hit] = await search;
    await arriving;
    expect(order).toEqual(['commit answered', 'index arrived', 'search answered']);
    expect(hit!.attendee.email).toBe('early2999@example.edu');
    expect(host.stats()).toMatchObject({ built, taken: 1 });
    const got = answers(host);
    forgetSearchSnapshots(store.db);
    expect(answers(createSearchCache(store.db))).toEqual(got);
  });

  it('after a large import, the first walk-in hint reads every attendee’s index and name keys the worker saved (no build, no keys derived on the host)', async () => {
    const store = createTestStore({ demo: true, attendees: 40, key: randomBytes(32) });
    stores.push(store);
    const ctx = createTestContext(store);
    const host = searchCacheOf(store.db);
    const { uploadId, mapping } = await uploadRows(ctx, 3000, 'Hint');
    await callApi(ctx, 'import:commit', { uploadId, stopId: DEMO_STOP, mapping });
    // Not in use on the host: saved beside the store, not handed over.
    expect(searchIndexesArriving(store.db)).toContain(ALL_ATTENDEES);
    await searchIndexArriving(store.db, ALL_ATTENDEES);
    expect(host.inUse()).not.toContain(ALL_ATTENDEES);
    const similar = await callApi(ctx, 'checkin:similar', { stopId: DEMO_STOP, familyName: 'Park', givenName: 'Hint2999', nameKo: '', email: 'hint2999@example.edu' });
    expect(similar[0]!.attendee.email).toBe('hint2999@example.edu');
    expect(host.stats()).toMatchObject({ built: 0, loaded: 1, namesBuilt: 0 });
    // The same hints and index answers as from the tables.
    const name = { familyName: 'Park', givenName: 'Jiwoo', nameKo: '박지우' };
    const got = { alike: host.names().alike(name), found: host.index(ALL_ATTENDEES).search('hint 29', 30) };
    forgetSearchSnapshots(store.db);
    const built = createSearchCache(store.db);
    expect({ alike: built.names().alike(name), found: built.index(ALL_ATTENDEES).search('hint 29', 30) }).toEqual(got);
    expect(built.stats()).toMatchObject({ built: 1, namesBuilt: 1 });
  });

  it('a search waiting for the worker’s index builds its own when the worker is stopped meanwhile', async () => {
    const store = createTestStore({ demo: true, attendees: 40, key: randomBytes(32) });
    stores.push(store);
    const ctx = createTestContext(store);
    const host = searchCacheOf(store.db);
    const { uploadId, mapping } = await uploadRows(ctx, 3000, 'Gone');
    await callApi(ctx, 'import:commit', { uploadId, stopId: DEMO_STOP, mapping });
    const search = callApi(ctx, 'checkin:search', { stopId: DEMO_STOP, query: 'Gone2999', limit: 5 });
    await importRunner(store).close();
    expect(searchIndexesArriving(store.db)).toEqual([]);
    const [hit] = await search;
    expect(hit!.attendee.email).toBe('gone2999@example.edu');
    // The index arrived before the worker stopped (taken), or was saved by it (loaded), or the search built it: once.
    const { built, loaded, taken } = host.stats();
    expect(built + loaded + taken).toBe(1);
  });
});
