import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportedRow } from '../../../shared/events/attendeeEvents';
import { ImportedRowsStage } from '../../../core/store/projections/importedRowsStage';
import type { Store } from '../../../core/store/openStore';
import { createTestStore, DEMO_STOP } from '../../helpers/testStore';

const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

/** A person an import minted; optional fields left empty on some, so rows differ the way a file's do. */
const person = (n: number, prefix = 'Stage'): ImportedRow => ({
  created: true,
  attendeeId: randomUUID(),
  set: { familyName: 'Han', givenName: `${prefix}${n}`, nameKo: n % 3 ? '한지민' : '', email: n % 4 ? `${prefix.toLowerCase()}${n}@example.edu` : '', affiliation: 'POSTECH', careerStage: 'postdoc', fields: n % 2 ? ['quantum', 'ai'] : [] },
  registration: { registrationId: randomUUID(), scanToken: `${prefix.toUpperCase()}-${n}` },
});

describe('imported rows staged in memory (the import writer’s connection)', () => {
  it('writes the same rows as the row-by-row projection of the same event', () => {
    const store = createTestStore({ demo: true, attendees: 5 });
    stores.push(store);
    const rows = [person(1), person(2), { created: false as const, attendeeId: person(9).attendeeId, set: {}, registration: { registrationId: randomUUID(), scanToken: 'STAGE-9' } }];
    const stage = new ImportedRowsStage(store.db);
    const staged = stage.stage(rows);
    store.events.appendMany([{ type: 'registrations_imported', payload: { stopId: DEMO_STOP, rows }, hints: { fresh: true, staged } }]);
    const read = () => ({
      people: store.db.prepare("SELECT * FROM attendees WHERE given_name LIKE 'Stage%' ORDER BY id").all(),
      registrations: store.db.prepare("SELECT * FROM registrations WHERE scan_token LIKE 'STAGE-%' ORDER BY id").all(),
    });
    const fromStage = read();
    expect(fromStage.people).toHaveLength(2);
    expect(fromStage.registrations).toHaveLength(3);
    store.events.rebuildProjections();
    expect(read()).toEqual(fromStage);
    stage.clear();
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM import_stage.people').get()).toEqual({ n: 0 });
  });

  it('ends the whole transaction when a staged person exists already: nothing of it is kept', () => {
    const store = createTestStore({ demo: true, attendees: 5 });
    stores.push(store);
    const stage = new ImportedRowsStage(store.db);
    const existing = (store.db.prepare('SELECT id FROM attendees LIMIT 1').get() as { id: string }).id;
    const rows = [person(1), { ...person(2), attendeeId: existing }];
    const staged = stage.stage(rows);
    const events = () => (store.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    const before = events();
    expect(() => store.events.appendMany([{ type: 'registrations_imported', payload: { stopId: DEMO_STOP, rows }, hints: { fresh: true, staged } }])).toThrow(/UNIQUE/);
    expect(store.db.inTransaction).toBe(false);
    expect(events()).toBe(before);
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM attendees WHERE given_name = 'Stage1'").get()).toEqual({ n: 0 });
  });
});

const tables = (store: Store) => ({
  people: store.db.prepare('SELECT * FROM attendees ORDER BY id').all(),
  registrations: store.db.prepare('SELECT * FROM registrations ORDER BY id').all(),
});

describe('imported rows minted at the importing desk (many rows per insert)', () => {
  it('writes exactly the rows of the row-by-row projection (a rebuild), across several statements and with changes to known people', () => {
    const store = createTestStore({ demo: true, attendees: 20 });
    stores.push(store);
    const known = store.db.prepare('SELECT id FROM attendees ORDER BY id LIMIT 2').all() as { id: string }[];
    // 123 new people: two full statements of 50 and one of 23; then a known person changed and newly
    // registered, and one only changed.
    const rows: ImportedRow[] = Array.from({ length: 123 }, (_, i) => person(i, 'Fresh'));
    rows.push({ created: false, attendeeId: known[0]!.id, set: { affiliation: 'KAIST', fields: ['bio'] }, registration: { registrationId: randomUUID(), scanToken: 'FRESH-KNOWN' } });
    rows.push({ created: false, attendeeId: known[1]!.id, set: { careerStage: 'professor' } });
    const half = rows.length / 2;
    store.events.appendMany([
      { type: 'registrations_imported', payload: { stopId: DEMO_STOP, rows: rows.slice(0, Math.ceil(half)) }, hints: { fresh: true } },
      { type: 'registrations_imported', payload: { stopId: DEMO_STOP, rows: rows.slice(Math.ceil(half)) }, hints: { fresh: true } },
    ]);
    const written = tables(store);
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM attendees WHERE given_name LIKE 'Fresh%' AND field_hlcs = ''").get()).toEqual({ n: 123 });
    expect(store.db.prepare(`SELECT COUNT(*) AS n FROM registrations WHERE scan_token LIKE 'FRESH-%' AND source = 'import' AND stop_id = '${DEMO_STOP}'`).get()).toEqual({ n: 124 });
    expect(store.db.prepare('SELECT affiliation, fields FROM attendees WHERE id = ?').get(known[0]!.id)).toEqual({ affiliation: 'KAIST', fields: '["bio"]' });
    store.events.rebuildProjections();
    expect(tables(store)).toEqual(written);
  });

  it('ends the whole transaction when a minted id exists already: nothing of it is kept', () => {
    const store = createTestStore({ demo: true, attendees: 5 });
    stores.push(store);
    const existing = (store.db.prepare('SELECT id FROM attendees LIMIT 1').get() as { id: string }).id;
    const rows = [person(1, 'Fresh'), { ...person(2, 'Fresh'), attendeeId: existing }];
    const count = (sql: string) => (store.db.prepare(sql).get() as { n: number }).n;
    const events = count('SELECT COUNT(*) AS n FROM events');
    expect(() => store.events.appendMany([{ type: 'registrations_imported', payload: { stopId: DEMO_STOP, rows }, hints: { fresh: true } }])).toThrow(/UNIQUE/);
    expect(store.db.inTransaction).toBe(false);
    expect(count('SELECT COUNT(*) AS n FROM events')).toBe(events);
    expect(count("SELECT COUNT(*) AS n FROM attendees WHERE given_name = 'Fresh1'")).toBe(0);
  });
});

describe('temporary files of a store connection', () => {
  it('are kept in memory: the cipher does not encrypt them, and personal data must not reach the disk in plaintext', () => {
    const store = createTestStore();
    stores.push(store);
    expect(store.db.pragma('temp_store', { simple: true })).toBe(2);
  });
});
