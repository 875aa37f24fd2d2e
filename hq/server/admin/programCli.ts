import { createMasterDataQueries } from '../../../core/store/queries/masterDataQueries';
import { createProgramQueries } from '../../../core/store/queries/programQueries';
import type { Program } from '../../../shared/schemas/programs';
import { DASHBOARD_TEXT } from '../dashboard/dashboardText';
import { checkInput, programInput, refusalErrors, type FieldErrors, type FormValues } from '../dashboard/tourForms';
import type { HqRuntime } from '../hqRuntime';
import { HqActions } from './hqActions';
import type { CliIo } from './tourCli';

/**
 * Programmes from a terminal (issue #21), like the tour-planning commands: the handler the dashboard's Programmes
 * section runs (`program:upsert` through HqActions: an event of device `hq` that desks pull), the same schema
 * checks and English messages. Bad input is one line naming the flag, exit code 2.
 */
export const PROGRAM_USAGE = `  npm run hq -- program list
  npm run hq -- program add --institution <short name|id> | --national  --name .. [--name-ko ..]
                         --kind postdoc|faculty|researcher|fellowship|industry|collaboration|other [--places 400]`;

/** The flags only these commands have (--institution, --name, --name-ko and --kind are the tour commands'). */
export const PROGRAM_CLI_OPTIONS = {
  places: { type: 'string' },
  national: { type: 'boolean' },
} as const;

export interface ProgramCliValues {
  institution?: string | undefined;
  national?: boolean | undefined;
  name?: string | undefined;
  'name-ko'?: string | undefined;
  kind?: string | undefined;
  places?: string | undefined;
}

const consoleIo: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

class BadInput extends Error {}

const FLAGS: Record<string, string> = { institutionId: '--institution', name: '--name', nameKo: '--name-ko', kind: '--kind', places: '--places' };

/** Runs `program list|add`; null when `command` is not `program`. Exit code: 0 done, 2 bad input. */
export async function runProgramCommand(command: string, args: readonly string[], values: ProgramCliValues, hq: HqRuntime, io: CliIo = consoleIo): Promise<number | null> {
  if (command !== 'program') return null;
  try {
    await hq.projections.catchUp();
    const verb = args[0] ?? '';
    if (verb === 'list') return list(hq, io);
    if (verb === 'add') return await add(hq, values, io);
    throw new BadInput(`Unknown command "program ${verb}". Programme commands:\n${PROGRAM_USAGE}`);
  } catch (err) {
    if (!(err instanceof BadInput)) throw err;
    io.err(err.message);
    return 2;
  }
}

const describe = (p: Program): string =>
  `${p.id}\t${p.kind}\t${p.places ?? '-'} places\t${p.active ? 'active' : 'retired'}\t${p.name}${p.nameKo ? ` / ${p.nameKo}` : ''}`;

function list(hq: HqRuntime, io: CliIo): number {
  const programs = createProgramQueries(hq.projections.store.db).list();
  const institutions = createMasterDataQueries(hq.projections.store.db).institutions();
  if (programs.length === 0) io.out('No programmes yet: npm run hq -- program add --national|--institution .. --name .. --kind ..');
  const national = programs.filter((p) => p.institutionId === null);
  if (national.length > 0) io.out('National');
  for (const p of national) io.out(`  ${describe(p)}`);
  for (const i of institutions) {
    const own = programs.filter((p) => p.institutionId === i.id);
    if (own.length === 0) continue;
    io.out(`${i.shortName} (${i.id})`);
    for (const p of own) io.out(`  ${describe(p)}`);
  }
  return 0;
}

async function add(hq: HqRuntime, v: ProgramCliValues, io: CliIo): Promise<number> {
  const en = DASHBOARD_TEXT.en;
  const text = v.institution?.trim() ?? '';
  if (v.national && text) throw new BadInput('--national and --institution: give one of them (a national programme has no institution)');
  if (!v.national && !text) throw new BadInput('--institution or --national is required (npm run hq -- --help)');
  let institutionId = '';
  if (text) {
    const all = createMasterDataQueries(hq.projections.store.db).institutions();
    const found = all.find((i) => i.id === text) ?? all.find((i) => i.shortName.toLowerCase() === text.toLowerCase());
    if (!found) throw new BadInput(`--institution: no institution ${text} (npm run hq -- institution list shows them)`);
    institutionId = found.id;
  }
  const values: FormValues = { institutionId, name: v.name ?? '', nameKo: v['name-ko'] ?? '', kind: v.kind ?? '', places: v.places ?? '', active: '1' };
  const refuse = (errors: FieldErrors): never => {
    const parts = Object.entries(errors).map(([field, message]) => (field === '_form' ? message : `${FLAGS[field] ?? field}: ${message}`));
    throw new BadInput(`Refused, nothing written: ${parts.join(' ')}`);
  };
  const checked = checkInput('program:upsert', programInput(values), 'program', values, en);
  if (!checked.ok) return refuse(checked.errors);
  const r = await new HqActions(hq.projections.store, hq.storage, hq.dataDir).call('program:upsert', checked.input, 'hq-cli');
  if (!r.ok) return refuse(refusalErrors(r.error, 'program', en));
  io.out(`Programme ${r.value.id}: ${r.value.name} (${r.value.institutionId === null ? 'national' : text}, ${r.value.kind}${r.value.places !== null ? `, ${r.value.places} places` : ''})`);
  return 0;
}
