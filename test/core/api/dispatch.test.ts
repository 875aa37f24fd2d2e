import { CURRENT_CONSENT_TEXT_VERSION } from '../../../shared/consentTexts';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { answer, TRUSTED_OUTPUTS } from '../../../core/api/dispatch';
import { contract } from '../../../shared/contract';
import { callApi, callApiError } from '../../helpers/callApi';
import { createTestContext, createTestStore, DEMO_STOP } from '../../helpers/testStore';

const setup = () => createTestContext(createTestStore({ demo: true, attendees: 120 }));
const eventCount = (ctx: ReturnType<typeof setup>) => (ctx.store.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;

describe('API dispatch', () => {
  it('answers UNKNOWN_CHANNEL for a channel the contract lacks', async () => {
    const ctx = setup();
    expect(await callApiError(ctx, 'attendees:dropAll', {})).toMatchObject({ code: 'UNKNOWN_CHANNEL' });
    expect(await callApiError(ctx, '__proto__', {})).toMatchObject({ code: 'UNKNOWN_CHANNEL' });
  });

  it('checks a trusted channel’s answer against its schema under tests: the parse the running app skips changes nothing', async () => {
    for (const channel of TRUSTED_OUTPUTS) expect(contract[channel].output).toBeDefined();
    const schema = z.object({ id: z.string(), n: z.number().default(1) });
    expect(answer('checkin:checkIn', schema, { id: 'a', n: 2 })).toEqual({ id: 'a', n: 2 });
    // A key the schema would strip, a default it would fill, a wrong type: each fails here (INTERNAL through dispatch).
    expect(() => answer('checkin:checkIn', schema, { id: 'a', n: 2, secret: 'x' })).toThrow(/differs from its output schema/);
    expect(() => answer('checkin:checkIn', schema, { id: 'a' })).toThrow(/differs from its output schema/);
    expect(() => answer('checkin:checkIn', schema, { id: 1, n: 2 })).toThrow();
    // Other channels keep the parse (strips and fills), as before.
    expect(answer('checkin:counts', schema, { id: 'a', secret: 'x' })).toEqual({ id: 'a', n: 1 });
    // A real check-in's answer passes the check.
    const ctx = setup();
    const reg = (await callApi(ctx, 'checkin:search', { stopId: DEMO_STOP, query: '', limit: 50 })).find((r) => !r.checkIn)!;
    expect((await callApi(ctx, 'checkin:checkIn', { registrationId: reg.registrationId })).created).toBe(true);
  });

  it('validates input with the shared schema and names the bad fields', async () => {
    const ctx = setup();
    const err = await callApiError(ctx, 'checkin:search', { stopId: DEMO_STOP, query: 42 });
    expect(err.code).toBe('VALIDATION');
    expect(JSON.stringify(err.details)).toContain('query');
  });

  it('lists the tour, its stops and the booths of a stop', async () => {
    const ctx = setup();
    expect((await callApi(ctx, 'tour:get', {}))?.year).toBe(2025);
    const stops = await callApi(ctx, 'stops:list', {});
    expect(stops.map((s) => s.city)).toEqual(expect.arrayContaining(['Boston', 'San Francisco', 'Pittsburgh', 'Atlanta', 'Austin']));
    const booths = await callApi(ctx, 'booths:list', { stopId: DEMO_STOP });
    expect(booths.map((b) => b.institution.shortName)).toEqual(expect.arrayContaining(['KAIST', 'POSTECH', 'KIST', 'KOTRA']));
  });

  it('checks a person in once, warns on the second try, and undoes with a reason', async () => {
    const ctx = setup();
    const before = await callApi(ctx, 'checkin:counts', { stopId: DEMO_STOP });
    const all = await callApi(ctx, 'checkin:search', { stopId: DEMO_STOP, query: '', limit: 200 });
    const target = all.find((r) => !r.checkIn)!;
    const first = await callApi(ctx, 'checkin:checkIn', { registrationId: target.registrationId });
    expect(first.created).toBe(true);
    expect(first.registration.checkIn?.desk).toBe('Desk 1');
    const events = eventCount(ctx);
    const second = await callApi(ctx, 'checkin:checkIn', { registrationId: target.registrationId });
    expect(second.created).toBe(false);
    expect(eventCount(ctx)).toBe(events); // a warning writes nothing
    expect((await callApi(ctx, 'checkin:counts', { stopId: DEMO_STOP })).checkedIn).toBe(before.checkedIn + 1);
    const undone = await callApi(ctx, 'checkin:void', { checkInEventId: first.registration.checkIn!.eventId, reason: 'wrong person' });
    expect(undone.checkIn).toBeNull();
    expect((await callApi(ctx, 'checkin:counts', { stopId: DEMO_STOP })).checkedIn).toBe(before.checkedIn);
    expect(await callApiError(ctx, 'checkin:void', { checkInEventId: first.registration.checkIn!.eventId, reason: '' })).toMatchObject({ code: 'VALIDATION' });
  });

  it('registers a walk-in with consent and checks them in, in one transaction', async () => {
    const ctx = setup();
    const before = eventCount(ctx);
    const reg = await callApi(ctx, 'checkin:registerWalkIn', {
      stopId: DEMO_STOP,
      familyName: 'Jung',
      givenName: 'Haeun',
      nameKo: '정하은',
      email: 'haeun@cmu.edu',
      affiliation: 'Carnegie Mellon University',
      careerStage: 'postdoc',
      fields: ['quantum'],
      consentScope: 'all_institutions',
      consentTextVersion: '2025-10-v1',
    });
    expect(reg.source).toBe('walk_in');
    expect(reg.checkIn).not.toBeNull();
    expect(reg.scanToken).toMatch(/^RS-[0-9A-Z]{12}$/);
    expect(eventCount(ctx)).toBe(before + 4);
    const found = await callApi(ctx, 'checkin:search', { stopId: DEMO_STOP, query: '정하은' });
    expect(found.map((r) => r.registrationId)).toContain(reg.registrationId);
    expect((await callApi(ctx, 'checkin:byToken', { stopId: DEMO_STOP, token: reg.scanToken }))?.registrationId).toBe(reg.registrationId);
  });

  it('refuses a walk-in without any name or with a bad email, writing nothing', async () => {
    const ctx = setup();
    const before = eventCount(ctx);
    const base = { stopId: DEMO_STOP, careerStage: 'student', fields: [], consentScope: 'hq_stats', consentTextVersion: CURRENT_CONSENT_TEXT_VERSION } as const;
    expect(await callApiError(ctx, 'checkin:registerWalkIn', { ...base, familyName: ' ', givenName: '', nameKo: '' })).toMatchObject({ code: 'VALIDATION' });
    expect(await callApiError(ctx, 'checkin:registerWalkIn', { ...base, givenName: 'A', email: 'not-an-email' })).toMatchObject({ code: 'VALIDATION' });
    expect(await callApiError(ctx, 'checkin:registerWalkIn', { ...base, givenName: 'A', stopId: 'stop-nowhere' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(eventCount(ctx)).toBe(before);
  });

  it('keeps settings locally and reports unsynced events', async () => {
    const ctx = setup();
    expect(await callApi(ctx, 'settings:update', { language: 'en', deskName: 'Door 2' })).toMatchObject({ language: 'en', deskName: 'Door 2', currentStopId: DEMO_STOP });
    expect(await callApiError(ctx, 'settings:update', { language: 'fr' })).toMatchObject({ code: 'VALIDATION' });
    const info = await callApi(ctx, 'app:info', {});
    expect(info.unsyncedCount).toBe(0);
    const all = await callApi(ctx, 'checkin:search', { stopId: DEMO_STOP, query: '', limit: 200 });
    await callApi(ctx, 'checkin:checkIn', { registrationId: all.find((r) => !r.checkIn)!.registrationId });
    expect((await callApi(ctx, 'app:info', {})).unsyncedCount).toBe(1);
  });
});
