import { createHash } from 'node:crypto';
import type { EventEnvelope } from '../../shared/events/envelope';
import { CURRENT_SCHEMA_VERSION } from '../../shared/events/eventTypes';
import type { StaffRole } from '../../shared/schemas/staff';
import { encodeHlc } from '../sync/hlc';
import type { Store } from '../store/openStore';
import { DEMO_PIN_HASHES } from '../demo/demoPinHashes';
import { hashPin, PIN_KDF } from './pinHash';

/** The demo tour's staff and their PINs (documented in the README; demo data only). */
export const DEMO_STAFF: readonly { id: string; name: string; role: StaffRole; institutionId: string | null; pin: string }[] = [
  { id: 'staff-demo-lead', name: 'Kim Minji', role: 'stop_lead', institutionId: null, pin: '111111' },
  { id: 'staff-demo-desk', name: 'Park Jiwoo', role: 'desk_staff', institutionId: null, pin: '222222' },
  { id: 'staff-demo-booth', name: 'Lee Seoyeon (KAIST)', role: 'booth_staff', institutionId: 'inst-kaist', pin: '333333' },
  { id: 'staff-demo-hq', name: 'Choi Hyunwoo', role: 'hq_admin', institutionId: null, pin: '999999' },
];
export const DEMO_LEAD_ID = 'staff-demo-lead';

const HQ_DEVICE = 'demo-hq';

function det(label: string, bytes: number): Buffer {
  return createHash('sha256').update(`roadshow-demo:${label}`).digest().subarray(0, bytes);
}

function detUuid(label: string): string {
  const hex = det(`event:${label}`, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/**
 * Adds the demo staff to a store without staff, as events from the pretend HQ device (as if
 * synced), with deterministic ids and salts so every demo laptop holds identical events.
 */
const hashes = new Map<string, string>();
/** Deterministic (fixed salt per demo person), so computed once per process: scrypt is slow on purpose. */
function demoHash(id: string, pin: string): string {
  let h = hashes.get(id);
  if (!h) {
    const salt = det(`salt:${id}`, 16);
    // Worked out ahead (core/demo/demoPinHashes.ts) while the salt and parameters are these.
    const known = DEMO_PIN_HASHES[id];
    h = known?.startsWith(`scrypt$${PIN_KDF.N}$${PIN_KDF.r}$${PIN_KDF.p}$${salt.toString('base64url')}$`) ? known : hashPin(pin, salt);
    hashes.set(id, h);
  }
  return h;
}

export function seedDemoStaff(store: Store): boolean {
  const n = store.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM staff').get()!.n;
  if (n > 0) return false;
  let seq = store.db.prepare<[string], { s: number }>('SELECT COALESCE(MAX(device_seq), 0) AS s FROM events WHERE device_id = ?').get(HQ_DEVICE)!.s;
  const at = Date.parse('2025-09-01T00:00:00Z');
  const events: EventEnvelope[] = DEMO_STAFF.map((s, i) => {
    seq++;
    return {
      eventId: detUuid(s.id),
      deviceId: HQ_DEVICE,
      deviceSeq: seq,
      hlc: encodeHlc(at - 1000 + i, 0, HQ_DEVICE),
      type: 'staff_created',
      schemaVersion: CURRENT_SCHEMA_VERSION,
      actorId: null,
      stopId: null,
      recordedAt: new Date(at).toISOString(),
      payload: { staffId: s.id, name: s.name, role: s.role, institutionId: s.institutionId, pinHash: demoHash(s.id, s.pin) },
    };
  });
  store.events.ingest(events);
  store.db.prepare("INSERT INTO settings (key, value) VALUES ('demo_staff', '1') ON CONFLICT(key) DO UPDATE SET value = '1'").run();
  return true;
}
