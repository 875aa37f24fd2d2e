import { MantineProvider } from '@mantine/core';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { I18nextProvider } from 'react-i18next';
import type { Result } from '../../shared/result';
import type { ApiContext } from '../../core/api/apiContext';
import { dispatch } from '../../core/api/dispatch';
import { createApiClient, setApiClient } from '../../renderer/api/apiClient';
import { initI18n } from '../../renderer/i18n/i18n';
import type { Language } from '../../shared/vocab';

/** An input as the host receives it: its fields through JSON, a field of bytes (an import chunk) as bytes, as browser mode's transport sends them. */
function overTheWire(input: unknown): unknown {
  const fields = Object.entries((input ?? {}) as Record<string, unknown>);
  const bytes = fields.filter(([, v]) => v instanceof Uint8Array).map(([k, v]) => [k, Buffer.from(v as Uint8Array)]);
  return { ...(JSON.parse(JSON.stringify(Object.fromEntries(fields.filter(([, v]) => !(v instanceof Uint8Array))))) as object), ...Object.fromEntries(bytes) };
}

/**
 * Renders a component with Mantine and i18n, its API client wired straight to core/api on a real
 * store (the same dispatch both transports use): component tests exercise the real contract.
 */
export function renderWithApp(ui: ReactElement, opts: { ctx?: ApiContext; language?: Language } = {}): RenderResult {
  if (opts.ctx) {
    const ctx = opts.ctx;
    // The app follows the language saved in the store; start it in the language the test asks for.
    ctx.store.db.prepare("INSERT INTO settings (key, value) VALUES ('language', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(opts.language ?? 'en');
    setApiClient(
      createApiClient({
        invoke: async (channel, input): Promise<Result<unknown>> => JSON.parse(JSON.stringify(await dispatch(channel, overTheWire(input), ctx))) as Result<unknown>,
      }),
    );
  }
  const i18n = initI18n(opts.language ?? 'en');
  void i18n.changeLanguage(opts.language ?? 'en');
  return render(
    <I18nextProvider i18n={i18n}>
      <MantineProvider>{ui}</MantineProvider>
    </I18nextProvider>,
  );
}
