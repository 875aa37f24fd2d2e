import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ImportPlanner, planImport, type ImportSnapshot } from '../../../core/domain/importPlan';
import { personNameKey } from '../../../core/domain/importRows';
import type { AttendeeFields } from '../../../shared/schemas/attendees';

// A small world, so that rows collide: the same emails, names and tokens, in the file and in the store.
const given = fc.constantFrom('Minjun', 'Jiwoo', 'Seoyeon', '', 'Ana');
const family = fc.constantFrom('Kim', 'Park', 'Lee', '');
const email = fc.constantFrom('', 'a@example.edu', 'B@example.edu', 'b@example.edu', 'not-an-email', 'c@kaist.ac.kr');
const affiliation = fc.constantFrom('KAIST', 'POSTECH', '');
const token = fc.constantFrom('', 'T-1', 't-1', 'T-2', 'T 3', 'KNOWN-1');
const row = fc.tuple(family, given, email, affiliation, fc.constantFrom('student', 'Postdoc', ''), fc.constantFrom('AI; quantum', ''), token);
const mapping = { familyName: 0, givenName: 1, email: 2, affiliation: 3, careerStage: 4, fields: 5, scanToken: 6 };

function snapshotOf(people: AttendeeFields[], registeredHere: number): ImportSnapshot {
  const snap: ImportSnapshot = { attendees: new Map(), byEmail: new Map(), byName: new Map(), regAtStop: new Map(), tokenOwner: new Map() };
  people.forEach((p, i) => {
    const id = `known-${i}`;
    snap.attendees.set(id, p);
    if (p.email) snap.byEmail.set(p.email.toLowerCase(), id);
    const key = personNameKey(p);
    snap.byName.set(key, [...(snap.byName.get(key) ?? []), id]);
    if (i < registeredHere) snap.regAtStop.set(id, { id: `reg-${i}`, scanToken: `KNOWN-${i}` });
    snap.tokenOwner.set(`KNOWN-${i}`, id);
  });
  return snap;
}
const known: AttendeeFields[] = [
  { familyName: 'Kim', givenName: 'Minjun', nameKo: '', email: 'a@example.edu', affiliation: 'KAIST', careerStage: 'student', fields: [] },
  { familyName: 'Lee', givenName: 'Ana', nameKo: '', email: '', affiliation: 'POSTECH', careerStage: 'postdoc', fields: ['ai'] },
];

describe('import planner, a part at a time', () => {
  it('gives exactly the plan of one pass, however the rows are split', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), fc.array(fc.integer({ min: 1, max: 25 }), { minLength: 1, maxLength: 10 }), fc.nat({ max: 2 }), (rows, steps, registeredHere) => {
        const cells = rows.map((r) => [...r]);
        const numbers = cells.map((_, i) => i + 2);
        const snap = snapshotOf(known, registeredHere);
        const whole = planImport(cells, numbers, mapping, snap);
        const planner = new ImportPlanner(cells, numbers, mapping, snap);
        let turns = 0;
        while (!planner.advance(steps[turns++ % steps.length]!)) expect(() => planner.result()).toThrow();
        expect(planner.result()).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('sees duplicates and taken tokens across the parts it was split into', () => {
    const cells = [
      ['Kim', 'Minjun', 'new@example.edu', 'KAIST', '', '', 'T-1'],
      ['Park', 'Jiwoo', 'NEW@example.edu', 'KAIST', '', '', 'T-2'],
      ['Lee', 'Seoyeon', 'other@example.edu', 'KAIST', '', '', 't-1'],
    ];
    const planner = new ImportPlanner(cells, [2, 3, 4], mapping, snapshotOf([], 0));
    expect(planner.advance(1)).toBe(false);
    expect(planner.advance(1)).toBe(false);
    expect(planner.advance(5)).toBe(true);
    // Issue #22: the row whose code is taken is imported all the same (with a new code) and reported with the code, name and email.
    expect(planner.result().report.issues).toEqual([
      { row: 3, reasons: [{ code: 'duplicate_in_file', field: 'email', otherRow: 2 }], name: 'Jiwoo Park', email: 'NEW@example.edu', imported: false },
      { row: 4, reasons: [{ code: 'token_taken', field: 'scanToken', otherRow: 2, value: 't-1' }], name: 'Seoyeon Lee', email: 'other@example.edu', imported: true },
    ]);
    expect(planner.result().ops.map((o) => (o.kind === 'create' ? o.scanToken : null))).toEqual(['T-1', '']);
  });
});
