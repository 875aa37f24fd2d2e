import { AppError } from '../../shared/errors';
import type { Language } from '../../shared/vocab';
import { buildFollowUpTable, exportFileName, toCsv } from '../domain/followUpExport';
import { perDb } from '../store/perDb';
import { createConsultationQueries } from '../store/queries/consultationQueries';
import { createMasterDataQueries } from '../store/queries/masterDataQueries';
import { createProgramQueries } from '../store/queries/programQueries';
import type { Db } from '../store/sqlite';
import { followUpXlsx } from './followUpXlsx';

const consQ = perDb(createConsultationQueries);
const masterQ = perDb(createMasterDataQueries);
const programQ = perDb(createProgramQueries);

export interface FollowUpExportRequest {
  institutionId: string;
  stopId: string | null;
  format: 'csv' | 'xlsx';
  language: Language;
}

export interface FollowUpExportFile {
  filename: string;
  mimeType: string;
  bytes: Buffer;
  rowCount: number;
  excludedNoConsent: number;
  excludedAnonymous: number;
}

/**
 * An institution's follow-up list as a file (CSV or XLSX), consent rules included: the desk's
 * `consultations:exportFollowUps` and HQ's dashboard (which builds it on its worker thread, on a
 * read-only connection) make the very same file. Only reads: any connection to the store will do.
 */
export async function followUpExportFile(db: Db, { institutionId, stopId, format, language }: FollowUpExportRequest, now = new Date()): Promise<FollowUpExportFile> {
  const master = masterQ(db);
  const inst = master.institutions().find((i) => i.id === institutionId);
  if (!inst) throw new AppError('NOT_FOUND', `No institution ${institutionId}`, { institutionId });
  const stop = stopId === null ? null : master.stop(stopId);
  if (stopId !== null && !stop) throw new AppError('NOT_FOUND', `No stop ${stopId}`, { stopId });
  const programmes = new Map(programQ(db).forInstitution(institutionId).map((p) => [p.id, p]));
  const table = buildFollowUpTable(consQ(db).exportSources(institutionId, stopId), institutionId, language, programmes);
  const day = now.toISOString().slice(0, 10);
  const nameParts = ['follow-ups', inst.shortName, stop ? `${stop.round}-${stop.city}` : 'tour', day];
  const counts = { rowCount: table.rows.length, excludedNoConsent: table.excludedNoConsent, excludedAnonymous: table.excludedAnonymous };
  if (format === 'csv') return { filename: exportFileName(nameParts, 'csv'), mimeType: 'text/csv;charset=utf-8', bytes: Buffer.from(toCsv(table), 'utf8'), ...counts };
  const title = `${language === 'ko' && inst.nameKo ? inst.nameKo : inst.name} — ${stop ? `${stop.round} ${stop.city}` : 'tour'}`;
  const bytes = await followUpXlsx(table, inst.shortName, { title, createdAt: now });
  return { filename: exportFileName(nameParts, 'xlsx'), mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', bytes, ...counts };
}
