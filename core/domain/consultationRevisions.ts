import { CONTENT_KEYS, type ConsultationContent } from '../../shared/schemas/consultations';

/** One revision of a consultation as the revision graph needs it. */
export interface RevisionNode {
  revisionId: string;
  hlc: string;
  baseRevisionIds: readonly string[];
}

export interface RevisionState<R extends RevisionNode> {
  /** Revisions no other revision names as a base, newest (by HLC) first. */
  heads: R[];
  /** The head shown and edited: the newest by HLC (HLCs end in the device id, so never tied). */
  current: R;
  /** More than one head: concurrent edits that a person must resolve. */
  conflict: boolean;
}

/**
 * The state of a revision graph: a pure function of the set of revisions, so any delivery order
 * of the same events gives the same heads, the same current revision and the same conflict flag.
 * Bases that name a revision of another consultation are ignored by the caller passing only
 * this consultation's revisions.
 */
export function revisionState<R extends RevisionNode>(revisions: readonly R[]): RevisionState<R> | null {
  if (revisions.length === 0) return null;
  const named = new Set<string>();
  for (const r of revisions) for (const b of r.baseRevisionIds) if (b !== r.revisionId) named.add(b);
  const heads = revisions.filter((r) => !named.has(r.revisionId)).sort((a, b) => (a.hlc < b.hlc ? 1 : a.hlc > b.hlc ? -1 : 0));
  // A cycle cannot be written by the API (a base must exist before its edit); guard anyway.
  const ordered = heads.length > 0 ? heads : [...revisions].sort((a, b) => (a.hlc < b.hlc ? 1 : -1)).slice(0, 1);
  return { heads: ordered, current: ordered[0]!, conflict: ordered.length > 1 };
}

const sortedUnique = <T extends string>(xs: readonly T[]): T[] => [...new Set(xs)].sort();

/** Canonical content: sets sorted and deduplicated, free-text fields trimmed and deduplicated ignoring case. */
export function normalizeContent(c: ConsultationContent): ConsultationContent {
  const seen = new Set<string>();
  const otherFields: string[] = [];
  for (const f of c.otherFields) {
    const v = f.trim().replace(/\s+/g, ' ');
    const key = v.toLocaleLowerCase();
    if (v && !seen.has(key)) {
      seen.add(key);
      otherFields.push(v);
    }
  }
  return { ...c, fields: sortedUnique(c.fields), programs: sortedUnique(c.programs), programIds: sortedUnique(c.programIds), otherFields };
}

/** Content keys whose values differ (order-insensitive for the set-valued keys after normalising). */
export function changedKeys(before: ConsultationContent | null, after: ConsultationContent): (keyof ConsultationContent)[] {
  if (!before) return [...CONTENT_KEYS];
  const a = normalizeContent(before);
  const b = normalizeContent(after);
  return CONTENT_KEYS.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}
