import { createMasterDataQueries } from '../../../core/store/queries/masterDataQueries';
import { createProgramQueries } from '../../../core/store/queries/programQueries';
import type { Db } from '../../../core/store/sqlite';
import type { Program } from '../../../shared/schemas/programs';
import type { Institution, Stop, Tour } from '../../../shared/schemas/masterData';
import { CAREER_STAGES, PROGRAMS, type CareerStage, type OutcomeStatus } from '../../../shared/vocab';

/**
 * The outcome dashboard's figures (issue #21): the funnel registered → checked in → consulted → followed up →
 * applied → hired, for the whole selection and per tour, stop, institution, programme and career stage.
 *
 * Definitions (docs/hq-dashboard.md, "Outcome dashboard"):
 * - A **person** is a merged group of records (`COALESCE(attendee_canonical.canonical_id, attendee_id)`, as
 *   tourQueries.ts counts): a person registered in two cities, or twice at one stop, is one person in a total.
 * - The funnel is **cumulative**: a person is counted at the furthest stage they reached and at every stage
 *   before it (hired implies applied, applied implies followed up, …), so each stage is a subset of the one
 *   before and every conversion rate is at most 100 %.
 *   - checked in: a check-in that was not voided, on one of the person's registrations at a stop of the selection;
 *   - consulted: at least one consultation (with a registered person) at a stop of the selection;
 *   - followed up: such a consultation whose follow-up is marked done, or at least one outcome of any status;
 *   - applied: an outcome `applied`, `offer` or `hired`; hired: an outcome `hired`.
 *   Retracted outcomes never count. Consultations with an unregistered visitor are not in the funnel (counted apart).
 * - **Per stop**: a person belongs to each stop of the selection where they registered or consulted; their
 *   outcomes count at each of those stops (outcomes name no stop). A person at two stops counts at both; totals
 *   count them once.
 * - **Per institution** (and the institution filter): the people registered at a stop where the institution was
 *   present (a booth not removed, or a consultation it logged there), plus the people it consulted or recorded an
 *   outcome for; consultations and outcomes count only the institution's own (a person hired by KAIST counts under
 *   KAIST). An outcome for a person it did not meet at one of its stops counts at the stops where the person was.
 * - **Per programme** (and the programme filter): as per institution, with the programme's institution (a national
 *   programme's audience is everyone in the selection); consultations count when they name the programme,
 *   outcomes when they name it.
 * - **Per career stage**: the stage on the person's canonical record.
 * - Consent: the figures are counts, never names: every registered person counts, whatever their consent (the
 *   narrowest consent, `hq_stats`, is for exactly such statistics), and a withdrawn consent does not take back
 *   earlier outcomes from the counts. Withdrawal removes a person from the portal and the follow-up exports.
 */

export const FUNNEL_STAGES = ['registered', 'checkedIn', 'consulted', 'followedUp', 'applied', 'hired'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];
/** People at each stage of FUNNEL_STAGES, in that order. */
export type Funnel = number[];

/** What a consultation names as a programme key: a programme's id, or `legacy:<value>` of the form's old list. */
export const LEGACY_PREFIX = 'legacy:';

/** Statuses that mean the person applied (a later stage implies the earlier). */
const APPLIED: readonly OutcomeStatus[] = ['applied', 'offer', 'hired'];
const outcomeLevel = (status: OutcomeStatus): number => (status === 'hired' ? 5 : APPLIED.includes(status) ? 4 : 3);

/** The page's filter as asked (`tour` = 'all' for every tour; absent = the latest tour). */
export interface OutcomeFilterInput {
  tour?: string | undefined;
  stop?: string | undefined;
  institution?: string | undefined;
  program?: string | undefined;
  stage?: string | undefined;
}

/** The filter as applied (unknown values dropped, the default tour chosen). */
export interface OutcomeFilter {
  tourId: string | null;
  stopId: string | null;
  institutionId: string | null;
  programKey: string | null;
  stage: CareerStage | null;
}

export interface FunnelRow {
  key: string;
  funnel: Funnel;
}

export interface OutcomeFigures {
  filter: OutcomeFilter;
  total: Funnel;
  /** Per tour (only when every tour is selected). */
  perTour: FunnelRow[];
  perStop: FunnelRow[];
  perInstitution: FunnelRow[];
  /** Programmes (master data) and the consultation form's legacy programme list (`legacy:…`). */
  perProgram: FunnelRow[];
  perStage: FunnelRow[];
  /** Consultations in the selection with a visitor who was not registered (not in the funnel). */
  anonymousConsultations: number;
  /** For labels and the filter's choices. */
  tours: Tour[];
  stops: Stop[];
  institutions: Institution[];
  programs: Program[];
}

interface Reg {
  stop: number;
  ci: boolean;
}
interface Con {
  stop: number;
  inst: number;
  done: boolean;
  progs: number[];
}
interface Out {
  inst: number;
  prog: number;
  level: number;
}
interface Person {
  stage: number;
  regs: Reg[];
  cons: Con[];
  outs: Out[];
}

/** Every fact the figures need, read once per change of HQ's store (the worker keeps it until data_version moves). */
export interface OutcomeModel {
  tours: Tour[];
  stops: Stop[];
  institutions: Institution[];
  programs: Program[];
  stopIds: string[];
  stopTour: (string | null)[];
  instIds: string[];
  progKeys: string[];
  /** The programme key's institution index, or -1 (national, legacy or unknown). */
  progOwner: number[];
  /** stop × institution: the institution was at the stop (a booth not removed, or a consultation logged there). */
  present: Uint8Array;
  people: Person[];
  /** People with a registration or consultation at each stop. */
  peopleAt: number[][];
  /** People with a consultation or outcome of each institution / naming each programme key. */
  byInst: number[][];
  byProg: number[][];
  /** Consultations without a registered person: stop index, institution index. */
  anonymous: { stop: number; inst: number }[];
}

class Interner {
  readonly ids: string[] = [];
  private readonly index = new Map<string, number>();
  constructor(initial: readonly string[] = []) {
    for (const id of initial) this.of(id);
  }
  of(id: string): number {
    let i = this.index.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.ids.push(id);
      this.index.set(id, i);
    }
    return i;
  }
  find(id: string | undefined | null): number {
    return id == null ? -1 : (this.index.get(id) ?? -1);
  }
}

/**
 * The programme keys a consultation names: programme ids (`program_ids`, issue #21) and the form's old list
 * (`programs`, as `legacy:<value>`) of consultations logged before programmes were master data.
 */
const CONSULTATION_PROGRAMS = `
  SELECT cur.consultation_id AS id, '${LEGACY_PREFIX}' || j.value AS program FROM consultation_current cur, json_each(cur.programs) j
  UNION ALL SELECT cur.consultation_id AS id, j.value AS program FROM consultation_current cur, json_each(cur.program_ids) j`;

/** Reads every fact of the funnel from HQ's projection store (one pass over each table; no row leaves as a name). */
export function loadOutcomeModel(db: Db): OutcomeModel {
  const master = createMasterDataQueries(db);
  const tours = master.tours();
  const stops = master.stops();
  const institutions = master.institutions();
  const programs = createProgramQueries(db).list();
  const stopI = new Interner(stops.map((s) => s.id));
  const instI = new Interner(institutions.map((i) => i.id));
  const progI = new Interner([...programs.map((p) => p.id), ...PROGRAMS.map((p) => `${LEGACY_PREFIX}${p}`)]);
  const personI = new Interner();
  const people: Person[] = [];
  const stageIndex = new Map<string, number>(CAREER_STAGES.map((s, i) => [s, i]));
  const other = stageIndex.get('other')!;
  const stageOf = db.prepare<[string], { career_stage: string }>('SELECT career_stage FROM attendees WHERE id = ?');
  const person = (id: string, stage?: string | null): Person => {
    const i = personI.of(id);
    let p = people[i];
    if (!p) {
      const s = stage ?? stageOf.get(id)?.career_stage;
      p = people[i] = { stage: (s != null ? stageIndex.get(s) : undefined) ?? other, regs: [], cons: [], outs: [] };
    }
    return p;
  };

  const regs = db
    .prepare<[], { person: string; stop_id: string; ci: number; stage: string | null }>(
      `SELECT COALESCE(ac.canonical_id, r.attendee_id) AS person, r.stop_id,
              EXISTS (SELECT 1 FROM check_ins c WHERE c.registration_id = r.id
                      AND NOT EXISTS (SELECT 1 FROM check_in_voids v WHERE v.check_in_event_id = c.event_id)) AS ci,
              COALESCE(pa.career_stage, ra.career_stage) AS stage
       FROM registrations r
       LEFT JOIN attendee_canonical ac ON ac.attendee_id = r.attendee_id
       LEFT JOIN attendees pa ON pa.id = COALESCE(ac.canonical_id, r.attendee_id)
       LEFT JOIN attendees ra ON ra.id = r.attendee_id`,
    )
    .iterate();
  for (const r of regs) person(r.person, r.stage).regs.push({ stop: stopI.of(r.stop_id), ci: r.ci === 1 });

  const progsOf = new Map<string, number[]>();
  for (const r of db.prepare<[], { id: string; program: string }>(CONSULTATION_PROGRAMS).iterate()) {
    const list = progsOf.get(r.id) ?? [];
    const k = progI.of(r.program);
    if (!list.includes(k)) list.push(k);
    progsOf.set(r.id, list);
  }
  const anonymous: OutcomeModel['anonymous'] = [];
  const cons = db
    .prepare<[], { id: string; person: string | null; stop_id: string; institution_id: string; done: number | null }>(
      `SELECT c.id, COALESCE(ac.canonical_id, c.attendee_id) AS person, c.stop_id, c.institution_id, cur.follow_up_status = 'done' AS done
       FROM consultations c
       LEFT JOIN consultation_current cur ON cur.consultation_id = c.id
       LEFT JOIN attendee_canonical ac ON ac.attendee_id = c.attendee_id`,
    )
    .iterate();
  for (const c of cons) {
    const stop = stopI.of(c.stop_id);
    const inst = instI.of(c.institution_id);
    if (c.person === null) anonymous.push({ stop, inst });
    else person(c.person).cons.push({ stop, inst, done: c.done === 1, progs: progsOf.get(c.id) ?? [] });
  }

  const outs = db
    .prepare<[], { person: string; institution_id: string; program_id: string | null; status: OutcomeStatus }>(
      `SELECT COALESCE(ac.canonical_id, o.attendee_id) AS person, o.institution_id, o.program_id, o.status
       FROM lead_outcomes o LEFT JOIN attendee_canonical ac ON ac.attendee_id = o.attendee_id
       WHERE NOT EXISTS (SELECT 1 FROM lead_outcome_retractions x WHERE x.outcome_id = o.outcome_id)`,
    )
    .iterate();
  for (const o of outs) person(o.person).outs.push({ inst: instI.of(o.institution_id), prog: o.program_id === null ? -1 : progI.of(o.program_id), level: outcomeLevel(o.status) });

  const presence = db
    .prepare<[], { stop_id: string; institution_id: string }>('SELECT stop_id, institution_id FROM booths WHERE removed = 0 UNION SELECT stop_id, institution_id FROM consultations')
    .all()
    .map((r) => [stopI.of(r.stop_id), instI.of(r.institution_id)] as const);

  // Every id is interned now: the sizes are final.
  const nStops = stopI.ids.length;
  const nInst = instI.ids.length;
  const present = new Uint8Array(nStops * nInst);
  for (const [s, i] of presence) present[s * nInst + i] = 1;
  const ownerOf = new Map(programs.map((p) => [p.id, p.institutionId]));
  const progOwner = progI.ids.map((k) => instI.find(ownerOf.get(k) ?? null));
  const tourOf = new Map(stops.map((s) => [s.id, s.tourId]));
  const peopleAt: number[][] = Array.from({ length: nStops }, () => []);
  const byInst: number[][] = Array.from({ length: nInst }, () => []);
  const byProg: number[][] = Array.from({ length: progI.ids.length }, () => []);
  people.forEach((p, i) => {
    const stopsOf = new Set<number>();
    const insts = new Set<number>();
    const progs = new Set<number>();
    for (const r of p.regs) stopsOf.add(r.stop);
    for (const c of p.cons) {
      stopsOf.add(c.stop);
      insts.add(c.inst);
      for (const k of c.progs) progs.add(k);
    }
    for (const o of p.outs) {
      insts.add(o.inst);
      if (o.prog >= 0) progs.add(o.prog);
    }
    for (const s of stopsOf) peopleAt[s]!.push(i);
    for (const x of insts) byInst[x]!.push(i);
    for (const k of progs) byProg[k]!.push(i);
  });
  return {
    tours,
    stops,
    institutions,
    programs,
    stopIds: stopI.ids,
    stopTour: stopI.ids.map((id) => tourOf.get(id) ?? null),
    instIds: instI.ids,
    progKeys: progI.ids,
    progOwner,
    present,
    people,
    peopleAt,
    byInst,
    byProg,
    anonymous,
  };
}

/** The filter as applied: unknown ids dropped; no tour asked → the stop's tour, else the tour whose stops are latest. */
export function resolveFilter(m: Pick<OutcomeModel, 'tours' | 'stops' | 'institutions' | 'programs'>, q: OutcomeFilterInput): OutcomeFilter {
  const stop = q.stop ? m.stops.find((s) => s.id === q.stop) : undefined;
  let tourId: string | null;
  if (q.tour === 'all') tourId = null;
  else if (q.tour && m.tours.some((t) => t.id === q.tour)) tourId = q.tour;
  else if (stop) tourId = stop.tourId;
  else {
    const latest = [...m.stops].filter((s) => m.tours.some((t) => t.id === s.tourId)).sort((a, b) => b.date.localeCompare(a.date))[0];
    tourId = latest?.tourId ?? m.tours[0]?.id ?? null;
  }
  const legacy = q.program?.startsWith(LEGACY_PREFIX) && (PROGRAMS as readonly string[]).includes(q.program.slice(LEGACY_PREFIX.length));
  return {
    tourId,
    stopId: stop && (tourId === null || stop.tourId === tourId) ? stop.id : null,
    institutionId: q.institution && m.institutions.some((i) => i.id === q.institution) ? q.institution : null,
    programKey: q.program && (legacy || m.programs.some((p) => p.id === q.program)) ? q.program : null,
    stage: q.stage && (CAREER_STAGES as readonly string[]).includes(q.stage) ? (q.stage as CareerStage) : null,
  };
}

/** Which facts count for one cell: the stops it covers, an institution, a programme key, a career stage (-1: any). */
interface Cell {
  stops: Uint8Array;
  inst: number;
  prog: number;
  stage: number;
}

/**
 * The furthest stage (0 registered … 5 hired) the person reached within the cell, or -1 when they are not in it.
 * See the definitions at the top of this file.
 */
function levelOf(m: OutcomeModel, p: Person, c: Cell): number {
  if (c.stage >= 0 && p.stage !== c.stage) return -1;
  const nInst = m.instIds.length;
  const owner = c.prog >= 0 ? m.progOwner[c.prog]! : -1;
  let level = -1;
  let met = false;
  for (const r of p.regs) {
    if (!c.stops[r.stop]) continue;
    met = true;
    if (c.inst >= 0 && !m.present[r.stop * nInst + c.inst]) continue;
    if (owner >= 0 && !m.present[r.stop * nInst + owner]) continue;
    const l = r.ci ? 1 : 0;
    if (l > level) level = l;
  }
  for (const x of p.cons) {
    if (!c.stops[x.stop]) continue;
    met = true;
    if (c.inst >= 0 && x.inst !== c.inst) continue;
    if (c.prog >= 0 && !x.progs.includes(c.prog)) continue;
    const l = x.done ? 3 : 2;
    if (l > level) level = l;
  }
  if (met) {
    for (const o of p.outs) {
      if (c.inst >= 0 && o.inst !== c.inst) continue;
      if (c.prog >= 0 && o.prog !== c.prog) continue;
      if (o.level > level) level = o.level;
    }
  }
  return level;
}

/** Counts a cell: every candidate person once, at the stage they reached and each before it. */
class Counter {
  private readonly seen: Int32Array;
  private generation = 0;
  constructor(private readonly m: OutcomeModel) {
    this.seen = new Int32Array(m.people.length);
  }

  /** People who may be in the cell (a superset; levelOf decides): at its stops (where its institutions were), or its own leads. */
  private *candidates(c: Cell): Generator<number> {
    const m = this.m;
    const nInst = m.instIds.length;
    const owner = c.prog >= 0 ? m.progOwner[c.prog]! : -1;
    const gen = ++this.generation;
    const fresh = (i: number) => {
      if (this.seen[i] === gen) return false;
      this.seen[i] = gen;
      return true;
    };
    for (let s = 0; s < c.stops.length; s++) {
      if (!c.stops[s]) continue;
      if (c.inst >= 0 && !m.present[s * nInst + c.inst]) continue;
      if (owner >= 0 && !m.present[s * nInst + owner]) continue;
      for (const i of m.peopleAt[s]!) if (fresh(i)) yield i;
    }
    const leads = c.inst >= 0 ? m.byInst[c.inst]! : c.prog >= 0 ? m.byProg[c.prog]! : [];
    for (const i of leads) if (fresh(i)) yield i;
  }

  funnel(c: Cell, each?: (person: Person, level: number) => void): Funnel {
    const out = [0, 0, 0, 0, 0, 0];
    for (const i of this.candidates(c)) {
      const p = this.m.people[i]!;
      const level = levelOf(this.m, p, c);
      if (level < 0) continue;
      for (let k = 0; k <= level; k++) out[k]!++;
      each?.(p, level);
    }
    return out;
  }
}

/** The figures for one filter (pure: the same model and filter give the same figures). */
export function outcomeFigures(m: OutcomeModel, input: OutcomeFilterInput): OutcomeFigures {
  const filter = resolveFilter(m, input);
  const nStops = m.stopIds.length;
  const scope = new Uint8Array(nStops);
  for (let s = 0; s < nStops; s++) {
    const inTour = filter.tourId === null || m.stopTour[s] === filter.tourId;
    scope[s] = inTour && (filter.stopId === null || m.stopIds[s] === filter.stopId) ? 1 : 0;
  }
  const inst = filter.institutionId === null ? -1 : m.instIds.indexOf(filter.institutionId);
  const prog = filter.programKey === null ? -1 : m.progKeys.indexOf(filter.programKey);
  const stage = filter.stage === null ? -1 : CAREER_STAGES.indexOf(filter.stage);
  const base: Cell = { stops: scope, inst, prog, stage };
  const counter = new Counter(m);

  // The whole selection, and per career stage in the same pass.
  const perStageCounts = CAREER_STAGES.map(() => [0, 0, 0, 0, 0, 0]);
  const total = counter.funnel(base, (p, level) => {
    for (let k = 0; k <= level; k++) perStageCounts[p.stage]![k]!++;
  });
  const perStage = CAREER_STAGES.map((s, i) => ({ key: s, funnel: perStageCounts[i]! })).filter((r) => stage < 0 || r.key === filter.stage);

  // Stops of the selection with anyone at them, in the order of their dates.
  const order = new Map(m.stops.map((s, i) => [s.id, i]));
  const stopRows: FunnelRow[] = [];
  for (let s = 0; s < nStops; s++) {
    if (!scope[s] || m.peopleAt[s]!.length === 0) continue;
    const only = new Uint8Array(nStops);
    only[s] = 1;
    stopRows.push({ key: m.stopIds[s]!, funnel: counter.funnel({ ...base, stops: only }) });
  }
  stopRows.sort((a, b) => (order.get(a.key) ?? Infinity) - (order.get(b.key) ?? Infinity) || a.key.localeCompare(b.key));

  const perTour: FunnelRow[] = [];
  if (filter.tourId === null) {
    const tourIds = [...new Set(m.stopTour.filter((t, s): t is string => t !== null && scope[s] === 1))];
    for (const t of tourIds) {
      const stops = Uint8Array.from(scope, (v, s) => (v && m.stopTour[s] === t ? 1 : 0));
      perTour.push({ key: t, funnel: counter.funnel({ ...base, stops }) });
    }
    const year = new Map(m.tours.map((t) => [t.id, t.year]));
    perTour.sort((a, b) => (year.get(b.key) ?? 0) - (year.get(a.key) ?? 0) || a.key.localeCompare(b.key));
  }

  const instOrder = new Map(m.institutions.map((x, i) => [x.id, i]));
  const perInstitution = m.instIds
    .map((id, i) => ({ key: id, i }))
    .filter((x) => inst < 0 || x.i === inst)
    .map(({ key, i }) => ({ key, funnel: counter.funnel({ ...base, inst: i }) }))
    .filter((r) => r.funnel[0]! > 0 || r.key === filter.institutionId)
    .sort((a, b) => (instOrder.get(a.key) ?? Infinity) - (instOrder.get(b.key) ?? Infinity) || a.key.localeCompare(b.key));

  const progOrder = new Map(m.progKeys.map((k, i) => [k, i]));
  const perProgram = m.progKeys
    .map((key, i) => ({ key, i }))
    .filter((x) => prog < 0 || x.i === prog)
    .map(({ key, i }) => ({ key, funnel: counter.funnel({ ...base, prog: i }) }))
    // The form's old list only where a consultation named it; programmes wherever they have an audience.
    .filter((r) => r.key === filter.programKey || (r.key.startsWith(LEGACY_PREFIX) ? r.funnel[2]! > 0 : r.funnel[0]! > 0))
    .sort((a, b) => progOrder.get(a.key)! - progOrder.get(b.key)!);

  const anonymousConsultations = m.anonymous.filter((a) => scope[a.stop] && (inst < 0 || a.inst === inst)).length;

  return {
    filter,
    total,
    perTour,
    perStop: stopRows,
    perInstitution,
    perProgram,
    perStage,
    anonymousConsultations,
    tours: m.tours,
    stops: m.stops,
    institutions: m.institutions,
    programs: m.programs,
  };
}

/** `part / whole` as a share (0–1), or null when there is nobody to convert. */
export const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);
