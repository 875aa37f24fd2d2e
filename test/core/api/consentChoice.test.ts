import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../../core/api/apiContext';
import { seedDemoStaff } from '../../../core/security/demoStaff';
import { DeskSession } from '../../../core/security/deskSession';
import type { Store } from '../../../core/store/openStore';
import { CONSENT_TEXTS, CURRENT_CONSENT_TEXT_VERSION, consentWording } from '../../../shared/consentTexts';
import { callApi, callApiError } from '../../helpers/callApi';
import { createTestContext, createTestStore, DEMO_STOP } from '../../helpers/testStore';

const eventCount = (s: Store) => (s.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
const consentEvents = (s: Store) => (s.db.prepare("SELECT COUNT(*) AS n FROM events WHERE type = 'consent_recorded'").get() as { n: number }).n;

/** Issue #22: no consent is recorded without the person's explicit choice, and each keeps the version of its text. */
describe('consent by the person’s choice (API)', () => {
  let store: Store;
  let ctx: ApiContext;
  let registrationId: string;
  let attendeeId: string;
  const walkIn = { stopId: DEMO_STOP, familyName: 'Okafor', givenName: 'Ada', nameKo: '', email: 'ada@example.edu', affiliation: 'MIT', careerStage: 'postdoc' as const, fields: [] };
  const logInput = { stopId: DEMO_STOP, institutionId: 'inst-kaist', content: { staffName: 'Lee' } };

  beforeEach(() => {
    store = createTestStore({ demo: true, attendees: 20 });
    ctx = createTestContext(store);
    const r = store.db.prepare('SELECT id, attendee_id FROM registrations WHERE stop_id = ? ORDER BY id LIMIT 1').get(DEMO_STOP) as { id: string; attendee_id: string };
    registrationId = r.id;
    attendeeId = r.attendee_id;
  });

  it('refuses a walk-in without a consent choice, with a choice the desk cannot offer, or with an unknown text version; writes nothing', async () => {
    const before = eventCount(store);
    const noScope = await callApiError(ctx, 'checkin:registerWalkIn', { ...walkIn, consentTextVersion: CURRENT_CONSENT_TEXT_VERSION });
    expect(noScope.code).toBe('VALIDATION');
    expect(JSON.stringify(noScope.details)).toContain('consentScope');
    // "This institution only" needs an institution: a desk has none (a booth records it).
    expect((await callApiError(ctx, 'checkin:registerWalkIn', { ...walkIn, consentScope: 'institution', consentTextVersion: CURRENT_CONSENT_TEXT_VERSION })).code).toBe('VALIDATION');
    const unknown = await callApiError(ctx, 'checkin:registerWalkIn', { ...walkIn, consentScope: 'hq_stats', consentTextVersion: '2099-01-v9' });
    expect(unknown.code).toBe('VALIDATION');
    expect(JSON.stringify(unknown.details)).toContain('consentTextVersion');
    expect(eventCount(store)).toBe(before);
    // With the person's choice it goes through, and the consent keeps the text version.
    const reg = await callApi(ctx, 'checkin:registerWalkIn', { ...walkIn, consentScope: 'hq_stats', consentTextVersion: CURRENT_CONSENT_TEXT_VERSION });
    const history = await callApi(ctx, 'consent:history', { attendeeId: reg.attendee.id });
    expect(history).toMatchObject([{ scope: 'hq_stats', textVersion: CURRENT_CONSENT_TEXT_VERSION, effective: true }]);
  });

  it('refuses a booth consent without a scope or with an unknown text version; a consultation without consent records none', async () => {
    const before = eventCount(store);
    const consentsBefore = consentEvents(store);
    const noScope = await callApiError(ctx, 'consultations:log', { ...logInput, registrationId, consent: { textVersion: CURRENT_CONSENT_TEXT_VERSION } });
    expect(noScope.code).toBe('VALIDATION');
    expect(JSON.stringify(noScope.details)).toContain('scope');
    expect((await callApiError(ctx, 'consultations:log', { ...logInput, registrationId, consent: { scope: 'all_institutions', textVersion: 'made-up' } })).code).toBe('VALIDATION');
    expect(eventCount(store)).toBe(before);
    // No consent part at all: the consultation is logged, and no consent is made up for the person.
    await callApi(ctx, 'consultations:log', { ...logInput, registrationId });
    expect(consentEvents(store)).toBe(consentsBefore);
    const d = await callApi(ctx, 'consultations:log', { ...logInput, registrationId });
    expect((await callApiError(ctx, 'consultations:recordConsent', { consultationId: d.consultationId, consent: { textVersion: CURRENT_CONSENT_TEXT_VERSION } })).code).toBe('VALIDATION');
    expect(consentEvents(store)).toBe(consentsBefore);
  });

  it('lists a person’s consents newest first with the version whose wording the app keeps; booth staff see only what covers them', async () => {
    const oldVersion = CONSENT_TEXTS[0]!.version;
    expect(oldVersion).not.toBe(CURRENT_CONSENT_TEXT_VERSION);
    const d = await callApi(ctx, 'consultations:log', { ...logInput, registrationId, consent: { scope: 'all_institutions', textVersion: oldVersion } });
    await callApi(ctx, 'consultations:recordConsent', { consultationId: d.consultationId, consent: { scope: 'institution', textVersion: CURRENT_CONSENT_TEXT_VERSION } });
    const history = await callApi(ctx, 'consent:history', { attendeeId });
    // The demo's own consent for this person comes last (oldest).
    expect(history.slice(0, 2)).toMatchObject([
      { scope: 'institution', institutionId: 'inst-kaist', institutionShortName: 'KAIST', textVersion: CURRENT_CONSENT_TEXT_VERSION, effective: true },
      { scope: 'all_institutions', textVersion: oldVersion, effective: false },
    ]);
    expect(history.filter((h) => h.effective)).toHaveLength(1);
    for (const h of history) {
      expect(consentWording(h.textVersion, 'en')?.statement).toBeTruthy();
      expect(consentWording(h.textVersion, 'ko')?.statement).toBeTruthy();
    }

    seedDemoStaff(store);
    const desk = createTestContext(store, { session: new DeskSession() });
    await callApi(desk, 'auth:signIn', { staffId: 'staff-demo-booth', pin: '333333' });
    // KAIST's booth staff: the consent that applies covers KAIST, and nothing of the earlier ones.
    expect(await callApi(desk, 'consent:history', { attendeeId })).toMatchObject([{ scope: 'institution', institutionId: 'inst-kaist', effective: true }]);
    await callApi(ctx, 'consultations:recordConsent', { consultationId: d.consultationId, consent: { scope: 'hq_stats', textVersion: CURRENT_CONSENT_TEXT_VERSION } });
    expect(await callApi(desk, 'consent:history', { attendeeId })).toEqual([]);
  });
});
