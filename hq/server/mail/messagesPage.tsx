import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ReactElement } from 'react';
import type { AdminSession } from '../admin/adminStore';
import { fill } from '../dashboard/dashboardText';
import { Layout, Pager, type PageContext } from '../dashboard/pages';
import type { MailService, SendingState } from './mailService';
import { MESSAGE_KINDS, MESSAGE_STATUSES, type MessageKind, type MessageStatus, type OutboxFilter, type OutboxMessage } from './outbox';

type GuardedHandler = (req: FastifyRequest, reply: FastifyReply, ctx: PageContext, s: AdminSession) => Promise<unknown> | unknown;

export interface MessagesRouteDeps {
  /** null: HQ runs without attendee messages (a test's HQ): the page says sending is off and lists nothing. */
  mail: MailService | null;
  guarded: (handler: GuardedHandler) => (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  send: (reply: FastifyReply, page: ReactElement, status?: number) => FastifyReply;
}

export const MESSAGES_PAGE_SIZE = 50;
const PATH = '/dashboard/messages';

export function messagesFilter(q: unknown): OutboxFilter {
  const v = (q ?? {}) as Record<string, unknown>;
  const status = typeof v.status === 'string' && (MESSAGE_STATUSES as readonly string[]).includes(v.status) ? (v.status as MessageStatus) : undefined;
  const kind = typeof v.kind === 'string' && (MESSAGE_KINDS as readonly string[]).includes(v.kind) ? (v.kind as MessageKind) : undefined;
  return { status, kind };
}

const pageOf = (q: unknown): number => {
  const n = Number((q as { page?: string } | undefined)?.page);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, 1_000_000) : 1;
};

function href(fields: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== '' && !(k === 'page' && Number(v) === 1)) q.set(k, String(v));
  const text = q.toString();
  return text ? `${PATH}?${text}` : PATH;
}

/** The dashboard's "Messages" page (admins): the sending state and the log, paged, filtered by status and kind. */
export function registerMessagesPage(app: FastifyInstance, deps: MessagesRouteDeps): void {
  app.get(
    PATH,
    deps.guarded((req, reply, ctx) => {
      const filter = messagesFilter(req.query);
      const state: SendingState = deps.mail?.state() ?? { enabled: false, ratePerMinute: 0, server: null, from: '', counts: { queued: 0, sent: 0, failed: 0, cancelled: 0 } };
      const data = deps.mail?.outbox.page(filter, pageOf(req.query), MESSAGES_PAGE_SIZE) ?? { items: [], total: 0, page: 1, pages: 1, pageSize: MESSAGES_PAGE_SIZE };
      return deps.send(reply, <MessagesPage ctx={ctx} state={state} data={data} filter={filter} />);
    }),
  );
}

const num = (n: number, ctx: PageContext) => n.toLocaleString(ctx.lang === 'ko' ? 'ko-KR' : 'en-US');
/** A UTC time as the admin reads it ("2026-03-14 18:30", the column says UTC): the log is the whole tour's, across zones. */
const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;

export function MessagesPage({ ctx, state, data, filter }: { ctx: PageContext; state: SendingState; data: { items: OutboxMessage[]; total: number; page: number; pages: number; pageSize: number }; filter: OutboxFilter }) {
  const m = ctx.t.mail;
  const p = ctx.t.paging;
  const kept = { status: filter.status, kind: filter.kind };
  const filtered = filter.status !== undefined || filter.kind !== undefined;
  const from = (data.page - 1) * data.pageSize + 1;
  const at = (page: number) => href({ ...kept, page });
  const statusText = (x: OutboxMessage) => {
    const base = m.statuses[x.status];
    if (x.status === 'cancelled' && x.cancelReason) return `${base} (${m.reasons[x.cancelReason] ?? x.cancelReason})`;
    return base;
  };
  return (
    <Layout ctx={ctx} title={m.title}>
      <h2>{m.title}</h2>
      <p className="lead">{m.lead}</p>
      <div className={`flash ${state.enabled ? 'ok' : 'err'}`} role="status" data-testid="sending-state">
        {state.enabled ? fill(m.sendingOn, { server: state.server ?? '', from: state.from, rate: num(state.ratePerMinute, ctx) }) : m.sendingOff}
      </div>
      <p data-testid="message-counts">{fill(m.counts, { queued: num(state.counts.queued, ctx), sent: num(state.counts.sent, ctx), failed: num(state.counts.failed, ctx), cancelled: num(state.counts.cancelled, ctx) })}</p>
      <form className="filter" method="get" action={PATH} role="search" aria-label={fill(p.nav, { list: m.title })}>
        <label>
          {m.status}
          <select name="status" defaultValue={filter.status ?? ''}>
            <option value="">{m.everyStatus}</option>
            {MESSAGE_STATUSES.map((s) => (
              <option value={s} key={s}>
                {m.statuses[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {m.kind}
          <select name="kind" defaultValue={filter.kind ?? ''}>
            <option value="">{m.everyKind}</option>
            {MESSAGE_KINDS.map((k) => (
              <option value={k} key={k}>
                {m.kinds[k]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="secondary">
          {p.filter}
        </button>
        <a href={PATH}>{p.showAll}</a>
      </form>
      {data.items.length === 0 ? (
        <p>{filtered ? p.noneMatch : m.none}</p>
      ) : (
        <>
          <Pager
            ctx={ctx}
            list={m.title}
            from={from}
            to={Math.min(data.total, data.page * data.pageSize)}
            total={data.total}
            page={data.page}
            pages={data.pages}
            links={{
              first: data.page > 1 ? at(1) : '',
              previous: data.page > 1 ? at(data.page - 1) : undefined,
              next: data.page < data.pages ? at(data.page + 1) : undefined,
              last: data.page < data.pages ? at(data.pages) : '',
            }}
          />
          <div className="scroll">
            <table aria-label={m.title} data-testid="message-log" style={{ width: '100%' }}>
              <thead>
                <tr>
                  <th scope="col">{m.kind}</th>
                  <th scope="col">{m.to}</th>
                  <th scope="col">{m.subject}</th>
                  <th scope="col">{m.status}</th>
                  <th scope="col" className="num">
                    {m.attempts}
                  </th>
                  <th scope="col">{m.times}</th>
                  <th scope="col">{m.lastError}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((x) => (
                  <tr key={x.id} data-status={x.status} data-kind={x.kind}>
                    <td>{m.kinds[x.kind]}</td>
                    <td style={{ overflowWrap: 'break-word' }}>
                      {x.toName}
                      <br />
                      <span className="muted">{x.toAddress}</span>
                    </td>
                    <td style={{ minWidth: '12em' }}>
                      {x.subject}
                      <span className="tag">{m.languages[x.language]}</span>
                    </td>
                    <td>{statusText(x)}</td>
                    <td className="num">{num(x.attempts, ctx)}</td>
                    <td>
                      <span className="nowrap">{fill(m.plannedAt, { at: when(x.createdAt) })}</span>
                      {x.sentAt && (
                        <>
                          <br />
                          <span className="nowrap">{fill(m.sentAt, { at: when(x.sentAt) })}</span>
                        </>
                      )}
                      {x.status === 'queued' && x.nextAttemptAt && (
                        <>
                          <br />
                          <span className="nowrap">{fill(m.nextAt, { at: when(x.nextAttemptAt) })}</span>
                        </>
                      )}
                    </td>
                    <td style={{ overflowWrap: 'anywhere', maxWidth: '16em' }}>{x.lastError ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Layout>
  );
}
