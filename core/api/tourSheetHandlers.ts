import { AppError } from '../../shared/errors';
import type { BoothPlanFields } from '../../shared/schemas/booths';
import type { TourSheetReport } from '../../shared/schemas/tourSheet';
import type { Language } from '../../shared/vocab';
import { planTourSheet, tourSheetRows, type TourSheetChange, type TourSheetState } from '../domain/tourSheet';
// exceljs itself is loaded by these on first use, not when the handler map loads.
import { readTourSheetWorkbook, writeTourSheetWorkbook } from '../export/tourSheetXlsx';
import { perDb } from '../store/perDb';
import { createBoothQueries } from '../store/queries/boothQueries';
import { createMasterDataQueries } from '../store/queries/masterDataQueries';
import { createStaffQueries } from '../store/queries/staffQueries';
import type { ApiContext } from './apiContext';
import type { HandlerMap } from './handler';

const masterQ = perDb(createMasterDataQueries);
const boothQ = perDb(createBoothQueries);
const staffQ = perDb(createStaffQueries);

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The tour as the sheet compares with it: its stops with their booths (removed ones too) and sessions, every institution and staff member. */
function requireTour(ctx: ApiContext, tourId: string) {
  const tour = masterQ(ctx.store.db).tourById(tourId);
  if (!tour) throw new AppError('NOT_FOUND', `No tour ${tourId}`, { tourId });
  return tour;
}

function readState(ctx: ApiContext, tourId: string): TourSheetState {
  const m = masterQ(ctx.store.db);
  const tour = requireTour(ctx, tourId);
  const stops = m.stopsOfTour(tourId);
  const booths = stops.flatMap((s) => m.allBooths(s.id)).map(({ institution: _i, ...b }) => {
    const p = boothQ(ctx.store.db).plan(b.id);
    const plan: BoothPlanFields | null = p && { startTime: p.startTime, endTime: p.endTime, slotMinutes: p.slotMinutes, capacity: p.capacity, breaks: p.breaks, fields: p.fields };
    return { ...b, plan };
  });
  return {
    tour,
    stops,
    institutions: m.institutions(),
    sessions: stops.flatMap((s) => m.sessions(s.id)),
    booths,
    staff: staffQ(ctx.store.db).list().map(({ id, name, role, institutionId, stopIds, active }) => ({ id, name, role, institutionId, stopIds, active })),
  };
}

function unreadable(tourId: string, reason: string): TourSheetReport {
  // The schema ties a problem to a sheet; a file that is no workbook at all is reported on the first.
  return {
    ok: false,
    tourId,
    counts: { Stops: zero(), Sessions: zero(), Institutions: zero(), Booths: zero(), Staff: zero() },
    problems: [{ sheet: 'Stops', row: null, column: null, cell: null, code: 'unreadable', value: '', details: { reason } }],
    written: 0,
  };
}
const zero = () => ({ rows: 0, created: 0, changed: 0, unchanged: 0 });

function append(ctx: ApiContext, c: TourSheetChange): void {
  // One call per event type keeps the payload typed by its event (a union would widen it).
  const meta = { actorId: ctx.actorId, stopId: c.stopId };
  switch (c.type) {
    case 'stop_upserted':
      return void ctx.store.events.append(c.type, c.payload, meta);
    case 'institution_upserted':
      return void ctx.store.events.append(c.type, c.payload, meta);
    case 'stop_session_upserted':
      return void ctx.store.events.append(c.type, c.payload, meta);
    case 'booth_upserted':
      return void ctx.store.events.append(c.type, c.payload, meta);
    case 'booth_plan_set':
      return void ctx.store.events.append(c.type, c.payload, meta);
    case 'staff_upserted':
      return void ctx.store.events.append(c.type, c.payload, meta);
  }
}

const fileName = (stem: string): string => `${stem.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'tour'}.xlsx`;

async function file(ctx: ApiContext, tourId: string | null, language: Language) {
  const write = writeTourSheetWorkbook;
  const createdAt = new Date();
  if (tourId === null) {
    const bytes = await write(null, { language, createdAt, title: language === 'ko' ? '투어 계획 양식' : 'Tour plan template' });
    return { filename: `tour-plan-template-${language}.xlsx`, mimeType: XLSX_MIME, base64: bytes.toString('base64') };
  }
  const state = readState(ctx, tourId);
  const bytes = await write(tourSheetRows(state, language), { language, createdAt, title: language === 'ko' ? (state.tour.nameKo || state.tour.name) : state.tour.name });
  return { filename: fileName(`tour-plan-${state.tour.year}-${state.tour.id}`), mimeType: XLSX_MIME, base64: bytes.toString('base64') };
}

/**
 * Check and apply run the same rules. Apply reads the tour and writes inside one write transaction,
 * so what it compares with is what it writes over (a sync landing meanwhile waits for the lock), and
 * a sheet with any problem writes nothing at all.
 */
async function run(ctx: ApiContext, tourId: string, base64: string, write: boolean): Promise<TourSheetReport> {
  const read = await readTourSheetWorkbook(Buffer.from(base64, 'base64'));
  if (!read.ok) {
    requireTour(ctx, tourId);
    return unreadable(tourId, read.reason);
  }
  const input = read.input;
  const decide = () => {
    const plan = planTourSheet(input, readState(ctx, tourId));
    // The rules answer no change at all while any problem is listed (tested there): nothing partial lands.
    if (write) for (const c of plan.changes) append(ctx, c);
    return plan;
  };
  const plan = write ? ctx.store.events.transaction(decide) : decide();
  const ok = plan.problems.length === 0;
  return { ok, tourId, counts: plan.counts, problems: plan.problems, written: write && ok ? plan.changes.length : 0 };
}

export const tourSheetHandlers: HandlerMap<'tourplan:template' | 'tourplan:check' | 'tourplan:apply' | 'tourplan:export'> = {
  'tourplan:template': ({ language }, ctx) => file(ctx, null, language),
  'tourplan:check': ({ tourId, base64 }, ctx) => run(ctx, tourId, base64, false),
  'tourplan:apply': ({ tourId, base64 }, ctx) => run(ctx, tourId, base64, true),
  'tourplan:export': ({ tourId, language }, ctx) => file(ctx, tourId, language),
};
