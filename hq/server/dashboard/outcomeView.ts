import { EXPORT_LABELS } from '../../../core/domain/followUpExport';
import { VOCAB_LABELS } from '../../../shared/vocabLabels';
import type { CareerStage, Language, Program as LegacyProgram } from '../../../shared/vocab';
import { stopLabel } from './dashboardData';
import { DASHBOARD_TEXT, fill } from './dashboardText';
import { FUNNEL_STAGES, LEGACY_PREFIX, rate, type Funnel, type FunnelRow, type OutcomeFigures } from './outcomeData';

/** The breakdowns of the outcome dashboard, in the order the page and the files show them. */
export const OUTCOME_SECTIONS = ['perTour', 'perStop', 'perInstitution', 'perProgram', 'perStage'] as const;
export type OutcomeSection = (typeof OUTCOME_SECTIONS)[number];

/** One line of a breakdown as the page and the files show it: the same figures in both. */
export interface OutcomeLine {
  section: OutcomeSection | 'total';
  key: string;
  name: string;
  /** A second line of the name (the programme's institution, the stop's date). */
  detail: string;
  funnel: Funnel;
  /** The share of the stage before (index 0: null), and hired of registered. */
  rates: (number | null)[];
  overall: number | null;
  /** A programme's places to fill (null when unknown or not a programme). */
  places: number | null;
}

export const conversionRates = (f: Funnel): (number | null)[] => f.map((n, k) => (k === 0 ? null : rate(n, f[k - 1]!)));

/** Names of the rows, in the page's language. */
export function outcomeNamer(fig: Pick<OutcomeFigures, 'tours' | 'stops' | 'institutions' | 'programs'>, lang: Language) {
  const t = DASHBOARD_TEXT[lang].outcomes;
  const ko = lang === 'ko';
  const tours = new Map(fig.tours.map((x) => [x.id, x]));
  const stops = new Map(fig.stops.map((x) => [x.id, x]));
  const insts = new Map(fig.institutions.map((x) => [x.id, x]));
  const progs = new Map(fig.programs.map((x) => [x.id, x]));
  const tour = (id: string) => {
    const x = tours.get(id);
    return x ? (ko && x.nameKo ? x.nameKo : x.name) : id;
  };
  const institution = (id: string) => insts.get(id)?.shortName ?? id;
  return {
    tour,
    stop: (id: string) => {
      const s = stops.get(id);
      return s ? stopLabel(s, lang) : id;
    },
    stopDetail: (id: string) => stops.get(id)?.date ?? '',
    stopTour: (id: string) => {
      const s = stops.get(id);
      return s ? tour(s.tourId) : '';
    },
    institution,
    institutionDetail: (id: string) => {
      const x = insts.get(id);
      return x ? (ko && x.nameKo ? x.nameKo : x.name) : '';
    },
    program: (key: string) => {
      if (key.startsWith(LEGACY_PREFIX)) return EXPORT_LABELS[lang].program[key.slice(LEGACY_PREFIX.length) as LegacyProgram] ?? key;
      const p = progs.get(key);
      return p ? (ko && p.nameKo ? p.nameKo : p.name) : key;
    },
    programDetail: (key: string) => {
      if (key.startsWith(LEGACY_PREFIX)) return t.legacy;
      const p = progs.get(key);
      if (!p) return '';
      return p.institutionId === null ? t.national : institution(p.institutionId);
    },
    stage: (key: string) => VOCAB_LABELS[lang].careerStage[key as CareerStage] ?? key,
  };
}

/** Every line of the figures: the whole selection, then each breakdown. */
export function outcomeLines(fig: OutcomeFigures, lang: Language): OutcomeLine[] {
  const n = outcomeNamer(fig, lang);
  const places = new Map(fig.programs.map((p) => [p.id, p.places]));
  const line = (section: OutcomeLine['section'], r: FunnelRow, name: string, detail: string): OutcomeLine => ({
    section,
    key: r.key,
    name,
    detail,
    funnel: r.funnel,
    rates: conversionRates(r.funnel),
    overall: rate(r.funnel[5]!, r.funnel[0]!),
    places: section === 'perProgram' ? (places.get(r.key) ?? null) : null,
  });
  return [
    line('total', { key: '', funnel: fig.total }, DASHBOARD_TEXT[lang].outcomes.total, scopeText(fig, lang)),
    ...fig.perTour.map((r) => line('perTour', r, n.tour(r.key), '')),
    // With every tour side by side, a stop's tour is named beside its date.
    ...fig.perStop.map((r) => line('perStop', r, n.stop(r.key), [n.stopDetail(r.key), fig.filter.tourId === null ? n.stopTour(r.key) : ''].filter(Boolean).join(' · '))),
    ...fig.perInstitution.map((r) => line('perInstitution', r, n.institution(r.key), n.institutionDetail(r.key))),
    ...fig.perProgram.map((r) => line('perProgram', r, n.program(r.key), n.programDetail(r.key))),
    ...fig.perStage.map((r) => line('perStage', r, n.stage(r.key), '')),
  ];
}

/** The filter in words: "Tour: … · stop: all · …". */
export function scopeText(fig: OutcomeFigures, lang: Language): string {
  const t = DASHBOARD_TEXT[lang].outcomes;
  const n = outcomeNamer(fig, lang);
  const f = fig.filter;
  return fill(t.scope, {
    tour: f.tourId ? n.tour(f.tourId) : t.all,
    stop: f.stopId ? n.stop(f.stopId) : t.all,
    institution: f.institutionId ? n.institution(f.institutionId) : t.all,
    program: f.programKey ? n.program(f.programKey) : t.all,
    stage: f.stage ? n.stage(f.stage) : t.all,
  });
}

/** A share as the page writes it: "66.7%" (ko-KR and en-US agree), "–" when there is nobody to convert. */
export function percent(r: number | null, lang: Language): string {
  if (r === null) return '–';
  return new Intl.NumberFormat(lang === 'ko' ? 'ko-KR' : 'en-US', { style: 'percent', maximumFractionDigits: 1 }).format(r);
}

export { FUNNEL_STAGES };
