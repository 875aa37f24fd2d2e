import type { EventEnvelope } from '../../shared/events/envelope';
import { CURRENT_SCHEMA_VERSION, type EventPayload, type EventType } from '../../shared/events/eventTypes';
import { CONSENT_TEXTS } from '../../shared/consentTexts';
import type { Program } from '../../shared/schemas/programs';
import { CAREER_STAGES, PROGRAMS, RESEARCH_FIELDS, type CareerStage, type Program as LegacyProgram, type ResearchField } from '../../shared/vocab';

/** The demo's people consented when they pre-registered, to the first consent text (its wording is kept). */
const DEMO_CONSENT_TEXT_VERSION = CONSENT_TEXTS[0]!.version;
import { generateSlots } from '../domain/boothSlots';
import { pick, seededRandom } from '../domain/seededRandom';
import { encodeHlc } from '../sync/hlc';
import type { Store } from '../store/openStore';
import type { DemoData } from './demoData';

const HQ_DEVICE = 'demo-hq';
const DESK_DEVICE = 'demo-desk-a';
const BOOTH_DEVICE = 'demo-booth-laptop';

/** A deterministic, seeded UUID-shaped id, so the same demo gives the same ids on every laptop. */
const HEX = '0123456789abcdef';
function demoUuid(rand: () => number): string {
  let hex = '';
  for (let i = 0; i < 32; i++) hex += HEX[Math.floor(rand() * 16)];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}

export interface SeedOptions {
  attendees?: number;
  seed?: number;
  /** Booth plans and pre-booked consultations (default on; tests of scheduling start without them). */
  schedules?: boolean;
}

/**
 * Builds the demo tour as events from a pretend HQ and a pretend desk and ingests them, the way
 * master data and other desks' check-ins arrive by sync. Returns the events for tests.
 */
export function buildDemoEvents(data: DemoData, opts: SeedOptions = {}): EventEnvelope[] {
  const rand = seededRandom(opts.seed ?? 2025);
  const count = opts.attendees ?? 400;
  const seqs = new Map<string, number>();
  const out: EventEnvelope[] = [];
  // Schedules draw their ids from a stream of their own, so the people are the same with or without them.
  const scheduleRand = seededRandom((opts.seed ?? 2025) + 1);
  const emit = <T extends EventType>(device: string, atMs: number, type: T, payload: EventPayload<T>, stopId: string | null = null, idRand = rand): string => {
    const seq = (seqs.get(device) ?? 0) + 1;
    seqs.set(device, seq);
    const eventId = demoUuid(idRand);
    out.push({
      eventId,
      deviceId: device,
      deviceSeq: seq,
      hlc: encodeHlc(atMs, seq % 100, device),
      type,
      schemaVersion: CURRENT_SCHEMA_VERSION,
      actorId: null,
      stopId,
      recordedAt: new Date(atMs).toISOString(),
      payload: payload as Record<string, unknown>,
    });
    return eventId;
  };

  const { tour, stops } = data.tour;
  let t = Date.parse('2025-09-01T00:00:00Z');
  emit(HQ_DEVICE, t, 'tour_upserted', tour);
  for (const s of stops) emit(HQ_DEVICE, ++t, 'stop_upserted', { ...s, tourId: tour.id });
  for (const i of data.institutions) emit(HQ_DEVICE, ++t, 'institution_upserted', i);
  const exhibitors = data.institutions.filter((i) => i.kind !== 'agency' || i.shortName === 'KOTRA');
  // Every booth consults 13:00–17:00 in 15-minute slots, two staff at a time, with a coffee break.
  const plan = { startTime: '13:00', endTime: '17:00', slotMinutes: 15, capacity: 2, breaks: [{ start: '15:00', end: '15:15' }] };
  const institutionOfBooth = new Map<string, { id: string; shortName: string }>();
  const slotsOfStop = new Map<string, { boothId: string; slots: { start: string; end: string }[] }[]>();
  for (const s of stops) {
    const slots = generateSlots(plan, s.date, s.timeZone).map(({ start, end }) => ({ start, end }));
    const booths: { boothId: string; slots: { start: string; end: string }[] }[] = [];
    exhibitors.forEach((inst, n) => {
      const staff = [`${inst.shortName} recruiter`, `${inst.shortName} faculty`].slice(0, 1 + (n % 2));
      const boothId = `booth-${s.id}-${inst.id}`;
      institutionOfBooth.set(boothId, inst);
      emit(HQ_DEVICE, ++t, 'booth_upserted', { id: boothId, stopId: s.id, institutionId: inst.id, location: `B${String(n + 1).padStart(2, '0')}`, staff, removed: false }, s.id);
      const fields = [RESEARCH_FIELDS[n % RESEARCH_FIELDS.length]!, RESEARCH_FIELDS[(n + 3) % RESEARCH_FIELDS.length]!];
      if (opts.schedules !== false) emit(HQ_DEVICE, ++t, 'booth_plan_set', { boothId, stopId: s.id, copiedFromStopId: null, ...plan, fields }, s.id, scheduleRand);
      booths.push({ boothId, slots });
    });
    slotsOfStop.set(s.id, booths);
  }
  // Programmes (issue #21): their events come last in HQ's stream, with ids from a stream of their own, so every
  // other demo event keeps its id, sequence and time.
  const programRand = seededRandom((opts.seed ?? 2025) + 2);
  const programsOf = (institutionId: string) => data.programs.filter((pr) => pr.active && (pr.institutionId === institutionId || pr.institutionId === null));
  const registrationsOfStop = new Map<string, { registrationId: string; attendeeId: string; fields: ResearchField[]; careerStage: CareerStage }[]>();

  const p = data.people;
  const stageWeights: CareerStage[] = ['student', 'student', 'student', 'postdoc', 'postdoc', 'professor', 'researcher', 'researcher', 'job_seeker', 'industry', 'other'];
  for (let k = 0; k < count; k++) {
    const korean = rand() < 0.62;
    let familyName: string, givenName: string, nameKo = '';
    if (korean) {
      const [fk, fl] = pick(rand, p.koreanFamily);
      const [gk, gl] = pick(rand, p.koreanGiven);
      familyName = fl;
      givenName = gl;
      nameKo = fk + gk;
      if (rand() < 0.1) {
        familyName = '';
        givenName = '';
      }
    } else {
      familyName = pick(rand, p.otherFamily);
      givenName = pick(rand, p.otherGiven);
    }
    const affiliation = pick(rand, p.affiliations);
    const latin = `${givenName}.${familyName}`.toLowerCase().normalize('NFKD').replace(/[^a-z.]/g, '');
    const email = latin.length > 2 ? `${latin}${k}@${affiliation.toLowerCase().replace(/[^a-z]/g, '').slice(0, 12)}.edu` : '';
    const fields = [...new Set([pick(rand, RESEARCH_FIELDS), pick(rand, RESEARCH_FIELDS)])].slice(0, 1 + Math.floor(rand() * 2));
    const careerStage = pick(rand, stageWeights);
    if (!CAREER_STAGES.includes(careerStage)) throw new Error('bad stage');
    const attendeeId = demoUuid(rand);
    emit(HQ_DEVICE, ++t, 'attendee_registered', { attendeeId, familyName, givenName, nameKo, email, affiliation, careerStage, fields });
    emit(HQ_DEVICE, ++t, 'consent_recorded', { consentId: demoUuid(rand), attendeeId, scope: rand() < 0.8 ? 'all_institutions' : 'hq_stats', institutionId: null, textVersion: DEMO_CONSENT_TEXT_VERSION });
    const nStops = rand() < 0.15 ? 2 : 1;
    const first = Math.floor(rand() * stops.length);
    for (let j = 0; j < nStops; j++) {
      const stop = stops[(first + j * 3) % stops.length]!;
      const registrationId = demoUuid(rand);
      const scanToken = `RS-DEMO${String(k).padStart(4, '0')}${j}`;
      emit(HQ_DEVICE, ++t, 'registration_created', { registrationId, attendeeId, stopId: stop.id, source: 'preregistered', scanToken }, stop.id);
      if (rand() < 0.4 && opts.schedules !== false) {
        registrationsOfStop.set(stop.id, [...(registrationsOfStop.get(stop.id) ?? []), { registrationId, attendeeId, fields, careerStage }]);
      }
      // About a third already checked in at the door by another desk, during the stop's morning.
      if (rand() < 0.35) {
        const at = Date.parse(`${stop.date}T14:00:00Z`) + Math.floor(rand() * 4 * 3600_000);
        emit(DESK_DEVICE, at, 'checked_in', { registrationId, attendeeId, stopId: stop.id, desk: 'Desk A' }, stop.id);
      }
    }
  }
  // Consultations booked in advance: one per person, spread over booths and slots so no one overlaps.
  for (const [stopId, regs] of registrationsOfStop) {
    const booths = slotsOfStop.get(stopId)!;
    regs.forEach((r, p) => {
      const booth = booths[p % booths.length]!;
      const slot = booth.slots[Math.floor(p / booths.length) % booth.slots.length]!;
      const bookingId = demoUuid(scheduleRand);
      emit(HQ_DEVICE, ++t, 'booking_made', { bookingId, boothId: booth.boothId, slotStart: slot.start, slotEnd: slot.end, stopId, attendeeId: r.attendeeId, registrationId: r.registrationId, source: 'desk' }, stopId, scheduleRand);
      // Two in three booked people were met and logged at the booth: these are the leads.
      if (scheduleRand() < 0.67) {
        const inst = institutionOfBooth.get(booth.boothId)!;
        const programs = PROGRAMS.filter(() => scheduleRand() < 0.3);
        const programIds = demoProgramIds(programsOf(inst.id), programs.length ? programs : ['researcher'], p);
        const followUp = scheduleRand() < 0.6;
        emit(BOOTH_DEVICE, Date.parse(slot.start) + 5 * 60_000, 'consultation_logged', {
          consultationId: demoUuid(scheduleRand),
          stopId,
          institutionId: inst.id,
          boothId: booth.boothId,
          bookingId,
          attendeeId: r.attendeeId,
          registrationId: r.registrationId,
          visitorLabel: '',
          desk: `${inst.shortName} booth`,
          content: {
            staffName: `${inst.shortName} recruiter`,
            fields: r.fields,
            otherFields: [],
            careerStage: r.careerStage,
            programs: programs.length ? programs : ['researcher'],
            programIds,
            interestLevel: (['low', 'medium', 'high'] as const)[Math.floor(scheduleRand() * 3)]!,
            preferredStart: `2026-${String(1 + Math.floor(scheduleRand() * 12)).padStart(2, '0')}`,
            followUpAction: followUp ? 'Send program details and the application timeline' : '',
            followUpOwner: followUp ? `${inst.shortName} HR` : '',
            followUpDue: followUp ? '2026-01-15' : '',
            followUpStatus: followUp ? 'open' : 'none',
            notes: followUp ? 'Interested in a position starting next year; asked about family relocation support.' : '',
          },
        }, stopId, scheduleRand);
      }
    });
  }
  for (const pr of data.programs) emit(HQ_DEVICE, ++t, 'program_upserted', pr, null, programRand);
  return out;
}

/**
 * The programmes a demo consultation names, read off its legacy programme interests (no random draw, so the rest of
 * the demo stays as it was): Brain to Korea, one InnoCORE group (by the booking's number), and the institution's
 * own programme of the kind asked about.
 */
function demoProgramIds(offered: readonly Program[], interests: readonly LegacyProgram[], n: number): string[] {
  const own = (kind: Program['kind']) => offered.find((pr) => pr.institutionId !== null && pr.kind === kind)?.id;
  const innocore = offered.filter((pr) => pr.institutionId === null && pr.kind === 'postdoc');
  const ids = interests.map((i) => {
    switch (i) {
      case 'brain_to_korea':
        return offered.find((pr) => pr.institutionId === null && pr.kind === 'fellowship')?.id;
      case 'innocore_postdoc':
        return innocore.length ? innocore[n % innocore.length]!.id : undefined;
      case 'faculty':
        return own('faculty');
      case 'researcher':
        return own('researcher') ?? own('postdoc');
      case 'industry':
        return own('industry');
      case 'collaboration':
        return own('collaboration');
    }
  });
  return [...new Set(ids.filter((id): id is string => id !== undefined))].sort();
}

/** Whether the store holds the demo tour (the events of its pretend HQ). */
export function holdsDemoTour(store: Store): boolean {
  return store.db.prepare<[string], { one: number }>('SELECT 1 AS one FROM events WHERE device_id = ? LIMIT 1').get(HQ_DEVICE) !== undefined;
}

/** Fills an empty store with the demo tour once; later starts leave it alone. */
export function seedDemoIfEmpty(store: Store, demo: DemoData | (() => DemoData), opts: SeedOptions = {}): boolean {
  // Any event at all (one index probe, not a count of the log): a store in use is left alone, and its start
  // does not read the demo's files (a loader is called only for an empty store).
  if (store.db.prepare<[], { one: number }>('SELECT 1 AS one FROM events LIMIT 1').get()) return false;
  const data = typeof demo === 'function' ? demo() : demo;
  // Built here by buildDemoEvents, whose envelopes are well-formed by their type (payloads are still checked).
  store.events.ingest(buildDemoEvents(data, opts), { envelopesParsed: true });
  const s = store.db.prepare("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)");
  s.run('current_stop_id', data.tour.stops[2]!.id);
  return true;
}
