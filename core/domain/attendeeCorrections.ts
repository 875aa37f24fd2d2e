import type { AttendeeFields } from '../../shared/schemas/attendees';
import { revisionState } from './consultationRevisions';

export type CorrectableField = keyof AttendeeFields;
export const CORRECTABLE_FIELDS: readonly CorrectableField[] = ['familyName', 'givenName', 'nameKo', 'email', 'affiliation', 'careerStage', 'fields'];
export type FieldValue = string | readonly string[];

export interface FieldChange {
  field: CorrectableField;
  before: FieldValue;
  after: FieldValue;
}

/** One correction (or resolution) of an attendee's details as the graph needs it. */
export interface CorrectionNode {
  id: string;
  hlc: string;
  /** The corrections the desk saw as current when it wrote this one (the heads it edits or joins). */
  baseIds: readonly string[];
  changes: readonly FieldChange[];
}

/** One side of a field two desks changed to different values without seeing each other's change. */
export interface ConflictVersion {
  /** The head on whose branch the value was written. */
  headId: string;
  /** The correction that wrote it (the newest on that branch). */
  correctionId: string;
  value: FieldValue;
}

export interface CorrectionState {
  /** Corrections no later correction names as its base, newest (by HLC) first. */
  headIds: string[];
  /** Fields with different values on different branches: what a person must resolve. */
  conflicts: { field: CorrectableField; versions: ConflictVersion[] }[];
}

const same = (a: FieldValue, b: FieldValue): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The state of an attendee's corrections: a pure function of the set of corrections, so any delivery
 * order gives the same heads and the same conflicts. Two heads alone are no conflict: desks that fixed
 * different fields offline both stand (each field is last-writer-wins). A field is in conflict when
 * the branches since the heads' common history both changed it, to different values — the
 * consultation rule ("both kept, flagged until a person resolves") at the grain of a field.
 */
export function correctionState(nodes: readonly CorrectionNode[]): CorrectionState | null {
  const state = revisionState(nodes.map((n) => ({ revisionId: n.id, hlc: n.hlc, baseRevisionIds: n.baseIds, node: n })));
  if (!state) return null;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const ancestry = (id: string): Set<string> => {
    const seen = new Set<string>();
    const stack = [id];
    while (stack.length) {
      const cur = stack.pop()!;
      if (seen.has(cur) || !byId.has(cur)) continue;
      seen.add(cur);
      stack.push(...byId.get(cur)!.baseIds);
    }
    return seen;
  };
  const headIds = state.heads.map((h) => h.revisionId);
  const conflicts: CorrectionState['conflicts'] = [];
  if (headIds.length > 1) {
    const anc = new Map(headIds.map((h) => [h, ancestry(h)]));
    // What every head shares is settled history; only each branch's own corrections can clash.
    const shared = [...anc.get(headIds[0]!)!].filter((id) => headIds.every((h) => anc.get(h)!.has(id)));
    const common = new Set(shared);
    for (const field of CORRECTABLE_FIELDS) {
      const versions: ConflictVersion[] = [];
      for (const h of headIds) {
        let newest: CorrectionNode | null = null;
        let value: FieldValue | null = null;
        for (const id of anc.get(h)!) {
          if (common.has(id)) continue;
          const n = byId.get(id)!;
          const c = n.changes.find((x) => x.field === field);
          if (c && (!newest || n.hlc > newest.hlc)) {
            newest = n;
            value = c.after;
          }
        }
        if (newest && value !== null) versions.push({ headId: h, correctionId: newest.id, value });
      }
      if (versions.length > 1 && versions.some((v) => !same(v.value, versions[0]!.value))) conflicts.push({ field, versions });
    }
  }
  return { headIds, conflicts };
}
