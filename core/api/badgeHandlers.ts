import type { BadgeData } from '../../shared/ipc/badgeContract';
import type { badgeContract } from '../../shared/ipc/badgeContract';
import { AppError } from '../../shared/errors';
import type { qrPath as QrPath } from '../domain/qrPath';
import type { Db } from '../store/sqlite';
import { renderBadgePdf } from './badgePdf';
import { perDb } from '../store/perDb';
import { createMasterDataQueries } from '../store/queries/masterDataQueries';
import type { ApiContext } from './apiContext';
import type { HandlerMap } from './handler';

const masterQ = perDb(createMasterDataQueries);
const badgeQ = perDb((db: Db) => {
  const select = `SELECT r.id, r.scan_token, a.family_name, a.given_name, a.name_ko, a.affiliation
    FROM registrations r JOIN attendees a ON a.id = r.attendee_id`;
  const one = db.prepare<[string, string], Row>(`${select} WHERE r.id = ? AND r.stop_id = ?`);
  const pre = db.prepare<[string], Row>(`${select} WHERE r.stop_id = ? AND r.source IN ('preregistered', 'import')
    ORDER BY CASE WHEN a.family_name = '' THEN a.name_ko ELSE a.family_name END COLLATE NOCASE, a.given_name COLLATE NOCASE, r.id`);
  return { one: (id: string, stopId: string) => one.get(id, stopId), preregistered: (stopId: string) => pre.all(stopId) };
});
interface Row {
  id: string;
  scan_token: string;
  family_name: string;
  given_name: string;
  name_ko: string;
  affiliation: string;
}

/** `qrcode` is loaded when badges are first made, not at start (core/domain/qrPath.ts). */
const loadQrPath = async (): Promise<typeof QrPath> => (await import('../domain/qrPath')).qrPath;

async function collect(ctx: ApiContext, input: { stopId: string; registrationIds: string[]; allPreregistered: boolean }): Promise<{ stopLabel: string; badges: BadgeData[] }> {
  const qrPath = await loadQrPath();
  const stop = masterQ(ctx.store.db).stop(input.stopId);
  if (!stop) throw new AppError('NOT_FOUND', `No stop ${input.stopId}`, { stopId: input.stopId });
  const q = badgeQ(ctx.store.db);
  const rows: Row[] = input.allPreregistered ? q.preregistered(input.stopId) : [];
  for (const id of input.registrationIds) {
    const r = q.one(id, input.stopId);
    if (!r) throw new AppError('NOT_FOUND', `No registration ${id} at this stop`, { registrationId: id });
    if (!rows.some((x) => x.id === r.id)) rows.push(r);
  }
  const stopLabel = [stop.city, stop.cityKo, stop.campus, stop.date].filter(Boolean).join(' · ');
  return {
    stopLabel,
    badges: rows.map((r) => {
      const qr = qrPath(r.scan_token);
      return {
        registrationId: r.id,
        latinName: [r.given_name, r.family_name].filter(Boolean).join(' '),
        nameKo: r.name_ko,
        affiliation: r.affiliation,
        scanToken: r.scan_token,
        qrSize: qr.size,
        qrPath: qr.path,
      };
    }),
  };
}

export const badgeHandlers: HandlerMap<keyof typeof badgeContract> = {
  'badges:data': (input, ctx) => collect(ctx, input),
  'badges:pdf': async (input, ctx) => {
    const { stopLabel, badges } = await collect(ctx, input);
    const pdf = await renderBadgePdf(badges, input.layout, stopLabel);
    return { fileName: `badges-${input.stopId}-${input.layout}.pdf`, base64: pdf.toString('base64'), count: badges.length };
  },
  // Browser mode: the page prints itself (window.print with the print stylesheet). The desktop app
  // answers this channel in electron/main/printing.ts, before it reaches core.
  'badges:print': () => ({ printed: false }),
};
