import { describe, expect, it } from 'vitest';
import { EVENT_PAYLOADS } from '../../../shared/events/eventTypes';
import type { ImportedRow } from '../../../shared/events/attendeeEvents';
import { cellsToRows, CREATED_ROW_FIELDS, packCells, rowsToCells, unpackCells } from '../../../core/import/importedRowCells';
import { AttendeeFields } from '../../../shared/schemas/attendees';

describe('imported rows as flat cells (session thread → writer thread)', () => {
  it('rebuilds exactly the rows the payload’s JSON holds', () => {
    const rows: ImportedRow[] = [
      { created: true, attendeeId: 'a1', set: { familyName: 'Park', givenName: 'Ji-woo', nameKo: '박지우', email: 'jiwoo@example.edu', affiliation: 'KAIST, Daejeon', careerStage: 'postdoc', fields: ['ai', 'quantum'] }, registration: { registrationId: 'r1', scanToken: 'T-1' } },
      { created: true, attendeeId: 'a2', set: { familyName: '', givenName: '', nameKo: '김 민준', email: '', affiliation: '', careerStage: 'other', fields: [] }, registration: { registrationId: 'r2', scanToken: 'T,2' } },
      { created: true, attendeeId: 'a3', set: { familyName: 'Müller', givenName: 'Zoë', nameKo: '', email: '', affiliation: 'c\u0001j', careerStage: 'student', fields: ['bio'] }, registration: { registrationId: 'r3', scanToken: 'c' } },
      { created: false, attendeeId: 'a4', set: { affiliation: 'GIST' } },
      { created: false, attendeeId: 'a5', set: {}, registration: { registrationId: 'r5', scanToken: 'j' } },
      { created: false, attendeeId: 'a6', set: { fields: [], email: 'x@example.edu' }, registration: { registrationId: 'r6', scanToken: 'T-6' } },
    ];
    // What the session sends is the validated payload: the same shape the writer must rebuild.
    const valid = EVENT_PAYLOADS.registrations_imported.parse({ stopId: 'stop-1', rows }).rows;
    expect(cellsToRows(rowsToCells(valid))).toEqual(JSON.parse(JSON.stringify(valid)));
    expect(cellsToRows([])).toEqual([]);
    expect(() => cellsToRows(['x', 'y'])).toThrow(/bad imported-row cells/);
    // A field added to AttendeeFields must be added to the cells too (else it would be stored but not projected).
    expect(Object.keys(AttendeeFields.shape).sort()).toEqual([...CREATED_ROW_FIELDS].sort());
  });

  it('packs cells into one string and their lengths, and back exactly (empty, Hangul, emoji, separators)', () => {
    const cells = ['c', '', '박지우', 'Zoë 👩‍🔬', 'a,b', '\u0000', 'x'.repeat(5000), ''];
    const packed = packCells(cells);
    expect(packed.lengths).toBeInstanceOf(Uint32Array);
    expect(unpackCells(packed)).toEqual(cells);
    expect(unpackCells(packCells([]))).toEqual([]);
    expect(() => unpackCells({ text: 'abc', lengths: Uint32Array.of(1) })).toThrow(/do not add up/);
  });
});
