import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { encodeHlc } from '../../core/sync/hlc';
import { CURRENT_SCHEMA_VERSION } from '../../shared/events/eventTypes';
import type { HqProjections } from '../../hq/server/hqProjections';
import type { HqStorage, StoredEvent } from '../../hq/server/storage';

/**
 * A large tour written straight into HQ's storage (the push API's own `pushBatch`, in big batches)
 * and projected, without laptops or HTTP: 100,000 people in seconds rather than a day of syncing.
 * Payloads have the shapes the desks write (shared/events), so HQ's projections take them as they
 * take a push.
 */
export interface BulkTourOptions {
  people: number;
  stops: number;
  /** Every n-th person registers again at the next stop as a new record with the same email (a same-person proposal). */
  repeatEvery?: number;
  /** Registrations checked in twice (double check-ins: conflicts), at the first stop first. */
  doubleCheckIns?: number;
  /** Consultations at KAIST's booth of each stop (consenting people, follow-up open). */
  consultations?: number;
  /** Clock of the events (ms). */
  start?: number;
}

export interface BulkTour {
  stopIds: string[];
  /** The devices that wrote the tour (a seed and two desks per stop). */
  deviceIds: string[];
  /** Time spent in pushBatch, and in the projection catch-up after it (ms). */
  pushMs: number;
  projectMs: number;
  events: number;
  /** Records that repeat an earlier person (so: proposals). */
  repeats: number;
  doubleCheckIns: number;
  /** Double check-ins per stop id. */
  doublesPerStop: Map<string, number>;
  consultations: number;
  /** Emails of the first few repeated people (to filter proposals by). */
  repeatedEmails: string[];
}

const content = (over: Record<string, unknown> = {}) => ({
  staffName: 'Dr. Choi',
  fields: ['ai'],
  otherFields: [],
  careerStage: 'postdoc',
  programs: ['innocore_postdoc'],
  interestLevel: 'high',
  preferredStart: '',
  followUpAction: 'Send the InnoCORE call',
  followUpOwner: '',
  followUpDue: '',
  followUpStatus: 'open',
  notes: '',
  ...over,
});

const FAMILY = ['Kim', 'Lee', 'Park', 'Choi', 'Jung', 'Kang', 'Cho', 'Yoon', 'Jang', 'Lim', 'Smith', 'Garcia', 'Chen', 'Patel', 'Nguyen'];
const GIVEN = ['Minjun', 'Seoyeon', 'Jihoon', 'Hayoon', 'Doyoon', 'Sua', 'Emily', 'Wei', 'Priya', 'Lukas', 'Ana', 'Noah', 'Sora', 'Taeho', 'Yuna'];
const AFFILIATIONS = ['MIT', 'Harvard University', 'Stanford University', 'UC Berkeley', 'Columbia University', 'University of Chicago', 'Caltech', 'Georgia Tech'];

/** Writes the tour through `storage.pushBatch` (batches of `batch` events per device) and folds it into the projections. */
export async function writeBulkTour(storage: HqStorage, projections: HqProjections, opts: BulkTourOptions, batch = 5000): Promise<BulkTour> {
  let wall = opts.start ?? Date.parse('2025-10-20T14:00:00Z');
  const devices = new Map<string, StoredEvent[]>();
  const emit = (deviceId: string, type: string, payload: unknown, stopId: string | null) => {
    const list = devices.get(deviceId) ?? [];
    devices.set(deviceId, list);
    wall += 1;
    list.push({
      eventId: randomUUID(),
      deviceId,
      deviceSeq: list.length + 1,
      hlc: encodeHlc(wall, 0, deviceId),
      type,
      schemaVersion: CURRENT_SCHEMA_VERSION,
      actorId: null,
      stopId,
      recordedAt: new Date(wall).toISOString(),
      payloadText: JSON.stringify(payload),
    });
  };

  const seed = 'bulk-seed';
  emit(seed, 'tour_upserted', { id: 'tour-bulk', name: 'Bulk roadshow', nameKo: '대규모 로드쇼', year: 2025 }, null);
  emit(seed, 'institution_upserted', { id: 'inst-kaist', name: 'KAIST', nameKo: '한국과학기술원', shortName: 'KAIST', kind: 'university' }, null);
  const stopIds: string[] = [];
  for (let s = 0; s < opts.stops; s++) {
    const id = `stop-${String(s + 1).padStart(2, '0')}`;
    stopIds.push(id);
    const day = new Date(Date.UTC(2025, 9, 20 + s)).toISOString().slice(0, 10);
    emit(seed, 'stop_upserted', { id, tourId: 'tour-bulk', round: String(s + 1), city: `City ${s + 1}`, cityKo: `도시 ${s + 1}`, venue: `Hall ${s + 1}`, campus: '', date: day, timeZone: 'America/New_York', kind: 'joint_briefing' }, null);
    emit(seed, 'booth_upserted', { id: `booth-${id}-kaist`, stopId: id, institutionId: 'inst-kaist', location: 'B01', staff: [] }, null);
  }

  const repeatEvery = opts.repeatEvery ?? 0;
  const regs: { registrationId: string; attendeeId: string; stopId: string; desk: string; checkedIn: boolean; stopIndex: number }[] = [];
  let repeats = 0;
  const repeatedEmails: string[] = [];
  for (let i = 0; i < opts.people; i++) {
    const repeat = repeatEvery > 0 && i % repeatEvery === repeatEvery - 1 && i > 0;
    const person = repeat ? i - 1 : i;
    const stopIndex = repeat ? ((person % opts.stops) + 1) % opts.stops : person % opts.stops;
    const stopId = stopIds[stopIndex]!;
    const desk = `bulk-desk-${stopId}`;
    const attendeeId = `att-${i}`;
    const registrationId = `reg-${i}`;
    const email = `p${person}@univ${person % 97}.edu`;
    if (repeat) {
      repeats++;
      if (repeatedEmails.length < 5) repeatedEmails.push(email);
    }
    const meta = stopId;
    emit(desk, 'attendee_registered', { attendeeId, familyName: FAMILY[person % FAMILY.length]!, givenName: `${GIVEN[person % GIVEN.length]!}${person}`, nameKo: '', email, affiliation: AFFILIATIONS[person % AFFILIATIONS.length]!, careerStage: 'postdoc', fields: ['ai'] }, meta);
    emit(desk, 'registration_created', { registrationId, attendeeId, stopId, source: repeat ? 'walk_in' : 'preregistered', scanToken: `RS-B${i}` }, meta);
    const checkedIn = i % 3 !== 2; // two in three came
    if (checkedIn) emit(desk, 'checked_in', { registrationId, attendeeId, stopId, desk: 'Desk A' }, meta);
    regs.push({ registrationId, attendeeId, stopId, desk, checkedIn, stopIndex });
  }

  // Double check-ins: people checked in at a second desk too (the first ones at the first stop).
  const doublesPerStop = new Map<string, number>();
  const came = regs.filter((r) => r.checkedIn).sort((a, b) => a.stopIndex - b.stopIndex);
  const made = Math.min(opts.doubleCheckIns ?? 0, came.length);
  for (const r of came.slice(0, made)) {
    emit(`${r.desk}-b`, 'checked_in', { registrationId: r.registrationId, attendeeId: r.attendeeId, stopId: r.stopId, desk: 'Desk B' }, r.stopId);
    doublesPerStop.set(r.stopId, (doublesPerStop.get(r.stopId) ?? 0) + 1);
  }

  // Consultations with consenting people (their follow-ups go into KAIST's export).
  const consultations = Math.min(opts.consultations ?? 0, regs.length);
  for (let i = 0; i < consultations; i++) {
    const r = regs[i]!;
    emit(r.desk, 'consent_recorded', { consentId: `consent-${i}`, attendeeId: r.attendeeId, scope: 'all_institutions', institutionId: null, textVersion: '2025-10-v1' }, r.stopId);
    emit(r.desk, 'consultation_logged', { consultationId: `cons-${i}`, stopId: r.stopId, institutionId: 'inst-kaist', boothId: `booth-${r.stopId}-kaist`, bookingId: null, attendeeId: r.attendeeId, registrationId: r.registrationId, visitorLabel: '', content: content() }, r.stopId);
  }

  let events = 0;
  const receivedAt = new Date(wall).toISOString();
  const t0 = performance.now();
  for (const [deviceId, list] of devices) {
    for (let k = 0; k < list.length; k += batch) {
      const out = await storage.pushBatch(deviceId, list.slice(k, k + batch), receivedAt);
      if (!out.ok) throw new Error(`bulk push of ${deviceId} refused: ${JSON.stringify(out)}`);
    }
    events += list.length;
  }
  const t1 = performance.now();
  await projections.catchUp();
  const t2 = performance.now();
  return { stopIds, deviceIds: [...devices.keys()], pushMs: t1 - t0, projectMs: t2 - t1, events, repeats, doubleCheckIns: made, doublesPerStop, consultations, repeatedEmails };
}

/** Enrolls `n` devices straight into storage (codes redeemed, no HTTP): the Devices page's rows. */
export async function enrollBulkDevices(storage: HqStorage, n: number, now = new Date('2025-10-20T12:00:00Z'), named: readonly string[] = []): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = named[i] ?? `desk-${String(i).padStart(4, '0')}`;
    const codeHash = `bulk-code-${i}-${randomUUID()}`;
    await storage.createEnrollmentCode({ codeHash, label: `Desk ${i}`, deviceId: null, createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + 3600_000).toISOString(), role: 'desk', uses: 1 });
    const r = await storage.redeemEnrollmentCode(codeHash, id, `Desk ${i}`, `bulk-token-${id}-${randomUUID()}`, now.toISOString());
    if (r !== 'ok') throw new Error(`enrolling ${id}: ${r}`);
    ids.push(id);
  }
  return ids;
}
