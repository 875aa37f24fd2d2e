import type { Program } from '../../shared/schemas/programs';

/** A programme's name in the UI language (Korean where HQ gave one). */
export const programName = (p: Pick<Program, 'name' | 'nameKo'>, language: string): string => (language === 'ko' && p.nameKo ? p.nameKo : p.name);

/**
 * What a consultation of `institutionId` may name: the institution's active programmes and the active national
 * ones, plus those it names already (`keep`: an edit keeps a programme retired since). Institution's own first.
 */
export function programmesOffered(programs: readonly Program[], institutionId: string | null, keep: readonly string[] = []): Program[] {
  if (!institutionId) return programs.filter((p) => keep.includes(p.id));
  return programs.filter((p) => (p.institutionId === institutionId || p.institutionId === null) && (p.active || keep.includes(p.id)));
}

/** The names of the programmes a consultation names, in the UI language; an id this desk has not received stays an id. */
export function programNames(programs: readonly Program[], ids: readonly string[], language: string): string[] {
  return ids.map((id) => {
    const p = programs.find((x) => x.id === id);
    return p ? programName(p, language) : id;
  });
}

/** The API refused a programme the form named (VALIDATION on `content.programIds`): said beside the multi-select. */
export function refusedProgrammes(error: unknown): boolean {
  const shape = (error as { shape?: { code?: string; details?: { issues?: { path?: unknown }[] } } } | null)?.shape;
  return shape?.code === 'VALIDATION' && shape.details?.issues?.[0]?.path === 'content.programIds';
}
