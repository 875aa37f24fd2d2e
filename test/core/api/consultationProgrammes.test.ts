import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../../core/api/apiContext';
import { rowToEnvelope, type StoredEventRow } from '../../../core/store/eventStore';
import type { Store } from '../../../core/store/openStore';
import type { LogConsultationInput } from '../../../shared/ipc/consultationsContract';
import { CURRENT_CONSENT_TEXT_VERSION } from '../../../shared/vocab';
import { callApi, callApiError } from '../../helpers/callApi';
import { createTestContext, createTestStore, DEMO_STOP, disposeTestStore } from '../../helpers/testStore';

/** Programmes of the demo (resources/demo/programs.json). */
const BK = 'prog-brain-to-korea';
const INNOCORE_BIO = 'prog-innocore-ai-bio';
const KAIST_POSTDOC = 'prog-kaist-postdoc';
const KAIST_FACULTY = 'prog-kaist-faculty';
const KAIST_RETIRED = 'prog-kaist-global-postdoc-2024';
const POSTECH_POSTDOC = 'prog-postech-postdoc';

const eventCount = (s: Store) => (s.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
const currentIds = (s: Store, id: string) => JSON.parse((s.db.prepare('SELECT program_ids FROM consultation_current WHERE consultation_id = ?').get(id) as { program_ids: string }).program_ids) as string[];
const allEvents = (s: Store) => s.db.prepare('SELECT * FROM events ORDER BY rowid').all().map((r) => rowToEnvelope(r as StoredEventRow));

describe('consultations name programmes (issue #21)', () => {
  let store: Store;
  let ctx: ApiContext;
  let registrationId: string;
  const stores: Store[] = [];
  const log = (programIds: string[], over: Partial<LogConsultationInput> = {}) =>
    callApi(ctx, 'consultations:log', { stopId: DEMO_STOP, institutionId: 'inst-kaist', registrationId, content: { staffName: 'Park Jiwoo', programIds }, ...over });

  beforeEach(() => {
    store = createTestStore({ demo: true, attendees: 40 });
    stores.push(store);
    ctx = createTestContext(store);
    registrationId = (store.db.prepare('SELECT id FROM registrations WHERE stop_id = ? ORDER BY id LIMIT 1').get(DEMO_STOP) as { id: string }).id;
  });
  afterEach(() => {
    for (const s of stores.splice(0)) disposeTestStore(s);
  });

  it('logs the institution’s own and national programmes, sorted, in the content and the current row', async () => {
    const d = await log([KAIST_POSTDOC, BK, KAIST_POSTDOC]);
    expect(d.content.programIds).toEqual([BK, KAIST_POSTDOC]);
    expect(currentIds(store, d.consultationId)).toEqual([BK, KAIST_POSTDOC]);
    expect((await callApi(ctx, 'consultations:get', { consultationId: d.consultationId })).content.programIds).toEqual([BK, KAIST_POSTDOC]);
    // Without programmes (as every consultation before issue #21): an empty list.
    const none = await log([]);
    expect(none.content.programIds).toEqual([]);
  });

  it('refuses a programme of another institution, a retired one and an unknown id, naming programIds and writing nothing', async () => {
    const before = eventCount(store);
    for (const [ids, message] of [
      [[BK, POSTECH_POSTDOC], 'belongs to another institution'],
      [[KAIST_RETIRED], 'is no longer offered'],
      [['prog-nope'], 'No programme prog-nope'],
    ] as const) {
      const e = await callApiError(ctx, 'consultations:log', { stopId: DEMO_STOP, institutionId: 'inst-kaist', registrationId, content: { staffName: 'Park Jiwoo', programIds: ids } });
      expect(e.code).toBe('VALIDATION');
      expect(e.message).toContain(message);
      expect((e.details as { issues: { path: string }[] }).issues[0]!.path).toBe('content.programIds');
    }
    // More than 30 is refused by the schema itself.
    const many = await callApiError(ctx, 'consultations:log', { stopId: DEMO_STOP, institutionId: 'inst-kaist', registrationId, content: { staffName: 'P', programIds: Array.from({ length: 31 }, (_, i) => `prog-${i}`) } });
    expect(many.code).toBe('VALIDATION');
    expect(eventCount(store)).toBe(before);
    // POSTECH's own programme is fine at POSTECH's booth.
    expect((await log([POSTECH_POSTDOC], { institutionId: 'inst-postech' })).content.programIds).toEqual([POSTECH_POSTDOC]);
  });

  it('an edit carries the programmes: kept when other fields change, even once retired; a new one must be offered', async () => {
    const d = await log([KAIST_POSTDOC, INNOCORE_BIO]);
    const notes = await callApi(ctx, 'consultations:edit', { consultationId: d.consultationId, baseRevisionId: d.currentRevisionId, editor: 'Park Jiwoo', content: { ...d.content, notes: 'Asked about housing' } });
    expect(notes.content.programIds).toEqual([INNOCORE_BIO, KAIST_POSTDOC]);
    expect(notes.history.at(-1)!.changed).toEqual(['notes']);

    // HQ retires KAIST's postdoc programme: an edit that keeps it is accepted, one that adds a retired one is not.
    const postdoc = (await callApi(ctx, 'programs:list', { institutionId: 'inst-kaist' })).find((p) => p.id === KAIST_POSTDOC)!;
    await callApi(ctx, 'program:upsert', { ...postdoc, active: false });
    const kept = await callApi(ctx, 'consultations:edit', { consultationId: d.consultationId, baseRevisionId: notes.currentRevisionId, editor: 'Park Jiwoo', content: { ...notes.content, programIds: [...notes.content.programIds, KAIST_FACULTY] } });
    expect(kept.content.programIds).toEqual([INNOCORE_BIO, KAIST_FACULTY, KAIST_POSTDOC]);
    expect(kept.history.at(-1)!.changed).toEqual(['programIds']);
    expect(currentIds(store, d.consultationId)).toEqual([INNOCORE_BIO, KAIST_FACULTY, KAIST_POSTDOC]);
    const retired = await callApiError(ctx, 'consultations:edit', { consultationId: d.consultationId, baseRevisionId: kept.currentRevisionId, editor: 'Park Jiwoo', content: { ...kept.content, programIds: [KAIST_RETIRED] } });
    expect(retired.code).toBe('VALIDATION');
    const other = await callApiError(ctx, 'consultations:edit', { consultationId: d.consultationId, baseRevisionId: kept.currentRevisionId, editor: 'Park Jiwoo', content: { ...kept.content, programIds: [POSTECH_POSTDOC] } });
    expect((other.details as { issues: { path: string }[] }).issues[0]!.path).toBe('content.programIds');
    // Removing programmes is an edit like any other.
    const removed = await callApi(ctx, 'consultations:edit', { consultationId: d.consultationId, baseRevisionId: kept.currentRevisionId, editor: 'Park Jiwoo', content: { ...kept.content, programIds: [] } });
    expect(removed.content.programIds).toEqual([]);
    expect(currentIds(store, d.consultationId)).toEqual([]);
  });

  it('two laptops edit the programmes apart; the resolution keeps the ones the person chose, from either head', async () => {
    const d = await log([BK]);
    const b = createTestStore({ deviceId: 'laptop-b' });
    stores.push(b);
    b.events.ingest(allEvents(store));
    const cb = createTestContext(b);
    await callApi(ctx, 'consultations:edit', { consultationId: d.consultationId, baseRevisionId: d.currentRevisionId, editor: 'A', content: { ...d.content, programIds: [BK, KAIST_POSTDOC] } });
    await callApi(cb, 'consultations:edit', { consultationId: d.consultationId, baseRevisionId: d.currentRevisionId, editor: 'B', content: { ...d.content, programIds: [BK, INNOCORE_BIO] } });
    store.events.ingest(allEvents(b));
    const both = await callApi(ctx, 'consultations:get', { consultationId: d.consultationId });
    expect(both.conflict).toBe(true);
    expect(both.history.filter((h) => both.headRevisionIds.includes(h.revisionId)).map((h) => h.content.programIds).sort()).toEqual([
      [BK, INNOCORE_BIO],
      [BK, KAIST_POSTDOC],
    ]);
    const resolved = await callApi(ctx, 'consultations:resolve', { consultationId: d.consultationId, revisionIds: both.headRevisionIds, editor: 'A', content: { ...both.content, programIds: [BK, INNOCORE_BIO, KAIST_POSTDOC] } });
    expect(resolved.conflict).toBe(false);
    expect(resolved.content.programIds).toEqual([BK, INNOCORE_BIO, KAIST_POSTDOC]);
    const wrong = await callApiError(ctx, 'consultations:edit', { consultationId: d.consultationId, baseRevisionId: resolved.currentRevisionId, editor: 'A', content: { ...resolved.content, programIds: [POSTECH_POSTDOC] } });
    expect(wrong.code).toBe('VALIDATION');
    // The other laptop folds the same result.
    b.events.ingest(allEvents(store));
    expect(currentIds(b, d.consultationId)).toEqual([BK, INNOCORE_BIO, KAIST_POSTDOC]);
  });

  it('the follow-up export names the programmes in the export’s language', async () => {
    await log([KAIST_POSTDOC, BK], { consent: { scope: 'all_institutions', textVersion: CURRENT_CONSENT_TEXT_VERSION } });
    const rows = async (language: 'ko' | 'en') => {
      const file = await callApi(ctx, 'consultations:exportFollowUps', { institutionId: 'inst-kaist', stopId: DEMO_STOP, format: 'csv', language });
      const lines = Buffer.from(file.base64, 'base64').toString('utf8').replace(/^\ufeff/, '').split('\r\n').filter(Boolean);
      const header = lines[0]!.split(',');
      return { header, cell: (name: string) => lines[1]!.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, ''))[header.indexOf(name)] };
    };
    const en = await rows('en');
    expect(en.header).toContain('Programmes discussed');
    expect(en.cell('Programmes discussed')).toBe('Brain to Korea, KAIST Postdoctoral Fellowship');
    const ko = await rows('ko');
    expect(ko.cell('상담한 프로그램')).toBe('브레인 투 코리아, KAIST 박사후연구원');
  });
});
