import { readFileSync, writeFileSync } from 'node:fs';
import { createBoothQueries } from '../../../core/store/queries/boothQueries';
import { createMasterDataQueries } from '../../../core/store/queries/masterDataQueries';
import type { ApiOutput, Channel } from '../../../shared/contract';
import type { Institution, Stop } from '../../../shared/schemas/masterData';
import type { TourSheetReport } from '../../../shared/schemas/tourSheet';
import { LANGUAGES, type Language } from '../../../shared/vocab';
import { DASHBOARD_TEXT } from '../dashboard/dashboardText';
import { problemText } from '../../../core/domain/tourSheetText';
import { boothInput, checkInput, formatBreaks, institutionInput, refusalErrors, sessionInput, stopInput, tourInput, type FieldErrors, type FormId, type FormValues } from '../dashboard/tourForms';
import type { HqRuntime } from '../hqRuntime';
import { HqActions } from './hqActions';

/**
 * Tour planning from a terminal (issue #18), for scripting a tour: the very handlers the dashboard runs
 * (HqActions: events of device `hq` that desks pull), the same schema checks and the same English messages.
 * Bad input is one line naming the flag, exit code 2, never a stack trace.
 */
export const TOUR_USAGE = `  npm run hq -- tour list
  npm run hq -- tour add --name "Roadshow 2026" [--name-ko ..] --year 2026 [--start 2026-10-01 --end 2026-11-30]
  npm run hq -- stop add --tour <id> --round 1 --city Boston [--city-ko 보스턴] --date 2026-10-19 --tz America/New_York
                         --kind joint_briefing|campus_roadshow|company_ir [--venue ..] [--campus ..]
  npm run hq -- session add --stop <id> --kind policy_briefing|booth_hours|ir_round|campus_talk|other --title ..
                         [--title-ko ..] --start 10:00 --end 11:30 [--room ..] [--capacity 120]
  npm run hq -- institution list
  npm run hq -- institution add --short KAIST --name .. [--name-ko ..] --kind university|research_institute|agency|company|association
                         [--programs "InnoCORE postdoc positions, Brain to Korea"] [--contact-name .. --contact-email ..]
  npm run hq -- booth add --stop <id> --institution <short name|id> [--code B01] [--staff "Name, Name"]
                         [--hours 13:00-17:00 --slot 15 --per-slot 2 [--breaks 15:00-15:15,16:30-16:45]]
  npm run hq -- booth copy --from <stop id> --to <stop id>
  npm run hq -- staff add --name .. --role stop_lead|desk_staff|booth_staff|hq_admin [--institution KAIST] [--stops <id,id>]
                         (prints the one-time setup code for the first sign-in, once)
  npm run hq -- tour template --lang ko|en --out tour.xlsx
  npm run hq -- tour export --tour <id> [--lang ko|en] --out tour.xlsx
  npm run hq -- tour import --tour <id> tour.xlsx       (checks every cell; writes only a file without problems)
  npm run hq -- tour bundle --out tour.rsbundle         (what HQ planned, signed, for a desk without a network:
                                                         Sync → USB bundle on the desk)`;

/** The flags of these commands (node:util parseArgs); `--hours`, `--label` and others are main's own. */
export const TOUR_CLI_OPTIONS = {
  name: { type: 'string' },
  'name-ko': { type: 'string' },
  year: { type: 'string' },
  start: { type: 'string' },
  end: { type: 'string' },
  tour: { type: 'string' },
  stop: { type: 'string' },
  round: { type: 'string' },
  city: { type: 'string' },
  'city-ko': { type: 'string' },
  venue: { type: 'string' },
  campus: { type: 'string' },
  date: { type: 'string' },
  tz: { type: 'string' },
  kind: { type: 'string' },
  title: { type: 'string' },
  'title-ko': { type: 'string' },
  room: { type: 'string' },
  capacity: { type: 'string' },
  short: { type: 'string' },
  programs: { type: 'string' },
  'contact-name': { type: 'string' },
  'contact-email': { type: 'string' },
  institution: { type: 'string' },
  code: { type: 'string' },
  staff: { type: 'string' },
  slot: { type: 'string' },
  'per-slot': { type: 'string' },
  breaks: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  role: { type: 'string' },
  stops: { type: 'string' },
  lang: { type: 'string' },
  out: { type: 'string' },
} as const;

export type TourCliValues = { [K in keyof typeof TOUR_CLI_OPTIONS]?: string | undefined } & { hours?: string | undefined };

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}
const consoleIo: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

/** Input the person must correct: said in one line, exit code 2. */
class BadInput extends Error {}

const NOUNS = ['tour', 'stop', 'session', 'institution', 'booth', 'staff'] as const;

/** Which flag each form field comes from, to name it in a message. */
const FLAGS: Record<string, string> = {
  name: '--name',
  nameKo: '--name-ko',
  year: '--year',
  startDate: '--start',
  endDate: '--end',
  tourId: '--tour',
  stopId: '--stop',
  round: '--round',
  city: '--city',
  cityKo: '--city-ko',
  venue: '--venue',
  campus: '--campus',
  date: '--date',
  timeZone: '--tz',
  kind: '--kind',
  title: '--title',
  titleKo: '--title-ko',
  room: '--room',
  shortName: '--short',
  programs: '--programs',
  contactName: '--contact-name',
  contactEmail: '--contact-email',
  institutionId: '--institution',
  location: '--code',
  staff: '--staff',
  slotMinutes: '--slot',
  breaks: '--breaks',
  role: '--role',
  stops: '--stops',
  fromStopId: '--from',
};
const flagOf = (form: FormId, field: string): string => {
  if (form === 'booth' && (field === 'startTime' || field === 'endTime')) return '--hours';
  if (form === 'booth' && field === 'capacity') return '--per-slot';
  if (form === 'session' && field === 'startTime') return '--start';
  if (form === 'session' && field === 'endTime') return '--end';
  if (field === 'capacity') return '--capacity';
  return FLAGS[field] ?? field;
};

/**
 * Runs a tour-planning command; null when `command` is none of them (main tries its others).
 * Answers the exit code: 0 done, 1 not done (a spreadsheet with problems, a failing channel), 2 bad input.
 */
export async function runTourCommand(command: string, args: readonly string[], values: TourCliValues, hq: HqRuntime, io: CliIo = consoleIo): Promise<number | null> {
  if (!(NOUNS as readonly string[]).includes(command)) return null;
  try {
    await hq.projections.catchUp(); // plan on what the desks sent too
    return await new TourCli(hq, values, io).run(command as (typeof NOUNS)[number], args);
  } catch (err) {
    if (!(err instanceof BadInput)) throw err;
    io.err(err.message);
    return 2;
  }
}

class TourCli {
  private readonly actions: HqActions;
  private readonly master;
  private readonly en = DASHBOARD_TEXT.en;

  constructor(
    private readonly hq: HqRuntime,
    private readonly v: TourCliValues,
    private readonly io: CliIo,
  ) {
    this.actions = new HqActions(hq.projections.store, hq.storage, hq.dataDir);
    this.master = createMasterDataQueries(hq.projections.store.db);
  }

  async run(noun: (typeof NOUNS)[number], args: readonly string[]): Promise<number> {
    const verb = args[0] ?? '';
    const key = `${noun} ${verb}`;
    switch (key) {
      case 'tour list':
        return this.tourList();
      case 'tour add':
        return this.tourAdd();
      case 'tour template':
        return this.tourTemplate();
      case 'tour export':
        return this.tourExport();
      case 'tour import':
        return this.tourImport(args[1]);
      case 'tour bundle':
        return this.tourBundle();
      case 'stop add':
        return this.stopAdd();
      case 'session add':
        return this.sessionAdd();
      case 'institution list':
        return this.institutionList();
      case 'institution add':
        return this.institutionAdd();
      case 'booth add':
        return this.boothAdd();
      case 'booth copy':
        return this.boothCopy();
      case 'staff add':
        return this.staffAdd();
      default:
        throw new BadInput(`Unknown command "${key.trim()}". Tour planning commands:\n${TOUR_USAGE}`);
    }
  }

  /** The channel's schema, then its handler; a refusal is one line naming the flags. */
  private async save<C extends Channel>(channel: C, raw: unknown, form: FormId, values: FormValues): Promise<ApiOutput<C>> {
    const checked = checkInput(channel, raw, form, values, this.en);
    if (!checked.ok) return this.refuse(form, checked.errors);
    const r = await this.actions.call(channel, checked.input, 'hq-cli');
    if (!r.ok) return this.refuse(form, refusalErrors(r.error, form, this.en));
    return r.value;
  }

  private refuse(form: FormId, errors: FieldErrors): never {
    const parts = Object.entries(errors).map(([field, message]) => (field === '_form' ? message : `${flagOf(form, field)}: ${message}`));
    throw new BadInput(`Refused, nothing written: ${parts.join(' ')}`);
  }

  private need(flag: keyof TourCliValues): string {
    const value = this.v[flag]?.trim();
    if (!value) throw new BadInput(`--${flag} is required (npm run hq -- --help)`);
    return value;
  }

  private stopOf(flag: 'stop' | 'from' | 'to'): Stop {
    const id = this.need(flag);
    const stop = this.master.stop(id);
    if (!stop) throw new BadInput(`--${flag}: no stop ${id} (npm run hq -- tour list shows them)`);
    return stop;
  }

  private tourOf(): string {
    const id = this.need('tour');
    if (!this.master.tourById(id)) throw new BadInput(`--tour: no tour ${id} (npm run hq -- tour list shows them)`);
    return id;
  }

  /** An institution by id or short name (case-insensitive), as people type it. */
  private institutionOf(text: string): Institution {
    const all = this.master.institutions();
    const found = all.find((i) => i.id === text) ?? all.find((i) => i.shortName.toLowerCase() === text.toLowerCase());
    if (!found) throw new BadInput(`--institution: no institution ${text} (npm run hq -- institution list shows them)`);
    return found;
  }

  private language(): Language {
    const lang = this.v.lang ?? 'ko';
    if (!(LANGUAGES as readonly string[]).includes(lang)) throw new BadInput(`--lang: ko or en, not ${lang}`);
    return lang as Language;
  }

  private tourList(): number {
    const tours = this.master.tours();
    if (tours.length === 0) this.io.out('No tours yet: npm run hq -- tour add --name .. --year ..');
    for (const t of tours) {
      this.io.out(`${t.id}\t${t.year}\t${t.name}${t.nameKo ? ` / ${t.nameKo}` : ''}\t${t.startDate ?? ''}${t.startDate || t.endDate ? '–' : ''}${t.endDate ?? ''}`);
      for (const s of this.master.stopsOfTour(t.id)) {
        this.io.out(`  ${s.id}\t${s.round}\t${s.city}${s.cityKo ? ` / ${s.cityKo}` : ''}\t${s.date}\t${s.timeZone}\t${s.kind}\t${this.master.booths(s.id).length} booths, ${this.master.sessions(s.id).length} sessions`);
      }
    }
    return 0;
  }

  private async tourAdd(): Promise<number> {
    const values: FormValues = { name: this.v.name ?? '', nameKo: this.v['name-ko'] ?? '', year: this.v.year ?? '', startDate: this.v.start ?? '', endDate: this.v.end ?? '' };
    const tour = await this.save('tour:upsert', tourInput(values), 'tour-new', values);
    this.io.out(`Tour ${tour.id}: ${tour.name} (${tour.year}${tour.startDate || tour.endDate ? `, ${tour.startDate ?? '…'} – ${tour.endDate ?? '…'}` : ''})`);
    return 0;
  }

  private async stopAdd(): Promise<number> {
    const tourId = this.tourOf();
    const v = this.v;
    const values: FormValues = { round: v.round ?? '', city: v.city ?? '', cityKo: v['city-ko'] ?? '', venue: v.venue ?? '', campus: v.campus ?? '', date: v.date ?? '', timeZone: v.tz ?? '', kind: v.kind ?? '' };
    const stop = await this.save('stop:upsert', stopInput(values, tourId), 'stop-new', values);
    this.io.out(`Stop ${stop.id}: ${stop.round} ${stop.city}, ${stop.date} (${stop.timeZone}), ${stop.kind}`);
    return 0;
  }

  private async sessionAdd(): Promise<number> {
    const stop = this.stopOf('stop');
    const v = this.v;
    const values: FormValues = { kind: v.kind ?? '', title: v.title ?? '', titleKo: v['title-ko'] ?? '', startTime: v.start ?? '', endTime: v.end ?? '', room: v.room ?? '', capacity: v.capacity ?? '' };
    const s = await this.save('session:upsert', sessionInput(values, stop.id), 'session', values);
    this.io.out(`Session ${s.id} at ${stop.round} ${stop.city}: ${s.startTime}–${s.endTime} (${stop.timeZone}) ${s.title}`);
    return 0;
  }

  private institutionList(): number {
    for (const i of this.master.institutions()) this.io.out(`${i.id}\t${i.shortName}\t${i.kind}\t${i.name}${i.nameKo ? ` / ${i.nameKo}` : ''}`);
    return 0;
  }

  private async institutionAdd(): Promise<number> {
    const v = this.v;
    const values: FormValues = { shortName: v.short ?? '', name: v.name ?? '', nameKo: v['name-ko'] ?? '', kind: v.kind ?? '', programs: v.programs ?? '', contactName: v['contact-name'] ?? '', contactEmail: v['contact-email'] ?? '' };
    const i = await this.save('institution:upsert', institutionInput(values), 'institution', values);
    this.io.out(`Institution ${i.id}: ${i.shortName} (${i.name})`);
    return 0;
  }

  private async boothAdd(): Promise<number> {
    const stop = this.stopOf('stop');
    const inst = this.institutionOf(this.need('institution'));
    const v = this.v;
    const [startTime = '', endTime = ''] = (v.hours ?? '').split(/\s*[-–]\s*/);
    const values: FormValues = { institutionId: inst.id, location: v.code ?? '', staff: v.staff ?? '', startTime, endTime, slotMinutes: v.slot ?? '', capacity: v['per-slot'] ?? '', breaks: v.breaks ?? '' };
    const booth = await this.save('booth:upsert', boothInput(values, stop.id), 'booth', values);
    const row = createBoothQueries(this.hq.projections.store.db).plan(booth.id);
    const planText = row ? `${row.startTime}–${row.endTime} (${stop.timeZone}), ${row.slotMinutes} min slots, ${row.capacity} per slot${row.breaks.length ? `, breaks ${formatBreaks(row.breaks)}` : ''}` : 'no plan';
    this.io.out(`Booth ${booth.id} at ${stop.round} ${stop.city}: ${inst.shortName}${booth.location ? ` ${booth.location}` : ''}, ${planText}`);
    return 0;
  }

  private async boothCopy(): Promise<number> {
    const from = this.stopOf('from');
    const to = this.stopOf('to');
    const values: FormValues = { fromStopId: from.id };
    const r = await this.save('booths:copyFromStop', { fromStopId: from.id, toStopId: to.id }, 'copy', values);
    this.io.out(`Copied from ${from.round} ${from.city} to ${to.round} ${to.city}: ${r.boothsCreated} booths added, ${r.plansCopied} plans copied, ${r.skipped} skipped (already planned).`);
    return 0;
  }

  private async staffAdd(): Promise<number> {
    const v = this.v;
    const institutionId = v.institution ? this.institutionOf(v.institution).id : null;
    const stopIds = (v.stops ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const id of stopIds) if (!this.master.stop(id)) throw new BadInput(`--stops: no stop ${id} (npm run hq -- tour list shows them)`);
    const values: FormValues = { name: v.name ?? '', role: v.role ?? '', institutionId: institutionId ?? '' };
    const r = await this.save('staff:plan', { name: values.name, role: values.role, institutionId, stopIds, issueSetupCode: true }, 'staff', values);
    this.io.out(`Staff ${r.staff.id}: ${r.staff.name} (${r.staff.role}${stopIds.length ? `, stops ${stopIds.join(', ')}` : ', any stop'})`);
    if (r.setupCode) this.io.out(`Setup code for the first sign-in on a desk (shown only now): ${r.setupCode}`);
    return 0;
  }

  private async tourTemplate(): Promise<number> {
    const out = this.need('out');
    const r = await this.actions.call('tourplan:template', { language: this.language() }, 'hq-cli');
    if (!r.ok) return this.notDone(r.error.message);
    writeFileSync(out, Buffer.from(r.value.base64, 'base64'));
    this.io.out(`Template written to ${out}`);
    return 0;
  }

  private async tourBundle(): Promise<number> {
    const out = this.need('out');
    const b = await this.actions.tourBundle();
    writeFileSync(out, b.bytes);
    this.io.out(`${b.count} events of HQ (1–${b.toSeq}) written to ${out}: import it on a desk under Sync → USB bundle.`);
    return 0;
  }

  private async tourExport(): Promise<number> {
    const tourId = this.tourOf();
    const out = this.need('out');
    const r = await this.actions.call('tourplan:export', { tourId, language: this.language() }, 'hq-cli');
    if (!r.ok) return this.notDone(r.error.message);
    writeFileSync(out, Buffer.from(r.value.base64, 'base64'));
    this.io.out(`Tour ${tourId} written to ${out}`);
    return 0;
  }

  private async tourImport(file: string | undefined): Promise<number> {
    const tourId = this.tourOf();
    if (!file) throw new BadInput('Usage: npm run hq -- tour import --tour <id> tour.xlsx');
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (err) {
      throw new BadInput(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    const input = { tourId, base64: bytes.toString('base64') };
    const checked = await this.actions.call('tourplan:check', input, 'hq-cli');
    if (!checked.ok) return this.notDone(checked.error.message);
    if (!checked.value.ok || checked.value.problems.length > 0) {
      this.printProblems(checked.value);
      this.io.err(`${checked.value.problems.length} problems: nothing written. Correct the file and import it again.`);
      return 1;
    }
    const applied = await this.actions.call('tourplan:apply', input, 'hq-cli');
    if (!applied.ok) return this.notDone(applied.error.message);
    if (!applied.value.ok) {
      this.printProblems(applied.value);
      return 1;
    }
    this.io.out(`Applied ${file} to ${tourId}: ${applied.value.written} changes written. Desks receive them at their next sync.`);
    return 0;
  }

  private printProblems(report: TourSheetReport): void {
    const lang = this.v.lang === 'ko' ? 'ko' : 'en';
    for (const p of report.problems) this.io.err(`${p.sheet}${p.cell ? `!${p.cell}` : p.row !== null ? ` row ${p.row}` : ''}: ${problemText(p, lang)}`);
  }

  private notDone(message: string): number {
    this.io.err(`Not done: ${message}`);
    return 1;
  }
}
