import type { StoredEventRow } from '../../core/store/eventStore';
import type { EnvelopeHead } from '../../core/sync/envelopeJson';
import type { DeviceRole } from '../../shared/sync/hqProtocol';
import type { LogSource } from './hqFold';

/** An event as HQ stores it: the envelope with its payload kept as the exact JSON text received (after schema parsing). */
export interface StoredEvent extends EnvelopeHead {
  payloadText: string;
}

/** A row of either back end's `events` table (PostgreSQL answers BIGINT columns as strings). */
export interface EventTableRow extends Omit<StoredEventRow, 'device_seq'> {
  device_seq: number | string;
}

export function storedFromRow(r: EventTableRow): StoredEvent {
  return {
    eventId: r.event_id,
    deviceId: r.device_id,
    deviceSeq: Number(r.device_seq),
    hlc: r.hlc,
    type: r.type,
    schemaVersion: r.schema_version,
    actorId: r.actor_id,
    stopId: r.stop_id,
    recordedAt: r.recorded_at,
    payloadText: r.payload,
  };
}

export interface DeviceState {
  ackedSeq: number;
}

export type PushOutcome =
  | { ok: true; ackedThroughSeq: number; added: number; duplicates: number }
  | { ok: false; code: 'GAP'; expectedSeq: number }
  | { ok: false; code: 'SEQ_MISMATCH'; deviceSeq: number }
  | { ok: false; code: 'DUPLICATE_EVENT_ID'; eventId: string };

export type RedeemOutcome = 'ok' | 'invalid' | 'device_exists';

/**
 * The name a device is listed under: the label HQ gave its enrollment code (what the admin knows it
 * by), then the label the laptop sent, if any and different ("Boston desk 2 · Front door").
 */
export function deviceLabel(codeLabel: string, ownLabel: string): string {
  const parts = [codeLabel.trim(), ownLabel.trim()].filter(Boolean);
  return [...new Set(parts)].join(' · ').slice(0, 200);
}

/**
 * SQL (SQLite and PostgreSQL) for a device's label in the list, alias `d` for devices: devices
 * enrolled before labels were kept from the code show the label of the code they used.
 */
export const LABEL_OR_CODE_LABEL = `COALESCE(NULLIF(d.label, ''), (SELECT c.label FROM enrollment_codes c WHERE c.used_by = d.device_id AND c.label <> '' ORDER BY c.used_at DESC LIMIT 1), '')`;

export interface DeviceRecord {
  deviceId: string;
  label: string;
  enrolledAt: string;
  revokedAt: string | null;
  ackedSeq: number;
  role: DeviceRole;
}

export interface EnrollmentCodeRecord {
  codeHash: string;
  label: string;
  /** Set when the code re-enrolls a known device (a laptop that lost its token). */
  deviceId: string | null;
  createdAt: string;
  expiresAt: string;
  /** The role the device gets: a desk, or a venue hub allowed to relay its desks' events. */
  role: DeviceRole;
  /** How many devices may enroll with it (1 for HQ's codes; a hub's venue join code serves every desk of the day). */
  uses: number;
}

/**
 * One page of the enrolled devices in device-id order (the dashboard's Devices page): keyset paging,
 * `after` (the next page) or `before` (the previous one), at most `limit` rows, optionally only active
 * or only revoked devices. `total` counts every device the filter matches; `offset` is how many of them
 * come before this page (for "rows 101–200 of 340").
 */
export interface DevicePageQuery {
  after?: string | undefined;
  before?: string | undefined;
  limit: number;
  status?: 'active' | 'revoked' | undefined;
}

export interface DevicePage {
  devices: DeviceRecord[];
  total: number;
  offset: number;
  hasBefore: boolean;
  hasAfter: boolean;
}

export interface PullPage {
  events: (StoredEvent & { serverSeq: string })[];
  cursor: string;
  hasMore: boolean;
}

export interface DigestRow {
  deviceId: string;
  count: number;
  maxSeq: number;
  hash: string;
}

/**
 * HQ's storage: one interface, two back ends (SQLite by default, PostgreSQL when DATABASE_URL is
 * set), both run through the same test suite (test/hq/storage.test.ts).
 *
 * The pull cursor is `server_seq`, assigned inside the push transaction while it holds HQ's one
 * sequence row: a transaction that took smaller numbers always commits before one that took
 * larger numbers, so a reader never sees seq N+1 before N (no event is skipped by a cursor).
 */
export interface HqStorage {
  readonly kind: 'sqlite' | 'postgres';
  createEnrollmentCode(rec: EnrollmentCodeRecord): Promise<void>;
  /** Atomically checks the code (unused, unexpired), marks it used and registers the device's token hash. */
  redeemEnrollmentCode(codeHash: string, deviceId: string, label: string, tokenHash: string, now: string): Promise<RedeemOutcome>;
  deviceByTokenHash(tokenHash: string): Promise<{ deviceId: string; revoked: boolean; role: DeviceRole } | null>;
  /** One device's enrollment (null: never enrolled here; events relayed by a hub may come from such desks). */
  deviceInfo(deviceId: string): Promise<{ revoked: boolean; role: DeviceRole } | null>;
  revokeDevice(deviceId: string, now: string): Promise<boolean>;
  listDevices(): Promise<DeviceRecord[]>;
  /** One device's batch (sorted, contiguous sequence numbers) in one transaction: all of it or nothing. */
  pushBatch(deviceId: string, events: readonly StoredEvent[], receivedAt: string): Promise<PushOutcome>;
  pull(afterCursor: string, limit: number): Promise<PullPage>;
  digest(deviceId?: string): Promise<DigestRow[]>;
  /** Per device, the highest contiguous sequence held (cheap: no hashing), for a hub's relay to HQ. */
  deviceAcks(): Promise<{ deviceId: string; ackedSeq: number }[]>;
  /** One device's events after `afterSeq`, in sequence order. */
  eventsOfDevice(deviceId: string, afterSeq: number, limit: number): Promise<StoredEvent[]>;
  /** Highest committed server sequence. */
  highWater(): Promise<string>;
  /** Ids of every event held for a stop (the stop's digest, core/sync/stopDigest.ts, is over them). */
  stopEventIds(stopId: string): Promise<string[]>;
  /** One page of the devices (keyset on device id, bounded by `limit`): the dashboard never lists them all. */
  devicePage(query: DevicePageQuery): Promise<DevicePage>;
  /** Where another thread (HQ's fold) opens its own connection to the log; null where it cannot (an in-memory log). */
  logSource?(): LogSource | null;
  close(): Promise<void>;
}

export interface PushPlan {
  fresh: StoredEvent[];
  duplicates: number;
  newState: DeviceState;
}

/**
 * The push rules, shared by both back ends: events at or below the acknowledged sequence are
 * duplicates (skipped, but they must be the same events); the rest must continue right after it.
 */
export function planPush(state: DeviceState, events: readonly StoredEvent[], heldIds: ReadonlyMap<number, string>): PushPlan | Exclude<PushOutcome, { ok: true }> {
  let duplicates = 0;
  const fresh: StoredEvent[] = [];
  for (const e of events) {
    if (e.deviceSeq <= state.ackedSeq) {
      if (heldIds.get(e.deviceSeq) !== e.eventId) return { ok: false, code: 'SEQ_MISMATCH', deviceSeq: e.deviceSeq };
      duplicates++;
    } else fresh.push(e);
  }
  if (fresh.length > 0 && fresh[0]!.deviceSeq !== state.ackedSeq + 1) return { ok: false, code: 'GAP', expectedSeq: state.ackedSeq + 1 };
  const last = fresh[fresh.length - 1];
  return { fresh, duplicates, newState: { ackedSeq: last ? last.deviceSeq : state.ackedSeq } };
}

/** The most rows one device page holds, whatever a caller asks. */
export const MAX_DEVICE_PAGE = 500;

/**
 * The SQL of a device page, the same for both back ends (`$n` placeholders; SQLite takes them as
 * well): the page's rows (one more than asked, to know whether another page follows), and the counts.
 */
export function devicePageSql(q: Pick<DevicePageQuery, 'before' | 'status'>): { rows: string; total: string; offset: string } {
  const status = q.status === 'active' ? 'd.revoked_at IS NULL' : q.status === 'revoked' ? 'd.revoked_at IS NOT NULL' : 'TRUE';
  const cols = `d.device_id, ${LABEL_OR_CODE_LABEL} AS label, d.enrolled_at, d.revoked_at, d.role, s.acked_seq`;
  const rows =
    q.before !== undefined
      ? `SELECT ${cols} FROM devices d LEFT JOIN device_state s ON s.device_id = d.device_id WHERE ${status} AND d.device_id < $1 ORDER BY d.device_id DESC LIMIT $2`
      : `SELECT ${cols} FROM devices d LEFT JOIN device_state s ON s.device_id = d.device_id WHERE ${status} AND d.device_id > $1 ORDER BY d.device_id LIMIT $2`;
  return {
    rows,
    total: `SELECT COUNT(*) AS n FROM devices d WHERE ${status}`,
    offset: `SELECT COUNT(*) AS n FROM devices d WHERE ${status} AND d.device_id < $1`,
  };
}

/** Puts a device page together from its rows (in any direction, one extra row at most) and its counts. */
export async function assembleDevicePage(q: DevicePageQuery, fetched: DeviceRecord[], total: number, countBefore: (firstId: string) => Promise<number>): Promise<DevicePage> {
  const backwards = q.before !== undefined;
  const page = fetched.slice(0, devicePageLimit(q) - 1);
  if (backwards) page.reverse();
  const offset = page.length > 0 ? await countBefore(page[0]!.deviceId) : backwards ? 0 : total;
  return { devices: page, total, offset, hasBefore: offset > 0, hasAfter: offset + page.length < total };
}

/** Rows to fetch for a page: the page (1 to MAX_DEVICE_PAGE) and one more. */
export const devicePageLimit = (q: DevicePageQuery): number => Math.max(1, Math.min(MAX_DEVICE_PAGE, Math.floor(q.limit) || 1)) + 1;
