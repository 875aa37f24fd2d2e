import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { BulkEvent } from '../../../core/store/eventStore';
import type { Store } from '../../../core/store/openStore';
import { createUuidV7Source } from '../../../core/store/uuidV7';
import { checkpointNow, withDeferredCheckpoint } from '../../../core/store/walCheckpoint';
import { AppError } from '../../../shared/errors';
import { EventEnvelope } from '../../../shared/events/envelope';
import { callApi } from '../../helpers/callApi';
import { createTestContext, createTestStore, DEMO_STOP } from '../../helpers/testStore';

const count = (s: Store, table: string) => (s.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

/** The log as stored, without the random event ids. */
const logOf = (s: Store) =>
  s.db.prepare('SELECT device_seq, hlc, type, schema_version, actor_id, stop_id, recorded_at, payload, projected, local_seq FROM events ORDER BY local_seq').all();

const person = (i: number) => ({
  attendeeId: `att-${i}`,
  familyName: i % 3 ? 'Kim' : 'Müller',
  givenName: `Min ${i}`,
  nameKo: i % 2 ? `김민${String.fromCharCode(0xac00 + i)}` : '',
  email: i % 4 ? `p${i}@uni.example.edu` : '',
  affiliation: i % 5 ? 'KAIST' : 'Université de Montréal',
  careerStage: 'postdoc' as const,
  fields: i % 2 ? (['quantum', 'ai'] as ('quantum' | 'ai')[]) : [],
});

/** A mixed batch: new people (fresh), registrations, updates of people registered earlier in the batch. */
function batch(n: number): BulkEvent[] {
  const out: BulkEvent[] = [];
  for (let i = 0; i < n; i++) {
    out.push({ type: 'attendee_registered', payload: person(i), hints: { fresh: true } });
    out.push({ type: 'registration_created', payload: { registrationId: `reg-${i}`, attendeeId: `att-${i}`, stopId: DEMO_STOP, source: 'import', scanToken: `TOK-${i}` } });
    if (i % 7 === 0) out.push({ type: 'attendee_updated', payload: { attendeeId: `att-${i}`, affiliation: 'Seoul National University', email: `new${i}@snu.ac.kr` } });
  }
  return out;
}

/** Two stores with the same device id and a fixed clock give the same HLC stamps. */
function twinStores(): [Store, Store] {
  const deviceId = `dev-${randomUUID()}`;
  const now = () => 1_764_000_000_000;
  return [createTestStore({ deviceId, now }), createTestStore({ deviceId, now })];
}

describe('bulk append (appendMany)', () => {
  it('writes the same log and the same projections as one append per event', () => {
    const [one, bulk] = twinStores();
    const events = batch(40);
    one.events.transaction(() => {
      for (const e of events) one.events.append(e.type, e.payload as never, { actorId: 'staff-1', stopId: DEMO_STOP });
    });
    expect(bulk.events.appendMany(events, { actorId: 'staff-1', stopId: DEMO_STOP })).toBe(events.length);
    expect(logOf(bulk)).toEqual(logOf(one));
    expect(bulk.events.projectionHash()).toBe(one.events.projectionHash());
    // Projections folded by type after the log rows: still exactly a rebuild from the log.
    const hash = bulk.events.projectionHash();
    bulk.events.rebuildProjections();
    expect(bulk.events.projectionHash()).toBe(hash);
    expect(count(bulk, 'attendees')).toBe(40);
  });

  it('projects a fresh person before later events of the same chunk that name them, whatever their types', () => {
    const [one, bulk] = twinStores();
    for (const s of [one, bulk]) s.events.append('attendee_registered', person(1));
    const events: BulkEvent[] = [
      { type: 'attendee_updated', payload: { attendeeId: 'att-1', affiliation: 'POSTECH' } },
      { type: 'registration_created', payload: { registrationId: 'reg-2', attendeeId: 'att-2', stopId: DEMO_STOP, source: 'import', scanToken: 'T2' } },
      { type: 'attendee_registered', payload: person(2), hints: { fresh: true } },
      { type: 'attendee_updated', payload: { attendeeId: 'att-2', affiliation: 'KAIST' } },
    ];
    // The registration above precedes its person on purpose: projections are order independent.
    one.events.transaction(() => {
      for (const e of events) one.events.append(e.type, e.payload as never);
    });
    bulk.events.appendMany(events);
    expect(bulk.events.projectionHash()).toBe(one.events.projectionHash());
    expect(bulk.db.prepare('SELECT affiliation FROM attendees WHERE id = ?').get('att-2')).toEqual({ affiliation: 'KAIST' });
  });

  it('continues the device and local sequences and stamps valid envelopes', () => {
    const store = createTestStore();
    store.events.append('attendee_registered', person(1000));
    store.events.appendMany(batch(5));
    const rows = store.db.prepare('SELECT * FROM events ORDER BY local_seq').all() as { event_id: string; device_seq: number; local_seq: number; hlc: string }[];
    expect(rows.map((r) => r.device_seq)).toEqual(rows.map((_, i) => i + 1));
    expect(new Set(rows.map((r) => r.local_seq)).size).toBe(rows.length);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.hlc > rows[i - 1]!.hlc).toBe(true);
    for (const r of store.events.eventsOfDevice(store.deviceId, 0, 100)) expect(EventEnvelope.safeParse(r).success).toBe(true);
    // A later single append follows on.
    expect(store.events.append('attendee_updated', { attendeeId: 'att-1', affiliation: 'x' }).deviceSeq).toBe(rows.length + 1);
  });

  it('refuses the whole batch when one payload is invalid, writing nothing', () => {
    const store = createTestStore();
    const events = batch(10);
    events.splice(7, 0, { type: 'registration_created', payload: { registrationId: '', attendeeId: 'att-1', stopId: DEMO_STOP, source: 'import', scanToken: 'x' } });
    let error: unknown;
    try {
      store.events.appendMany(events);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('VALIDATION');
    expect(count(store, 'events')).toBe(0);
    expect(count(store, 'attendees')).toBe(0);
    expect(count(store, 'registrations')).toBe(0);
    expect(store.events.appendMany(batch(1))).toBe(3);
    expect(store.events.eventsOfDevice(store.deviceId, 0, 10)[0]!.deviceSeq).toBe(1);
  });

  it('fails loudly (and writes nothing) when a "fresh" person already exists, rather than merging silently', () => {
    const store = createTestStore();
    store.events.append('attendee_registered', person(1));
    expect(() => store.events.appendMany([{ type: 'attendee_registered', payload: person(1), hints: { fresh: true } }])).toThrow(/UNIQUE/);
    expect(count(store, 'events')).toBe(1);
  });
});

describe('bulk import commit', () => {
  it('leaves projections equal to a rebuild from the log, and a re-import writes nothing', async () => {
    const store = createTestStore({ demo: true, attendees: 30 });
    const ctx = createTestContext(store);
    const rows = ['family_name,given_name,name_ko,email,affiliation,career_stage,fields,scan_token'];
    for (let i = 0; i < 1500; i++) rows.push(`Park,Jiwoo ${i},박지우,jiwoo${i}@example.edu,"KAIST, Daejeon",student,ai; quantum,IMP-${i}`);
    // An existing demo person (updated) and one only registered here.
    const known = store.db.prepare('SELECT family_name, given_name, email, affiliation FROM attendees WHERE email <> \'\' LIMIT 1').get() as Record<string, string>;
    rows.push(`${known.family_name},${known.given_name},,${known.email},Changed Institute,professor,,`);
    const bytes = Buffer.from(rows.join('\r\n'), 'utf8');
    const uploadId = randomUUID();
    await callApi(ctx, 'import:upload', { uploadId, fileName: 'big.csv', index: 0, count: 1, data: bytes.toString('base64') });
    const parsed = await callApi(ctx, 'import:parse', { uploadId });
    const outcome = await callApi(ctx, 'import:commit', { uploadId, stopId: DEMO_STOP, mapping: parsed.mapping });
    expect(outcome.created).toBe(1500);
    expect(outcome.updated).toBe(1);
    // The large-import path switched the automatic checkpoint off only for the write.
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    const row = store.db.prepare('SELECT given_name, field_hlcs FROM attendees WHERE email = ?').get('jiwoo7@example.edu') as { given_name: string; field_hlcs: string };
    expect(row.given_name).toBe('Jiwoo 7');
    // Every field written by the event that created the person: stored as '' (migration 0700).
    expect(row.field_hlcs).toBe('');
    const changed = store.db.prepare('SELECT field_hlcs, created_hlc FROM attendees WHERE email = ?').get(known.email) as { field_hlcs: string; created_hlc: string };
    const hlcs = JSON.parse(changed.field_hlcs) as Record<string, string>;
    expect(hlcs.affiliation! > changed.created_hlc).toBe(true);
    expect(hlcs.familyName).toBe(changed.created_hlc);
    const hash = store.events.projectionHash();
    store.events.rebuildProjections();
    expect(store.events.projectionHash()).toBe(hash);

    const again = randomUUID();
    await callApi(ctx, 'import:upload', { uploadId: again, fileName: 'big.csv', index: 0, count: 1, data: bytes.toString('base64') });
    const parsed2 = await callApi(ctx, 'import:parse', { uploadId: again });
    expect((await callApi(ctx, 'import:commit', { uploadId: again, stopId: DEMO_STOP, mapping: parsed2.mapping })).events).toBe(0);
    expect(store.events.projectionHash()).toBe(hash);
  });
});

describe('registrations_imported', () => {
  /** An HLC of this wall-clock millisecond and node. */
  const stamp = (ms: number, node: string) => `${String(1_764_000_000_000 + ms).padStart(15, '0')}:00000:${node}`;
  /** An envelope from another desk, as sync or a USB bundle delivers it. */
  const envelope = <T extends BulkEvent['type']>(type: T, payload: unknown, hlc: string, seq: number, device = 'dev-importer'): EventEnvelope => ({
    eventId: randomUUID(),
    deviceId: device,
    deviceSeq: seq,
    hlc,
    type,
    schemaVersion: 1,
    actorId: null,
    stopId: DEMO_STOP,
    recordedAt: '2026-11-25T10:00:00.000Z',
    payload: payload as Record<string, unknown>,
  });

  it('projects each row exactly as its per-person events would under the same HLC, in any delivery order', () => {
    const hlc = stamp(1, 'dev-importer');
    const later = stamp(2, 'dev-other');
    const created = [0, 1, 2].map((i) => person(i));
    const rows = [
      ...created.map(({ attendeeId, ...set }, i) => ({ created: true, attendeeId, set, registration: { registrationId: `reg-${i}`, scanToken: `TOK-${i}` } })),
      { created: false, attendeeId: 'att-9', set: { affiliation: 'GIST' }, registration: { registrationId: 'reg-9', scanToken: 'TOK-9' } },
      { created: false, attendeeId: 'att-8', set: {} , registration: { registrationId: 'reg-8', scanToken: 'TOK-8' } },
      { created: false, attendeeId: 'att-7', set: { email: 'seven@kist.re.kr' } },
    ];
    const before = [envelope('attendee_registered', person(9), stamp(0, 'dev-hq'), 1, 'dev-hq'), envelope('attendee_registered', person(8), stamp(0, 'dev-hq2'), 1, 'dev-hq2'), envelope('attendee_registered', person(7), stamp(0, 'dev-hq3'), 1, 'dev-hq3')];
    // A later edit of a person the import created, from another desk.
    const edit = envelope('attendee_updated', { attendeeId: 'att-1', givenName: 'Edited' }, later, 1, 'dev-other');
    const batchEvent = envelope('registrations_imported', { stopId: DEMO_STOP, rows }, hlc, 1);
    let seq = 1;
    const perPerson = [
      ...created.map((p) => envelope('attendee_registered', p, hlc, seq++)),
      ...[0, 1, 2, 9, 8].map((i) => envelope('registration_created', { registrationId: `reg-${i}`, attendeeId: `att-${i}`, stopId: DEMO_STOP, source: 'import', scanToken: `TOK-${i}` }, hlc, seq++)),
      envelope('attendee_updated', { attendeeId: 'att-9', affiliation: 'GIST' }, hlc, seq++),
      envelope('attendee_updated', { attendeeId: 'att-7', email: 'seven@kist.re.kr' }, hlc, seq++),
    ];
    const reference = createTestStore();
    reference.events.ingest([...before, ...perPerson, edit]);
    const expected = reference.events.projectionHash();
    for (const order of [[...before, batchEvent, edit], [edit, batchEvent, ...before], [batchEvent, edit, ...before.reverse()]]) {
      const s = createTestStore();
      s.events.ingest(order);
      expect(s.events.projectionHash()).toBe(expected);
      s.events.rebuildProjections();
      expect(s.events.projectionHash()).toBe(expected);
    }
    expect(reference.db.prepare('SELECT given_name FROM attendees WHERE id = ?').get('att-1')).toEqual({ given_name: 'Edited' });
  });

  it('refuses rows that are not whole: a created person without a registration, too many rows', () => {
    const store = createTestStore();
    const { attendeeId, ...set } = person(1);
    const bad = [
      { stopId: DEMO_STOP, rows: [{ created: true, attendeeId, set }] },
      { stopId: DEMO_STOP, rows: [] },
      { stopId: DEMO_STOP, rows: Array.from({ length: 251 }, (_, i) => ({ created: false, attendeeId: `a${i}`, set: {} })) },
    ];
    for (const payload of bad) expect(() => store.events.append('registrations_imported', payload as never)).toThrow(/Invalid registrations_imported/);
    expect(count(store, 'events')).toBe(0);
  });
});

describe('bulk write helpers', () => {
  it('mints valid, distinct, time-ordered UUID v7 ids', () => {
    let ms = 1_764_000_000_000;
    const next = createUuidV7Source(() => ms);
    const ids: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      if (i % 3000 === 0) ms++;
      ids.push(next());
    }
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
  });

  it('defers the WAL checkpoint of a large write and restores the automatic one', () => {
    const store = createTestStore();
    const walPages = () => (store.db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]!.log;
    checkpointNow(store.db);
    withDeferredCheckpoint(store.db, () => store.events.appendMany(batch(600)));
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(walPages()).toBeGreaterThan(0);
    store.close();
    // A store closed before the deferred checkpoint runs: nothing to do, no throw.
    expect(() => checkpointNow(store.db)).not.toThrow();
  });
});
