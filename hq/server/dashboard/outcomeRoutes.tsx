import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ReactElement } from 'react';
import { AppError } from '../../../shared/errors';
import type { AdminSession } from '../admin/adminStore';
import type { HqProjections } from '../hqProjections';
import type { DashboardReader } from './dashboardReader';
import type { OutcomeFilterInput } from './outcomeData';
import { OUTCOMES_PATH, OutcomesPage } from './outcomePage';
import type { PageContext } from './pages';

type GuardedHandler = (req: FastifyRequest, reply: FastifyReply, ctx: PageContext, s: AdminSession) => Promise<unknown> | unknown;

/** What the dashboard lends these routes: its session guard, its page sender, its reader (the worker thread). */
export interface OutcomeRouteDeps {
  projections: HqProjections;
  reader: Pick<DashboardReader, 'run'>;
  guarded: (handler: GuardedHandler) => (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  send: (reply: FastifyReply, page: ReactElement, status?: number) => FastifyReply;
  now: () => number;
}

const text = (q: Record<string, unknown>, name: string): string | undefined => {
  const v = q[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, 80) : undefined;
};

/** The filter of the page's GET form (`tour=all` for every tour; absent: the latest tour). Unknown values are dropped later. */
export function outcomeFilter(query: unknown): OutcomeFilterInput {
  const q = (query && typeof query === 'object' ? query : {}) as Record<string, unknown>;
  return { tour: text(q, 'tour'), stop: text(q, 'stop'), institution: text(q, 'institution'), program: text(q, 'program'), stage: text(q, 'stage') };
}

/**
 * The outcome dashboard (issue #21): /dashboard/outcomes (admins, like every dashboard page) and
 * /dashboard/outcomes/export?format=csv|xlsx with the same filter. Figures come from the dashboard's worker
 * (outcomeData.ts); the file is built there too.
 */
export function registerOutcomeRoutes(app: FastifyInstance, deps: OutcomeRouteDeps): void {
  const { guarded, send, reader } = deps;
  app.get(
    OUTCOMES_PATH,
    guarded(async (req, reply, ctx) => {
      await deps.projections.catchUp();
      return send(reply, <OutcomesPage ctx={ctx} fig={await reader.run('outcomes', outcomeFilter(req.query))} />);
    }),
  );
  app.get(
    `${OUTCOMES_PATH}/export`,
    guarded(async (req, reply, ctx) => {
      await deps.projections.catchUp();
      const format = (req.query as { format?: string }).format === 'xlsx' ? 'xlsx' : 'csv';
      let file;
      try {
        file = await reader.run('outcomeExport', { filter: outcomeFilter(req.query), format, lang: ctx.lang, now: new Date(deps.now()).toISOString() });
      } catch (err) {
        if (err instanceof AppError) return reply.redirect(`${OUTCOMES_PATH}?error=${encodeURIComponent(err.message)}`, 303);
        throw err;
      }
      // From the worker the bytes arrive as a Uint8Array (structured clone).
      const bytes = Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength);
      return reply
        .header('content-type', file.mimeType)
        .header('content-disposition', `attachment; filename="${file.filename.replace(/[^A-Za-z0-9._-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
        .header('cache-control', 'no-store')
        .send(bytes);
    }),
  );
}
