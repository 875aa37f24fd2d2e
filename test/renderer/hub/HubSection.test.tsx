import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../../core/api/apiContext';
import { hubServiceOf } from '../../../core/api/hubHandlers';
import { HubSection } from '../../../renderer/screens/HubSection';
import { getEmptyAppState, useAppStore } from '../../../renderer/state/appStore';
import { getEmptyHubState, useHubStore } from '../../../renderer/state/hubStore';
import { formatHubInvite } from '../../../shared/sync/hubInvite';
import { startHttpHq, type HttpHq } from '../../helpers/hqHttp';
import { createLaptop, writeActivity } from '../../helpers/syncFixtures';
import { createTestContext } from '../../helpers/testStore';
import { renderWithApp } from '../renderWithApp';

const PIN = Array.from({ length: 32 }, (_, i) => (i * 7 + 16).toString(16).toUpperCase().padStart(2, '0')).join(':');

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** The HQ server speaks the very protocol a venue hub speaks: here it stands in for the hub on loopback. */
let hub: HttpHq;
let deadUrl: string;
beforeAll(async () => {
  hub = await startHttpHq();
  deadUrl = `http://127.0.0.1:${await closedPort()}`;
});
afterAll(async () => hub.close());

const contexts: ApiContext[] = [];
function render(language: 'en' | 'ko' = 'en', deviceId = `desk-${contexts.length + 1}`) {
  const store = createLaptop(deviceId);
  const ctx = createTestContext(store);
  contexts.push(ctx);
  renderWithApp(<HubSection />, { ctx, language });
  return ctx;
}
beforeEach(() => {
  useAppStore.setState(getEmptyAppState());
  useHubStore.setState(getEmptyHubState());
});
afterEach(() => {
  // The auto-sync loop belongs to the context: stop it so no test leaves a loop behind.
  for (const ctx of contexts.splice(0)) hubServiceOf(ctx).stop();
});

const section = (name: string) => screen.getByRole('region', { name });
const hubStatus = (ctx: ApiContext) => hubServiceOf(ctx).status();

describe('Venue hub section', () => {
  it('shows the join form when no hub is set up, and a pasted invite fills address, fingerprint and code', async () => {
    const user = userEvent.setup();
    render('en');
    const s = section('Venue hub');
    expect(within(s).getByText(/one laptop runs the hub/)).toBeInTheDocument();
    const address = within(s).getByRole('textbox', { name: 'Hub address' });
    const pin = within(s).getByRole('textbox', { name: 'Fingerprint of the hub’s certificate (SHA-256)' });
    const code = within(s).getByRole('textbox', { name: 'Join code' });
    expect(within(s).getByRole('textbox', { name: 'Name of this desk at the hub' })).toBeInTheDocument();
    expect(within(s).getByRole('button', { name: 'Connect to hub' })).toBeDisabled();
    expect(within(s).getByRole('button', { name: 'Scan the hub’s QR code' })).toBeInTheDocument();

    await user.click(within(s).getByRole('textbox', { name: 'Hub code' }));
    await user.paste(formatHubInvite({ url: 'https://192.168.1.20:8470', certFingerprint: PIN, code: 'K7QD-93MX-T2HB-4ZRA' }));
    expect(address).toHaveValue('https://192.168.1.20:8470');
    expect(pin).toHaveValue(PIN);
    expect(code).toHaveValue('K7QD-93MX-T2HB-4ZRA');
    expect(within(s).getByRole('status')).toHaveTextContent('Filled in from the hub’s code.');
    expect(within(s).getByRole('button', { name: 'Connect to hub' })).toBeEnabled();
  });

  it('says clearly when pasted text is not a hub invite (English) and fills nothing', async () => {
    const user = userEvent.setup();
    render('en');
    await user.click(screen.getByRole('textbox', { name: 'Hub code' }));
    await user.paste('K7QD-93MX-T2HB-4ZRA');
    expect(screen.getByRole('textbox', { name: 'Hub code' })).toHaveAccessibleDescription(/This is not a hub code/);
    expect(screen.getByRole('textbox', { name: 'Hub address' })).toHaveValue('');
  });

  it('says clearly when pasted text is not a hub invite (Korean)', async () => {
    const user = userEvent.setup();
    render('ko');
    const s = section('현장 허브');
    await user.click(within(s).getByRole('textbox', { name: '허브 코드' }));
    await user.paste('https://192.168.1.20:8470\npassword/1234');
    expect(within(s).getByRole('textbox', { name: '허브 코드' })).toHaveAccessibleDescription(/허브 코드가 아닙니다/);
    expect(within(s).getByRole('textbox', { name: '허브 주소' })).toHaveValue('');
    expect(within(s).getByRole('button', { name: '허브에 연결' })).toBeDisabled();
  });

  it('a hub that does not answer gives the translated offline message and saves nothing', async () => {
    const user = userEvent.setup();
    const ctx = render('en');
    await user.click(screen.getByRole('textbox', { name: 'Hub code' }));
    await user.paste(`${deadUrl}\ncode/K7QD-93MX-T2HB-4ZRA`);
    await user.click(screen.getByRole('button', { name: 'Connect to hub' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The hub cannot be reached. Check that this laptop is on the hall’s network');
    expect(hubStatus(ctx).hubUrl).toBeNull();
    // The form keeps what was entered, to try again.
    expect(screen.getByRole('textbox', { name: 'Hub address' })).toHaveValue(deadUrl);
  });

  it('refuses a plain http address on the network, in Korean, and saves nothing', async () => {
    const user = userEvent.setup();
    const ctx = render('ko');
    await user.type(screen.getByRole('textbox', { name: '허브 주소' }), 'http://192.168.1.20:8470');
    await user.type(screen.getByRole('textbox', { name: '참여 코드' }), 'K7QD-93MX-T2HB-4ZRA');
    await user.click(screen.getByRole('button', { name: '허브에 연결' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('허브 주소는 https://로 시작해야 합니다');
    expect(hubStatus(ctx).hubUrl).toBeNull();
  });

  it('joins a hub, shows its state, pauses auto sync, syncs now and forgets the hub', async () => {
    const user = userEvent.setup();
    const ctx = render('en', 'desk-join');
    writeActivity(ctx.store, 1);
    await user.click(screen.getByRole('textbox', { name: 'Hub code' }));
    await user.paste(formatHubInvite({ url: hub.url, certFingerprint: null, code: await hub.newCode() }));
    const label = screen.getByRole('textbox', { name: 'Name of this desk at the hub' });
    await user.clear(label);
    await user.type(label, 'Desk A, entrance');
    await user.click(screen.getByRole('button', { name: 'Connect to hub' }));
    expect(await screen.findByText('Connected to the hub.')).toBeInTheDocument();
    expect((await hub.storage.listDevices()).map((d) => d.deviceId)).toContain('desk-join');

    const table = screen.getByRole('table', { name: 'Hub connection' });
    expect(within(table).getByRole('row', { name: /Address/ })).toHaveTextContent(hub.url);
    expect(within(table).getByRole('row', { name: /Trusted certificate/ })).toHaveTextContent('None (checked by a certificate authority)');
    // The auto-sync loop starts on joining; its first round marks the hub online (the section polls the status).
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Hub connection' })).getByRole('row', { name: /State/ })).toHaveTextContent('Online'), { timeout: 10_000 });
    // The join form is gone once the desk has joined.
    expect(screen.queryByRole('textbox', { name: 'Hub address' })).toBeNull();

    const auto = screen.getByRole('switch', { name: 'Sync with the hub automatically' });
    expect(auto).toBeChecked();
    await user.click(auto);
    await waitFor(() => expect(hubStatus(ctx).auto).toBe(false));
    expect(screen.getByRole('switch', { name: 'Sync with the hub automatically' })).not.toBeChecked();
    expect(hubServiceOf(ctx).looping).toBe(false);
    // A round the loop had already begun finishes on its own; "sync now" comes after it.
    await waitFor(() => expect(hubStatus(ctx).running).toBe(false));

    await user.click(screen.getByRole('button', { name: 'Sync with hub now' }));
    expect(await screen.findByText(/^Synced with the hub: sent \d+, received \d+, conflicts 0\.$/)).toBeInTheDocument();
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Hub connection' })).getByRole('row', { name: /Events of this desk not yet at the hub/ })).toHaveTextContent(/0$/));
    expect(within(screen.getByRole('table', { name: 'Hub connection' })).getByRole('row', { name: /Last sync with the hub/ })).not.toHaveTextContent('Never');

    await user.click(screen.getByRole('button', { name: 'Forget this hub' }));
    const dialog = await screen.findByRole('dialog', { name: 'Forget this hub?' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(hubStatus(ctx).hubUrl).toBe(hub.url);
    await user.click(screen.getByRole('button', { name: 'Forget this hub' }));
    await user.click(within(await screen.findByRole('dialog', { name: 'Forget this hub?' })).getByRole('button', { name: 'Forget hub' }));
    expect(await screen.findByText('The hub is forgotten. Data on this laptop stays.')).toBeInTheDocument();
    expect(hubStatus(ctx).hubUrl).toBeNull();
    expect(screen.getByRole('textbox', { name: 'Hub address' })).toHaveValue('');
  });

  it('turning auto sync on without a joined hub is refused with a translated message', async () => {
    const user = userEvent.setup();
    const ctx = render('en');
    // An address saved without a code: the desk knows the hub but has not joined.
    await user.type(screen.getByRole('textbox', { name: 'Hub address' }), 'https://192.168.1.20:8470');
    await user.click(screen.getByRole('button', { name: 'Connect to hub' }));
    expect(await screen.findByText(/has not joined it yet/)).toBeInTheDocument();
    expect(screen.queryByRole('switch')).toBeNull();
    expect(screen.getByRole('button', { name: 'Sync with hub now' })).toBeDisabled();
    expect(screen.getByRole('textbox', { name: 'Hub address' })).toHaveValue('https://192.168.1.20:8470');
    await useHubStore.getState().setAuto(true);
    expect(await screen.findByRole('alert')).toHaveTextContent('This desk has not joined the hub yet.');
    expect(hubStatus(ctx).auto).toBe(false);
  });
});
