import type { EventEnvelope } from '../../shared/events/envelope';
import { CURRENT_SCHEMA_VERSION, type EventPayload, type EventType } from '../../shared/events/eventTypes';
import { CAREER_STAGES, CURRENT_CONSENT_TEXT_VERSION, RESEARCH_FIELDS, type CareerStage } from '../../shared/vocab';
import { pick, seededRandom } from '../domain/seededRandom';
import { encodeHlc } from '../sync/hlc';
import type { Store } from '../store/openStore';
import type { DemoData } from './demoData';

const HQ_DEVICE = 'demo-hq';
const DESK_DEVICE = 'demo-desk-a';

/** A deterministic, seeded UUID-shaped id, so the same demo gives the same ids on every laptop. */
function demoUuid(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}

export interface SeedOptions {
  attendees?: number;
  seed?: number;
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
  const emit = <T extends EventType>(device: string, atMs: number, type: T, payload: EventPayload<T>, stopId: string | null = null): string => {
    const seq = (seqs.get(device) ?? 0) + 1;
    seqs.set(device, seq);
    const eventId = demoUuid(rand);
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
  for (const s of stops) {
    exhibitors.forEach((inst, n) => {
      const staff = [`${inst.shortName} recruiter`, `${inst.shortName} faculty`].slice(0, 1 + (n % 2));
      emit(HQ_DEVICE, ++t, 'booth_upserted', { id: `booth-${s.id}-${inst.id}`, stopId: s.id, institutionId: inst.id, location: `B${String(n + 1).padStart(2, '0')}`, staff }, s.id);
    });
  }

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
    emit(HQ_DEVICE, ++t, 'consent_recorded', { consentId: demoUuid(rand), attendeeId, scope: rand() < 0.8 ? 'all_institutions' : 'hq_stats', institutionId: null, textVersion: CURRENT_CONSENT_TEXT_VERSION });
    const nStops = rand() < 0.15 ? 2 : 1;
    const first = Math.floor(rand() * stops.length);
    for (let j = 0; j < nStops; j++) {
      const stop = stops[(first + j * 3) % stops.length]!;
      const registrationId = demoUuid(rand);
      const scanToken = `RS-DEMO${String(k).padStart(4, '0')}${j}`;
      emit(HQ_DEVICE, ++t, 'registration_created', { registrationId, attendeeId, stopId: stop.id, source: 'preregistered', scanToken }, stop.id);
      // About a third already checked in at the door by another desk, during the stop's morning.
      if (rand() < 0.35) {
        const at = Date.parse(`${stop.date}T14:00:00Z`) + Math.floor(rand() * 4 * 3600_000);
        emit(DESK_DEVICE, at, 'checked_in', { registrationId, attendeeId, stopId: stop.id, desk: 'Desk A' }, stop.id);
      }
    }
  }
  return out;
}

/** Fills an empty store with the demo tour once; later starts leave it alone. */
export function seedDemoIfEmpty(store: Store, data: DemoData, opts: SeedOptions = {}): boolean {
  const n = store.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM events').get()!.n;
  if (n > 0) return false;
  store.events.ingest(buildDemoEvents(data, opts));
  const s = store.db.prepare("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)");
  s.run('current_stop_id', data.tour.stops[2]!.id);
  return true;
}
