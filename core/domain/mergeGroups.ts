/**
 * The canonical record of a group of merged attendee records, as a pure function of the set of
 * merges (so any delivery order of the same merges gives the same answer):
 * - merges link records into groups (A→B and B→C make one group {A, B, C});
 * - the canonical record is the one never merged away (C in A→B→C);
 * - if several were never merged away (A→B and A→C, two admins at once), the one named by the
 *   earliest merge by HLC wins; if every record was merged away (a cycle), the smallest id.
 */
export interface MergeEdge {
  fromId: string;
  intoId: string;
  hlc: string;
}

export function canonicalOfGroup(edges: readonly MergeEdge[]): { members: string[]; canonical: string } {
  const members = new Set<string>();
  const mergedAway = new Set<string>();
  for (const e of edges) {
    members.add(e.fromId);
    members.add(e.intoId);
    mergedAway.add(e.fromId);
  }
  const sorted = [...members].sort();
  const roots = sorted.filter((m) => !mergedAway.has(m));
  let canonical: string;
  if (roots.length === 1) canonical = roots[0]!;
  else if (roots.length === 0) canonical = sorted[0]!;
  else {
    const firstNamed = new Map<string, string>();
    for (const e of edges) {
      if (!roots.includes(e.intoId)) continue;
      const prev = firstNamed.get(e.intoId);
      if (prev === undefined || e.hlc < prev) firstNamed.set(e.intoId, e.hlc);
    }
    canonical = [...firstNamed].sort(([a, ha], [b, hb]) => (ha < hb ? -1 : ha > hb ? 1 : a < b ? -1 : 1))[0]?.[0] ?? roots[0]!;
  }
  return { members: sorted, canonical };
}
