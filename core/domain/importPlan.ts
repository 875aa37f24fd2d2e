import type { ImportMapping, ImportReport, ImportRowIssue } from '../../shared/ipc/importContract';
import type { AttendeeFields } from '../../shared/schemas/attendees';
import { readRow, type ImportCandidate } from './importRows';

/** What the store already knows, as the import planner needs it. */
export interface ImportSnapshot {
  attendees: Map<string, AttendeeFields>;
  /** Lower-case email → attendee id. */
  byEmail: Map<string, string>;
  /** personNameKey → attendee ids. */
  byName: Map<string, string[]>;
  /** Attendee id → their registration at the target stop. */
  regAtStop: Map<string, { id: string; scanToken: string }>;
  /** Upper-case scan token → attendee id holding it (any stop). */
  tokenOwner: Map<string, string>;
}

export type ImportOp =
  | { kind: 'create'; row: number; fields: AttendeeFields; scanToken: string }
  | { kind: 'update'; row: number; attendeeId: string; changes: Partial<AttendeeFields>; register: boolean; scanToken: string }
  | { kind: 'register'; row: number; attendeeId: string; scanToken: string };

/** A row the import leaves out: its index among the data rows, its number in the file, every reason. */
export interface RejectedRow {
  index: number;
  row: number;
  reasons: ImportRowIssue['reasons'];
}

export interface ImportPlan {
  report: ImportReport;
  ops: ImportOp[];
  /** Every rejected row (the report lists the first MAX_ISSUES): for the download of rejected rows. */
  rejected: RejectedRow[];
}

const EMPTY: AttendeeFields = { familyName: '', givenName: '', nameKo: '', email: '', affiliation: '', careerStage: 'other', fields: [] };
const MAX_ISSUES = 500;

/** `{ ...EMPTY, ...fields }` without the spread (once per new person of a file): the same object shape every time. */
const withDefaults = (f: Partial<AttendeeFields>): AttendeeFields => ({
  familyName: f.familyName ?? EMPTY.familyName,
  givenName: f.givenName ?? EMPTY.givenName,
  nameKo: f.nameKo ?? EMPTY.nameKo,
  email: f.email ?? EMPTY.email,
  affiliation: f.affiliation ?? EMPTY.affiliation,
  careerStage: f.careerStage ?? EMPTY.careerStage,
  fields: f.fields ?? EMPTY.fields,
});

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && [...a].sort().join('\u0001') === [...b].sort().join('\u0001');
  return a === b;
}

/**
 * Only what the file says and the store does not: an empty cell never erases a known value, so
 * a re-import of the same file gives no changes and an updated file changes only what changed.
 */
function changesOf(current: AttendeeFields, incoming: Partial<AttendeeFields>): Partial<AttendeeFields> {
  const out: Partial<AttendeeFields> = {};
  for (const [k, v] of Object.entries(incoming) as [keyof AttendeeFields, AttendeeFields[keyof AttendeeFields]][]) {
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    if (k === 'email' && typeof v === 'string' && v.toLowerCase() === current.email.toLowerCase()) continue;
    if (!sameValue(current[k], v)) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

function findExisting(c: ImportCandidate, snap: ImportSnapshot): string | null {
  if (c.emailKey) {
    const id = snap.byEmail.get(c.emailKey);
    if (id) return id;
  }
  // Same normalised name and affiliation is the same person, unless both have (different) emails.
  for (const id of snap.byName.get(c.nameKey) ?? []) {
    const known = snap.attendees.get(id);
    if (!known) continue;
    if (!c.emailKey || !known.email) return id;
  }
  return null;
}

/**
 * Validates every row and plans the import against what the store holds: which people are new,
 * which changed, which are only registered at this stop, which are unchanged. Writes nothing.
 * `rows` are the data rows (header removed) with their row numbers in the file.
 */
export function planImport(rows: readonly string[][], rowNumbers: readonly number[], mapping: ImportMapping, snap: ImportSnapshot): ImportPlan {
  const planner = new ImportPlanner(rows, rowNumbers, mapping, snap);
  planner.advance(Infinity);
  return planner.result();
}

/**
 * `planImport` a part at a time: `advance(n)` reads the next n rows. The import worker plans the
 * suggested mapping this way while the desk still looks at the mapping step, between the requests
 * it serves (core/import/importSession.ts). Rows are read in file order, so any split of the rows
 * gives exactly the plan of one pass (duplicates point at the first row either way).
 */
export class ImportPlanner {
  private readonly issues: ImportRowIssue[] = [];
  private readonly rejected: RejectedRow[] = [];
  private readonly ops: ImportOp[] = [];
  private readonly firstByEmail = new Map<string, number>();
  private readonly firstByName = new Map<string, { row: number; email: string }>();
  private readonly firstByToken = new Map<string, number>();
  private invalid = 0;
  private toCreate = 0;
  private toUpdate = 0;
  private toRegister = 0;
  private unchanged = 0;
  private next = 0;

  constructor(
    private readonly rows: readonly string[][],
    private readonly rowNumbers: readonly number[],
    private readonly mapping: ImportMapping,
    private readonly snap: ImportSnapshot,
  ) {}

  get done(): boolean {
    return this.next >= this.rows.length;
  }

  /** Reads up to `count` more rows; true once every row is read. */
  advance(count: number): boolean {
    const end = Math.min(this.rows.length, this.next + count);
    for (let i = this.next; i < end; i++) this.readOne(i);
    this.next = end;
    return this.done;
  }

  result(): ImportPlan {
    if (!this.done) throw new Error('the plan is not complete');
    const total = this.rows.length;
    const { invalid, issues, toCreate, toUpdate, toRegister, unchanged } = this;
    return { report: { total, valid: total - invalid, invalid, issues, toCreate, toUpdate, toRegister, unchanged }, ops: this.ops, rejected: this.rejected };
  }

  private readOne(i: number): void {
    const snap = this.snap;
    const { candidate: c, reasons } = readRow(this.rows[i]!, this.rowNumbers[i]!, this.mapping);
    if (reasons.length === 0) {
      const dupEmail = c.emailKey ? this.firstByEmail.get(c.emailKey) : undefined;
      const byName = this.firstByName.get(c.nameKey);
      const dupName = byName && (!c.emailKey || !byName.email) ? byName.row : undefined;
      const dup = dupEmail ?? dupName;
      if (dup !== undefined) reasons.push({ code: 'duplicate_in_file', field: dupEmail !== undefined ? 'email' : 'name', otherRow: dup });
    }
    const token = c.scanToken.toUpperCase();
    const existingId = reasons.length === 0 ? findExisting(c, snap) : null;
    if (reasons.length === 0 && token) {
      const other = this.firstByToken.get(token);
      const owner = snap.tokenOwner.get(token);
      if (other !== undefined) reasons.push({ code: 'token_taken', field: 'scanToken', otherRow: other });
      else if (owner && owner !== existingId) reasons.push({ code: 'token_taken', field: 'scanToken', otherRow: null });
    }
    if (reasons.length) {
      this.invalid++;
      if (this.issues.length < MAX_ISSUES) this.issues.push({ row: c.row, reasons });
      this.rejected.push({ index: i, row: c.row, reasons });
      return;
    }
    if (c.emailKey) this.firstByEmail.set(c.emailKey, c.row);
    if (!this.firstByName.has(c.nameKey)) this.firstByName.set(c.nameKey, { row: c.row, email: c.emailKey });
    if (token) this.firstByToken.set(token, c.row);

    if (!existingId) {
      this.ops.push({ kind: 'create', row: c.row, fields: withDefaults(c.fields), scanToken: c.scanToken });
      this.toCreate++;
      return;
    }
    const current = snap.attendees.get(existingId)!;
    const changes = changesOf(current, c.fields);
    const register = !snap.regAtStop.has(existingId);
    if (Object.keys(changes).length) {
      this.ops.push({ kind: 'update', row: c.row, attendeeId: existingId, changes, register, scanToken: c.scanToken });
      this.toUpdate++;
    } else if (register) {
      this.ops.push({ kind: 'register', row: c.row, attendeeId: existingId, scanToken: c.scanToken });
    } else {
      this.unchanged++;
    }
    if (register) this.toRegister++;
  }
}
