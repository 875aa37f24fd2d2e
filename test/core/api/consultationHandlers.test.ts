import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../../core/api/apiContext';
import { DeskSession } from '../../../core/security/deskSession';
import type { Store } from '../../../core/store/openStore';
import type { LogConsultationInput } from '../../../shared/ipc/consultationsContract';
import { CURRENT_CONSENT_TEXT_VERSION } from '../../../shared/vocab';
import { callApi, callApiError } from '../../helpers/callApi';
import { createTestContext, createTestStore, DEMO_STOP } from '../../helpers/testStore';

const eventCount = (s: Store) => (s.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;

interface Reg {
  registrationId: string;
  attendeeId: string;
  scope: string | null;
}
/** Registrations at the demo stop with their person's demo consent scope. */
function registrations(store: Store): Reg[] {
  return store.db
    .prepare(
      `SELECT r.id AS registrationId, r.attendee_id AS attendeeId,
         (SELECT scope FROM consents c WHERE c.attendee_id = r.attendee_id ORDER BY hlc DESC LIMIT 1) AS scope
       FROM registrations r WHERE r.stop_id = ? ORDER BY r.id`,
    )
    .all(DEMO_STOP) as Reg[];
}

describe('consultations API', () => {
  let store: Store;
  let ctx: ApiContext;
  let regs: Reg[];
  const log = (over: Partial<LogConsultationInput> = {}) =>
    callApi(ctx, 'consultations:log', {
      stopId: DEMO_STOP,
      institutionId: 'inst-kaist',
      registrationId: regs[0]!.registrationId,
      content: { staffName: 'Park Jiwoo' },
      ...over,
    });

  beforeEach(() => {
    store = createTestStore({ demo: true, attendees: 60 });
    ctx = createTestContext(store);
    regs = registrations(store);
  });

  it('logs a consultation from a registration with consent, all in one go', async () => {
    const d = await log({
      boothId: `booth-${DEMO_STOP}-inst-kaist`,
      bookingId: 'booking-42',
      content: {
        staffName: 'Park Jiwoo',
        fields: ['bio', 'ai', 'ai'],
        otherFields: ['Battery materials'],
        careerStage: 'postdoc',
        programs: ['innocore_postdoc'],
        interestLevel: 'high',
        preferredStart: '2026-03',
        followUpAction: 'Send the InnoCORE call',
        followUpOwner: 'Park Jiwoo',
        followUpDue: '2025-11-30',
        followUpStatus: 'open',
        notes: '뇌질환 조기진단 그룹에 관심',
      },
      consent: { scope: 'institution', textVersion: CURRENT_CONSENT_TEXT_VERSION },
    });
    expect(d.person?.attendeeId).toBe(regs[0]!.attendeeId);
    expect(d.content.fields).toEqual(['ai', 'bio']);
    expect(d.bookingId).toBe('booking-42');
    expect(d.consent).toMatchObject({ scope: 'institution', institutionId: 'inst-kaist', textVersion: CURRENT_CONSENT_TEXT_VERSION });
    expect(d.consentCoversInstitution).toBe(true);
    expect(d.history).toHaveLength(1);
    expect(await callApi(ctx, 'consultations:attendeeConsent', { attendeeId: regs[0]!.attendeeId })).toMatchObject({ scope: 'institution' });
  });

  it('tells booth staff only of a consent that covers their own institution (issue #17)', async () => {
    const person = regs[0]!.attendeeId;
    await log({ consent: { scope: 'institution', textVersion: CURRENT_CONSENT_TEXT_VERSION } });
    const { seedDemoStaff } = await import('../../../core/security/demoStaff');
    seedDemoStaff(store);
    const desk = createTestContext(store, { session: new DeskSession() });
    // KAIST's booth staff see KAIST's consent; a lead sees any.
    await callApi(desk, 'auth:signIn', { staffId: 'staff-demo-booth', pin: '333333' });
    expect(await callApi(desk, 'consultations:attendeeConsent', { attendeeId: person })).toMatchObject({ scope: 'institution', institutionId: 'inst-kaist' });
    // The person's latest consent is for GIST only: KAIST's booth staff learn nothing of it.
    await log({ institutionId: 'inst-gist', consent: { scope: 'institution', textVersion: CURRENT_CONSENT_TEXT_VERSION } });
    expect(await callApi(ctx, 'consultations:attendeeConsent', { attendeeId: person })).toMatchObject({ institutionId: 'inst-gist' });
    expect(await callApi(desk, 'consultations:attendeeConsent', { attendeeId: person })).toBeNull();
    await callApi(desk, 'auth:signIn', { staffId: 'staff-demo-lead', pin: '111111' });
    expect(await callApi(desk, 'consultations:attendeeConsent', { attendeeId: person })).toMatchObject({ institutionId: 'inst-gist' });
  });

  it('logs an anonymous visitor, and refuses consent for nobody', async () => {
    const d = await log({ registrationId: null, visitorLabel: 'PhD student, battery materials' });
    expect(d.person).toBeNull();
    expect(d.visitorLabel).toBe('PhD student, battery materials');
    const before = eventCount(store);
    const err = await callApiError(ctx, 'consultations:log', { stopId: DEMO_STOP, institutionId: 'inst-kaist', registrationId: null, content: { staffName: 'P' }, consent: { scope: 'all_institutions', textVersion: CURRENT_CONSENT_TEXT_VERSION } });
    expect(err.code).toBe('VALIDATION');
    expect(eventCount(store)).toBe(before);
  });

  it('refuses bad input with a clear code and writes nothing', async () => {
    const before = eventCount(store);
    const cases: [unknown, string][] = [
      [{ stopId: DEMO_STOP, institutionId: 'inst-kaist', content: { staffName: '' } }, 'VALIDATION'],
      [{ stopId: DEMO_STOP, institutionId: 'inst-kaist', content: { staffName: 'P', followUpStatus: 'open' } }, 'VALIDATION'],
      [{ stopId: DEMO_STOP, institutionId: 'inst-kaist', content: { staffName: 'P', followUpAction: 'call', followUpStatus: 'none' } }, 'VALIDATION'],
      [{ stopId: DEMO_STOP, institutionId: 'inst-kaist', content: { staffName: 'P', preferredStart: '2026-13' } }, 'VALIDATION'],
      [{ stopId: DEMO_STOP, institutionId: 'inst-kaist', content: { staffName: 'P', fields: ['astrology'] } }, 'VALIDATION'],
      [{ stopId: DEMO_STOP, institutionId: 'inst-nope', content: { staffName: 'P' } }, 'NOT_FOUND'],
      [{ stopId: 'stop-nope', institutionId: 'inst-kaist', content: { staffName: 'P' } }, 'NOT_FOUND'],
      [{ stopId: DEMO_STOP, institutionId: 'inst-kaist', registrationId: 'reg-nope', content: { staffName: 'P' } }, 'NOT_FOUND'],
      [{ stopId: DEMO_STOP, institutionId: 'inst-kaist', boothId: `booth-${DEMO_STOP}-inst-gist`, content: { staffName: 'P' } }, 'VALIDATION'],
    ];
    for (const [input, code] of cases) expect((await callApiError(ctx, 'consultations:log', input)).code, JSON.stringify(input)).toBe(code);
    const other = store.db.prepare('SELECT id FROM registrations WHERE stop_id <> ? LIMIT 1').get(DEMO_STOP) as { id: string };
    expect((await callApiError(ctx, 'consultations:log', { stopId: DEMO_STOP, institutionId: 'inst-kaist', registrationId: other.id, content: { staffName: 'P' } })).code).toBe('VALIDATION');
    expect(eventCount(store)).toBe(before);
  });

  it('edits with history, refuses a stale base, and writes nothing for an edit that changes nothing', async () => {
    const d = await log({ content: { staffName: 'Park Jiwoo', notes: 'first' } });
    const e1 = await callApi(ctx, 'consultations:edit', { consultationId: d.consultationId, baseRevisionId: d.currentRevisionId, editor: 'Lee Seojin', content: { ...d.content, notes: 'second', interestLevel: 'high' } });
    expect(e1.history.map((h) => [h.kind, h.editor, h.changed])).toEqual([
      ['logged', 'Park Jiwoo', []],
      ['edited', 'Lee Seojin', ['interestLevel', 'notes']],
    ]);
    expect(e1.revisionCount).toBe(2);
    // Each revision names the desk it was written at (the laptop's desk name), for the history.
    expect(e1.history.map((h) => h.desk)).toEqual(['Desk 1', 'Desk 1']);
    await callApi(ctx, 'settings:update', { deskName: 'KAIST booth' });
    const e2 = await callApi(ctx, 'consultations:edit', { consultationId: d.consultationId, baseRevisionId: e1.currentRevisionId, editor: 'Lee Seojin', content: { ...e1.content, notes: 'third' } });
    expect(e2.history.map((h) => h.desk)).toEqual(['Desk 1', 'Desk 1', 'KAIST booth']);
    const stale = await callApiError(ctx, 'consultations:edit', { consultationId: d.consultationId, baseRevisionId: d.currentRevisionId, editor: 'Kim', content: { ...d.content, notes: 'third' } });
    expect(stale).toMatchObject({ code: 'STALE_REVISION', details: { currentRevisionId: e2.currentRevisionId } });
    const before = eventCount(store);
    const same = await callApi(ctx, 'consultations:edit', { consultationId: d.consultationId, baseRevisionId: e2.currentRevisionId, editor: 'Kim', content: e2.content });
    expect(same.revisionCount).toBe(3);
    expect(eventCount(store)).toBe(before);
    expect((await callApiError(ctx, 'consultations:edit', { consultationId: 'nope', baseRevisionId: e2.currentRevisionId, editor: 'K', content: e2.content })).code).toBe('NOT_FOUND');
  });

  it('lists per stop and per institution with filters and a notes search', async () => {
    await log({ content: { staffName: 'A', fields: ['ai'], programs: ['innocore_postdoc'], interestLevel: 'high', notes: 'Wants a lab visit in Daejeon' } });
    await log({ registrationId: regs[1]!.registrationId, content: { staffName: 'B', fields: ['bio'], otherFields: ['Battery materials'], interestLevel: 'low', followUpAction: 'Email', followUpStatus: 'open', notes: '연구실 방문 희망, Café meeting' } });
    await log({ institutionId: 'inst-gist', registrationId: regs[2]!.registrationId, content: { staffName: 'C', fields: ['ai'], notes: 'visit' } });
    const list = (f: Record<string, unknown>) => callApi(ctx, 'consultations:list', { stopId: DEMO_STOP, ...f });
    expect((await list({})).total).toBe(3);
    expect((await list({ institutionId: 'inst-kaist' })).total).toBe(2);
    expect((await callApi(ctx, 'consultations:list', { institutionId: 'inst-gist' })).total).toBe(1);
    expect((await list({ field: 'ai' })).items.map((i) => i.content.staffName).sort()).toEqual(['A', 'C']);
    expect((await list({ field: 'battery MATERIALS' })).items.map((i) => i.content.staffName)).toEqual(['B']);
    expect((await list({ program: 'innocore_postdoc' })).total).toBe(1);
    expect((await list({ interestLevel: 'low' })).items[0]!.content.staffName).toBe('B');
    expect((await list({ followUpStatus: 'open' })).total).toBe(1);
    expect((await list({ notesQuery: 'daejeon LAB' })).items.map((i) => i.content.staffName)).toEqual(['A']);
    expect((await list({ notesQuery: '연구실' })).items.map((i) => i.content.staffName)).toEqual(['B']);
    expect((await list({ notesQuery: 'cafe' })).items.map((i) => i.content.staffName)).toEqual(['B']);
    expect((await list({ notesQuery: 'visit' })).total).toBe(2);
    expect((await list({})).otherFields).toEqual(['Battery materials']);
    expect((await callApiError(ctx, 'consultations:list', {})).code).toBe('VALIDATION');
  });

  it('exports an institution’s follow-ups as CSV and XLSX with only consented people', async () => {
    const all = regs.find((r) => r.scope === 'all_institutions')!;
    const hq = regs.find((r) => r.scope === 'hq_stats')!;
    await log({ registrationId: all.registrationId, content: { staffName: 'A', notes: '=HYPERLINK("http://evil")' } });
    await log({ registrationId: hq.registrationId, content: { staffName: 'B' } });
    await log({ registrationId: null, content: { staffName: 'C' } });
    // A person who said "this institution only" at GIST's booth is not in KAIST's list.
    const gistOnly = regs.find((r) => r !== all && r !== hq && r.scope === 'all_institutions')!;
    await log({ registrationId: gistOnly.registrationId, institutionId: 'inst-gist', content: { staffName: 'D' }, consent: { scope: 'institution', textVersion: CURRENT_CONSENT_TEXT_VERSION } });
    await log({ registrationId: gistOnly.registrationId, content: { staffName: 'E' } });

    const csv = await callApi(ctx, 'consultations:exportFollowUps', { institutionId: 'inst-kaist', stopId: DEMO_STOP, format: 'csv', language: 'ko' });
    expect(csv).toMatchObject({ rowCount: 1, excludedNoConsent: 2, excludedAnonymous: 1, mimeType: 'text/csv;charset=utf-8' });
    expect(csv.filename).toMatch(/^follow-ups_KAIST_3-1-New-York_\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = Buffer.from(csv.base64, 'base64');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(2);
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")"`);

    const gist = await callApi(ctx, 'consultations:exportFollowUps', { institutionId: 'inst-gist', stopId: null, format: 'xlsx', language: 'en' });
    expect(gist).toMatchObject({ rowCount: 1, excludedNoConsent: 0 });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(gist.base64, 'base64') as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).toBe(2);
    expect((ws.getRow(2).values as unknown[]).includes('This institution only')).toBe(true);
    expect((await callApiError(ctx, 'consultations:exportFollowUps', { institutionId: 'inst-kaist', format: 'pdf' })).code).toBe('VALIDATION');
    expect((await callApiError(ctx, 'consultations:exportFollowUps', { institutionId: 'inst-nope', format: 'csv' })).code).toBe('NOT_FOUND');
  });

  it('exports by the person’s latest consent over every merged record: a later withdrawal on another record counts', async () => {
    const a = regs.find((r) => r.scope === 'all_institutions')!;
    const b = regs.find((r) => r.attendeeId !== a.attendeeId && r.scope === 'all_institutions')!;
    await log({ registrationId: a.registrationId, content: { staffName: 'A' } });
    const kaist = () => callApi(ctx, 'consultations:exportFollowUps', { institutionId: 'inst-kaist', stopId: DEMO_STOP, format: 'csv', language: 'en' });
    expect(await kaist()).toMatchObject({ rowCount: 1, excludedNoConsent: 0 });
    // The same person, registered twice: on the other record they now allow HQ statistics only.
    await log({ registrationId: b.registrationId, institutionId: 'inst-gist', content: { staffName: 'B' }, consent: { scope: 'hq_stats', textVersion: CURRENT_CONSENT_TEXT_VERSION } });
    expect(await kaist()).toMatchObject({ rowCount: 1, excludedNoConsent: 0 });
    store.events.append('attendee_merged', { fromAttendeeId: b.attendeeId, intoAttendeeId: a.attendeeId, reason: 'email' });
    expect(await kaist()).toMatchObject({ rowCount: 0, excludedNoConsent: 1 });
  });

  it('keeps booth staff to their own institution', async () => {
    const gist = await log({ institutionId: 'inst-gist' });
    await log();
    const session = new DeskSession();
    session.signIn({ id: 'staff-1', name: 'KAIST recruiter', role: 'booth_staff', institutionId: 'inst-kaist' });
    const booth = createTestContext(store, { session, actorId: 'staff-1' });
    const listed = await callApi(booth, 'consultations:list', { stopId: DEMO_STOP, institutionId: 'inst-kaist' });
    expect(listed.items.map((i) => i.institutionId)).toEqual(['inst-kaist']);
    expect((await callApiError(booth, 'consultations:get', { consultationId: gist.consultationId })).code).toBe('FORBIDDEN_ROLE');
    expect((await callApiError(booth, 'consultations:exportFollowUps', { institutionId: 'inst-gist', format: 'csv' })).code).toBe('FORBIDDEN_ROLE');
  });
});
