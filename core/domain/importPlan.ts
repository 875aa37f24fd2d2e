import type { ImportMapping, ImportReport, ImportRowIssue } from '../../shared/ipc/importContract';
import type { AttendeeFields } from '../../shared/schemas/attendees';
import type { ConsentScope } from '../../shared/vocab';
import { consentScopeOf, formConsentTextVersion } from './importConsent';
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
  /** Attendee id → their effective consent (the latest by HLC); read only when the mapping has a consent column. */
  consentOf?: Map<string, { scope: ConsentScope; textVersion: string }>;
}

/** `consent`: the consent to record for the person (the form's answer), with the plan's `consentTextVersion`. */
export type ImportOp =
  | { kind: 'create'; row: number; fields: AttendeeFields; scanToken: string; consent?: ConsentScope }
  | { kind: 'update'; row: number; attendeeId: string; changes: Partial<AttendeeFields>; register: boolean; scanToken: string; consent?: ConsentScope }
  | { kind: 'register'; row: number; attendeeId: string; scanToken: string; consent?: ConsentScope }
  | { kind: 'consent'; row: number; attendeeId: string; consent: ConsentScope };

/**
 * A problem row: its index among the data rows, its number as a spreadsheet shows it, every reason,
 * and whether it is imported all the same (`imported`: what a reason names was left out, e.g. a scan
 * code another person holds) or left out.
 */
export interface RejectedRow {
  index: number;
  row: number;
  reasons: ImportRowIssue['reasons'];
  imported: boolean;
}

export interface ImportPlan {
  report: ImportReport;
  ops: ImportOp[];
  /** Every problem row (the report lists the first MAX_ISSUES): for the download of problem rows. */
  rejected: RejectedRow[];
  /** The text version of the consents the ops record (from the consent column's header), or null. */
  consentTextVersion: string | null;
  /** The consent column's header, the question the person answered (kept with each consent), or null. */
  consentWording: string | null;
}

/** What the planner knows of the file besides its rows: the consent question (the consent column's header). */
export interface ImportPlanOptions {
  consentHeader?: string;
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
export function planImport(rows: readonly string[][], rowNumbers: readonly number[], mapping: ImportMapping, snap: ImportSnapshot, options: ImportPlanOptions = {}): ImportPlan {
  const planner = new ImportPlanner(rows, rowNumbers, mapping, snap, options);
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
  private notAttending = 0;
  private newCodes = 0;
  private readonly consent = { agreed: 0, declined: 0, unclear: 0, toRecord: 0 };
  private readonly consentTextVersion: string | null;
  private next = 0;

  constructor(
    private readonly rows: readonly string[][],
    private readonly rowNumbers: readonly number[],
    private readonly mapping: ImportMapping,
    private readonly snap: ImportSnapshot,
    private readonly options: ImportPlanOptions = {},
  ) {
    this.consentTextVersion = mapping.consent === undefined ? null : formConsentTextVersion(options.consentHeader ?? '');
  }

  get done(): boolean {
    return this.next >= this.rows.length;
  }

  /** Rows read so far (for the progress bar). */
  get read(): number {
    return this.next;
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
    const { invalid, issues, toCreate, toUpdate, toRegister, unchanged, notAttending, newCodes, consentTextVersion } = this;
    return {
      report: { total, valid: total - invalid - notAttending, invalid, issues, toCreate, toUpdate, toRegister, unchanged, notAttending, newCodes, consent: { ...this.consent }, consentTextVersion },
      ops: this.ops,
      rejected: this.rejected,
      consentTextVersion,
      consentWording: consentTextVersion === null ? null : (this.options.consentHeader ?? '').normalize('NFC').replace(/\s+/g, ' ').trim().slice(0, 2000),
    };
  }

  /** A problem row, listed (the first MAX_ISSUES on screen, all in the download) with the person's name and email as the row gives them. */
  private problem(i: number, c: ImportCandidate, reasons: ImportRowIssue['reasons'], imported: boolean): void {
    if (this.issues.length < MAX_ISSUES) {
      const f = c.fields;
      const latin = [f.givenName, f.familyName].filter(Boolean).join(' ');
      const name = latin && f.nameKo ? `${latin} (${f.nameKo})` : latin || f.nameKo || '';
      const email = this.mapping.email === undefined ? '' : (this.rows[i]![this.mapping.email] ?? '').trim();
      this.issues.push({ row: c.row, reasons, name, email, imported });
    }
    this.rejected.push({ index: i, row: c.row, reasons, imported });
  }

  /** The consent to record for this row's person, or undefined (no answer, or the same as their current consent). */
  private consentFor(c: ImportCandidate, existingId: string | null): ConsentScope | undefined {
    if (this.consentTextVersion === null) return undefined;
    if (!c.consent) {
      this.consent.unclear++;
      return undefined;
    }
    this.consent[c.consent]++;
    const scope = consentScopeOf(c.consent, this.options.consentHeader ?? '');
    const current = existingId ? this.snap.consentOf?.get(existingId) : undefined;
    if (current && current.scope === scope && current.textVersion === this.consentTextVersion) return undefined;
    this.consent.toRecord++;
    return scope;
  }

  private readOne(i: number): void {
    const snap = this.snap;
    const { candidate: c, reasons } = readRow(this.rows[i]!, this.rowNumbers[i]!, this.mapping);
    // Not coming (Eventbrite "Not Attending", a cancelled or refunded order): skipped, whatever else the row says.
    if (!c.attending) {
      this.notAttending++;
      return;
    }
    if (reasons.length === 0) {
      const dupEmail = c.emailKey ? this.firstByEmail.get(c.emailKey) : undefined;
      const byName = this.firstByName.get(c.nameKey);
      const dupName = byName && (!c.emailKey || !byName.email) ? byName.row : undefined;
      const dup = dupEmail ?? dupName;
      if (dup !== undefined) reasons.push({ code: 'duplicate_in_file', field: dupEmail !== undefined ? 'email' : 'name', otherRow: dup });
    }
    if (reasons.length) {
      this.invalid++;
      this.problem(i, c, reasons, false);
      return;
    }
    const existingId = findExisting(c, snap);
    const register = !existingId || !snap.regAtStop.has(existingId);
    // A scan code another person holds (in the store, or an earlier row of the file): the person is
    // imported all the same, with a new code, and the row is reported with the code it could not have.
    let scanToken = c.scanToken;
    const token = scanToken.toUpperCase();
    if (token && register) {
      const other = this.firstByToken.get(token);
      const owner = snap.tokenOwner.get(token);
      const taken = other !== undefined ? other : owner && owner !== existingId ? null : undefined;
      if (taken !== undefined) {
        this.problem(i, c, [{ code: 'token_taken', field: 'scanToken', otherRow: taken, value: scanToken.slice(0, 200) }], true);
        this.newCodes++;
        scanToken = '';
      }
    }
    if (c.emailKey) this.firstByEmail.set(c.emailKey, c.row);
    if (!this.firstByName.has(c.nameKey)) this.firstByName.set(c.nameKey, { row: c.row, email: c.emailKey });
    if (scanToken && register) this.firstByToken.set(token, c.row);
    const consent = this.consentFor(c, existingId);

    if (!existingId) {
      this.ops.push(consent ? { kind: 'create', row: c.row, fields: withDefaults(c.fields), scanToken, consent } : { kind: 'create', row: c.row, fields: withDefaults(c.fields), scanToken });
      this.toCreate++;
      return;
    }
    const current = snap.attendees.get(existingId)!;
    const changes = changesOf(current, c.fields);
    const withConsent = consent ? { consent } : {};
    if (Object.keys(changes).length) {
      this.ops.push({ kind: 'update', row: c.row, attendeeId: existingId, changes, register, scanToken, ...withConsent });
      this.toUpdate++;
    } else if (register) {
      this.ops.push({ kind: 'register', row: c.row, attendeeId: existingId, scanToken, ...withConsent });
    } else {
      if (consent) this.ops.push({ kind: 'consent', row: c.row, attendeeId: existingId, consent });
      this.unchanged++;
    }
    if (register) this.toRegister++;
  }
}
