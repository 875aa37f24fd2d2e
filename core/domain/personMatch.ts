import { normalizeLatin } from './searchText';

/** One attendee record as the match rules see it. `canonicalId` is its merged group's record (itself if never merged). */
export interface MatchCandidate {
  id: string;
  canonicalId: string;
  familyName: string;
  givenName: string;
  nameKo: string;
  email: string;
  affiliation: string;
  /** The HLC of the record's first event: the older record is the one others merge into. */
  createdHlc: string;
}

export type MatchRule = 'email' | 'latin_name_affiliation' | 'hangul_name_affiliation';

export interface MatchProposal {
  /** The record (canonical of its group) that would be merged away… */
  fromId: string;
  /** …into this one (the oldest record of the people that match). */
  intoId: string;
  rules: MatchRule[];
}

/** Lower-case email without surrounding space; Gmail-style dots and +tags are NOT folded (they can be different people). */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/** Latin name, order-free ("Kim Minjun" = "Minjun Kim"), accents, case, hyphens and dots ignored ("Min-jun" = "Minjun"). */
export function latinNameKey(familyName: string, givenName: string): string {
  const tokens = normalizeLatin(`${familyName} ${givenName}`)
    .replace(/[-._]+/g, '')
    .split(/\s+/)
    .filter(Boolean)
    .sort();
  return tokens.length >= 2 ? tokens.join(' ') : '';
}

/** Hangul name without spaces, composed (NFC): "김 민준" = "김민준". */
export function hangulNameKey(nameKo: string): string {
  const k = nameKo.normalize('NFC').replace(/\s+/g, '');
  return [...k].length >= 2 ? k : '';
}

/** Affiliation with case, accents, punctuation and a leading "the" ignored. */
export function affiliationKey(affiliation: string): string {
  return normalizeLatin(affiliation.normalize('NFC'))
    .replace(/[-._,]+/g, ' ')
    .replace(/^the\s+/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export const pairKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

/**
 * Proposes which records are one person: the same email, or the same normalised Latin or Hangul
 * name at the same affiliation. Works on merged groups (records already merged are one node, never
 * proposed again); each proposal merges a group into the oldest matching group. `dismissed` holds
 * `pairKey(from, into)` of proposals an admin rejected. Pure and deterministic: same input, same list.
 */
export function proposeMatches(candidates: readonly MatchCandidate[], dismissed: ReadonlySet<string> = new Set()): MatchProposal[] {
  const created = new Map<string, string>();
  for (const c of candidates) {
    const prev = created.get(c.canonicalId);
    const own = c.id === c.canonicalId ? c.createdHlc : undefined;
    if (own !== undefined) created.set(c.canonicalId, own);
    else if (prev === undefined) created.set(c.canonicalId, c.createdHlc);
  }
  const buckets = new Map<string, Set<string>>();
  const add = (rule: MatchRule, key: string, canonicalId: string): void => {
    if (!key) return;
    const k = `${rule}\u0000${key}`;
    let set = buckets.get(k);
    if (!set) buckets.set(k, (set = new Set()));
    set.add(canonicalId);
  };
  for (const c of candidates) {
    add('email', emailKey(c.email), c.canonicalId);
    const aff = affiliationKey(c.affiliation);
    if (aff) {
      const latin = latinNameKey(c.familyName, c.givenName);
      if (latin) add('latin_name_affiliation', `${latin}\u0000${aff}`, c.canonicalId);
      const ko = hangulNameKey(c.nameKo);
      if (ko) add('hangul_name_affiliation', `${ko}\u0000${aff}`, c.canonicalId);
    }
  }
  const byAge = (a: string, b: string): number => {
    const ha = created.get(a) ?? '';
    const hb = created.get(b) ?? '';
    return ha < hb ? -1 : ha > hb ? 1 : a < b ? -1 : a > b ? 1 : 0;
  };
  const proposals = new Map<string, MatchProposal>();
  for (const [k, set] of buckets) {
    if (set.size < 2) continue;
    const rule = k.slice(0, k.indexOf('\u0000')) as MatchRule;
    const [into, ...rest] = [...set].sort(byAge);
    for (const from of rest) {
      if (dismissed.has(pairKey(from, into!))) continue;
      const key = `${from}\u0000${into}`;
      const p = proposals.get(key) ?? { fromId: from, intoId: into!, rules: [] };
      if (!p.rules.includes(rule)) p.rules.push(rule);
      proposals.set(key, p);
    }
  }
  const order: Record<MatchRule, number> = { email: 0, latin_name_affiliation: 1, hangul_name_affiliation: 2 };
  return [...proposals.values()]
    .map((p) => ({ ...p, rules: [...p.rules].sort((a, b) => order[a] - order[b]) }))
    .sort((a, b) => (a.intoId < b.intoId ? -1 : a.intoId > b.intoId ? 1 : a.fromId < b.fromId ? -1 : a.fromId > b.fromId ? 1 : 0));
}
