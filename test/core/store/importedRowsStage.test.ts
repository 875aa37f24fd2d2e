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

const person = (n: number): ImportedRow => ({
  created: true,
  attendeeId: randomUUID(),
  set: { familyName: 'Han', givenName: `Stage${n}`, nameKo: '한지민', email: `stage${n}@example.edu`, affiliation: 'POSTECH', careerStage: 'postdoc', fields: ['quantum', 'ai'] },
  registration: { registrationId: randomUUID(), scanToken: `STAGE-${n}` },
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

describe('temporary files of a store connection', () => {
  it('are kept in memory: the cipher does not encrypt them, and personal data must not reach the disk in plaintext', () => {
    const store = createTestStore();
    stores.push(store);
    expect(store.db.pragma('temp_store', { simple: true })).toBe(2);
  });
});
