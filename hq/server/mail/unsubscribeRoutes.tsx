import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderToStaticMarkup } from 'react-dom/server';
import { LANGUAGES, type Language } from '../../../shared/vocab';
import type { LinkClaims } from '../links/signedLinks';
import type { MailService } from './mailService';

/** The attendee's pages behind the links in every message (no account: the signed token is the credential). */
const en = {
  title: 'Emails from the Korea–US Research Talent Roadshow',
  question: 'Stop all emails from the roadshow to {{email}}?',
  explain: 'You will get no more confirmations, reminders, waitlist offers or follow-up messages from us. Messages waiting to be sent are cancelled.',
  button: 'Unsubscribe',
  done: 'You are unsubscribed. {{email}} will receive no more emails from the roadshow.',
  already: 'You are already unsubscribed: {{email}} receives no emails from the roadshow.',
  languageTitle: 'Language of our messages',
  languageNow: 'We write to you in {{language}}.',
  languageSave: 'Save',
  languageSaved: 'Saved: we will write to you in {{language}}.',
  languages: { en: 'English', ko: 'Korean (한국어)' },
  invalid: 'This link does not work: it is incomplete, changed, or has expired. Use the link in the newest email from us, or ask the roadshow team.',
  other: '한국어',
};
type Words = typeof en;
const ko: Words = {
  title: '한미 연구인재 로드쇼 이메일',
  question: '{{email}}(으)로 보내는 로드쇼 이메일을 모두 받지 않으시겠습니까?',
  explain: '등록 확인, 알림, 대기자 빈자리 안내, 후속 연락 메일을 더 이상 보내지 않습니다. 발송을 기다리는 메일도 취소됩니다.',
  button: '수신 거부',
  done: '수신 거부되었습니다. {{email}}(으)로 로드쇼 이메일을 더 보내지 않습니다.',
  already: '이미 수신 거부되어 있습니다. {{email}}(으)로 로드쇼 이메일을 보내지 않습니다.',
  languageTitle: '메일 언어',
  languageNow: '지금은 {{language}}로 메일을 보내 드립니다.',
  languageSave: '저장',
  languageSaved: '저장했습니다. 앞으로 {{language}}로 메일을 보내 드립니다.',
  languages: { en: '영어 (English)', ko: '한국어' },
  invalid: '이 링크는 쓸 수 없습니다. 잘렸거나 바뀌었거나 기한이 지났습니다. 가장 최근에 받은 메일의 링크를 쓰시거나 로드쇼 운영팀에 문의하세요.',
  other: 'English',
};
export const UNSUBSCRIBE_TEXT: Record<Language, Words> = { en, ko };

const fill = (t: string, vars: Record<string, string>) => t.replace(/\{\{(\w+)\}\}/g, (_, k: string) => vars[k] ?? '');
const CSP = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** "k***@example.org": enough for the person to recognise their address, not enough to harvest it. */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at <= 0) return email ? '***' : '';
  return `${email[0]}***${email.slice(at)}`;
}

type State = { kind: 'ask' } | { kind: 'done' } | { kind: 'already' } | { kind: 'language_saved' } | { kind: 'invalid' };

function UnsubscribePage({ lang, token, email, state, language, path }: { lang: Language; token: string; email: string; state: State; language: Language; path: string }) {
  const w = UNSUBSCRIBE_TEXT[lang];
  const other: Language = lang === 'ko' ? 'en' : 'ko';
  const unsubscribed = state.kind === 'done' || state.kind === 'already';
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{w.title}</title>
        <link rel="stylesheet" href="/dashboard/assets/dashboard.css" />
      </head>
      <body>
        <header className="top">
          <div className="bar">
            <h1>{w.title}</h1>
            <div className="who">
              <a href={`${path}?lang=${other}`} lang={other} hrefLang={other}>
                {w.other}
              </a>
            </div>
          </div>
        </header>
        <main id="main">
          {state.kind === 'invalid' ? (
            <div className="flash err" role="alert">
              {w.invalid}
            </div>
          ) : (
            <>
              {state.kind === 'done' && (
                <div className="flash ok" role="status">
                  {fill(w.done, { email })}
                </div>
              )}
              {state.kind === 'already' && (
                <div className="flash ok" role="status">
                  {fill(w.already, { email })}
                </div>
              )}
              {state.kind === 'language_saved' && (
                <div className="flash ok" role="status">
                  {fill(w.languageSaved, { language: w.languages[language] })}
                </div>
              )}
              {!unsubscribed && (
                <form className="stack" method="post" action={path}>
                  <p>
                    <strong>{fill(w.question, { email })}</strong>
                  </p>
                  <p className="hint">{w.explain}</p>
                  <input type="hidden" name="lang" value={lang} />
                  <button type="submit" className="danger">
                    {w.button}
                  </button>
                </form>
              )}
              {!unsubscribed && (
                <form className="stack" method="post" action={`${path}/language`} style={{ marginTop: 16 }}>
                  <p>
                    <strong>{w.languageTitle}</strong>
                  </p>
                  <p className="hint">{fill(w.languageNow, { language: w.languages[language] })}</p>
                  <input type="hidden" name="lang" value={lang} />
                  {LANGUAGES.map((l) => (
                    <label className="inline" key={l}>
                      <input type="radio" name="language" value={l} defaultChecked={l === language} />
                      {w.languages[l]}
                    </label>
                  ))}
                  <button type="submit" className="secondary">
                    {w.languageSave}
                  </button>
                </form>
              )}
            </>
          )}
        </main>
      </body>
    </html>
  );
}

const bodyFields = (req: FastifyRequest): Record<string, string> => {
  const b = req.body;
  if (typeof b === 'string') return Object.fromEntries(new URLSearchParams(b));
  if (Buffer.isBuffer(b)) return Object.fromEntries(new URLSearchParams(b.toString('utf8')));
  return b && typeof b === 'object' ? (b as Record<string, string>) : {};
};

/**
 * GET /unsubscribe/<token>: a confirmation page in the person's language (or ?lang=); POST records it.
 * The POST is also RFC 8058's one-click unsubscribe (mail programs POST `List-Unsubscribe=One-Click`
 * to the List-Unsubscribe link): no CSRF token, the signed link is the credential, any body is accepted.
 * POST /unsubscribe/<token>/language saves the language of the person's messages.
 */
export function registerUnsubscribeRoutes(app: FastifyInstance, mail: MailService): void {
  app.register(async (scope) => {
    // Whatever a mail program posts (urlencoded, multipart, nothing) is read as text: only the token matters.
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => done(null, body));

    const langOf = (req: FastifyRequest, claims: LinkClaims | null): Language => {
      const q = (req.query as { lang?: string } | undefined)?.lang ?? bodyFields(req).lang;
      if (q && (LANGUAGES as readonly string[]).includes(q)) return q as Language;
      if (claims) return mail.languageOf(claims.attendeeId);
      return /^ko\b/i.test(String(req.headers['accept-language'] ?? '')) ? 'ko' : 'en';
    };
    const page = (reply: FastifyReply, status: number, props: Parameters<typeof UnsubscribePage>[0]) =>
      reply
        .code(status)
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-store')
        .header('x-robots-tag', 'noindex')
        .send(`<!doctype html>${renderToStaticMarkup(<UnsubscribePage {...props} />)}`);
    // A wildcard rather than `:token`: a signed token (~150 characters) is longer than Fastify's 100-character parameter limit.
    const open = (req: FastifyRequest) => {
      const token = String((req.params as { '*'?: string })['*'] ?? '').replace(/\/language$/, '');
      const check = mail.checkUnsubscribe(token);
      const path = `/unsubscribe/${encodeURIComponent(token)}`;
      return { token, check, path };
    };
    const emailOf = (attendeeId: string) => maskEmail(mail.planner.emailOf(attendeeId));

    scope.get('/unsubscribe/*', async (req, reply) => {
      const { token, check, path } = open(req);
      const claims = check.ok ? check.claims : null;
      const lang = langOf(req, claims);
      if (!claims) return page(reply, 400, { lang, token, email: '', state: { kind: 'invalid' }, language: lang, path });
      const state: State = mail.isUnsubscribed(claims.attendeeId) ? { kind: 'already' } : { kind: 'ask' };
      return page(reply, 200, { lang, token, email: emailOf(claims.attendeeId), state, language: mail.languageOf(claims.attendeeId), path });
    });

    scope.post('/unsubscribe/*', async (req, reply) => {
      if (String((req.params as { '*'?: string })['*'] ?? '').endsWith('/language')) return saveLanguage(req, reply);
      const { token, check, path } = open(req);
      const claims = check.ok ? check.claims : null;
      const f = bodyFields(req);
      // RFC 8058 lets the mail program post it urlencoded or as multipart/form-data.
      const oneClick = f['List-Unsubscribe'] === 'One-Click' || (typeof req.body === 'string' && /name="List-Unsubscribe"\r?\n\r?\nOne-Click/.test(req.body));
      const lang = langOf(req, claims);
      if (!claims) {
        if (oneClick) return reply.code(400).header('content-type', 'text/plain; charset=utf-8').send('This unsubscribe link is not valid.');
        return page(reply, 400, { lang, token, email: '', state: { kind: 'invalid' }, language: lang, path });
      }
      await mail.unsubscribe(claims, oneClick ? 'one_click' : 'link');
      if (oneClick) return reply.code(200).header('content-type', 'text/plain; charset=utf-8').send('Unsubscribed.');
      return page(reply, 200, { lang, token, email: emailOf(claims.attendeeId), state: { kind: 'done' }, language: mail.languageOf(claims.attendeeId), path });
    });

    async function saveLanguage(req: FastifyRequest, reply: FastifyReply) {
      const { token, check, path } = open(req);
      const claims = check.ok ? check.claims : null;
      const f = bodyFields(req);
      const chosen = (LANGUAGES as readonly string[]).includes(f.language ?? '') ? (f.language as Language) : null;
      if (!claims || !chosen) {
        const lang = langOf(req, claims);
        return page(reply, 400, { lang, token, email: '', state: { kind: 'invalid' }, language: lang, path });
      }
      await mail.setLanguage(claims, chosen);
      // The page answers in the language just chosen.
      return page(reply, 200, { lang: chosen, token, email: emailOf(claims.attendeeId), state: { kind: 'language_saved' }, language: chosen, path });
    }
  });
}
