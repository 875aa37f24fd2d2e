import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../../core/api/apiContext';
import type { Stop } from '../../../shared/schemas/masterData';
import { hubServiceOf } from '../../../core/api/hubHandlers';
import { EmbeddedHub } from '../../../hq/server/hub/embeddedHub';
import { StopClosePanel } from '../../../renderer/components/StopClosePanel';
import { HubServeSection } from '../../../renderer/screens/HubServeSection';
import { StopCloseSection } from '../../../renderer/screens/StopCloseSection';
import { getEmptyAppState, useAppStore } from '../../../renderer/state/appStore';
import { getEmptyHubState, useHubStore } from '../../../renderer/state/hubStore';
import { getEmptyStopCloseState, useStopCloseStore } from '../../../renderer/state/stopCloseStore';
import { getEmptySyncState, useSyncStore } from '../../../renderer/state/syncStore';
import { callApi } from '../../helpers/callApi';
import { startHttpHq } from '../../helpers/hqHttp';
import { createLaptop, writeActivity } from '../../helpers/syncFixtures';
import { issueEnrollmentCode } from '../../../hq/server/auth';
import { createTestContext, tempDir } from '../../helpers/testStore';
import { renderWithApp } from '../renderWithApp';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
beforeEach(() => {
  useAppStore.setState(getEmptyAppState());
  useHubStore.setState(getEmptyHubState());
  useSyncStore.setState(getEmptySyncState());
  useStopCloseStore.setState(getEmptyStopCloseState());
});

/** A laptop context that can run a real venue hub (on a free loopback port unless told), stopped after the test. */
function laptop(deviceId: string, opts: { hub?: boolean; port?: number } = {}): ApiContext {
  const store = createLaptop(deviceId);
  const hubHost = opts.hub === false ? undefined : new EmbeddedHub({ dir: tempDir('roadshow-serve-ui-'), key: randomBytes(32), port: opts.port ?? 0, host: '127.0.0.1' });
  const ctx = createTestContext(store, { hubHost });
  cleanups.push(async () => {
    hubServiceOf(ctx).stop();
    await hubHost?.stop();
    store.close();
  });
  return ctx;
}

const CHICAGO: Stop = { id: 'stop-05-chicago', tourId: 'tour-2026', round: '5-1', city: 'Chicago', cityKo: '시카고', venue: '', campus: '', date: '2026-11-25', timeZone: 'America/Chicago', kind: 'campus_roadshow' };

const card = (name: string) => screen.getByRole('region', { name });

describe('Run the venue hub on this laptop', () => {
  it('starts the hub: QR code, join code, address and this laptop’s desk joined; stops it after a confirmation (English)', async () => {
    const user = userEvent.setup();
    const ctx = laptop('lead-en');
    renderWithApp(<HubServeSection />, { ctx, language: 'en' });
    const c = await waitFor(() => card('Run the venue hub on this laptop'));
    expect(await within(c).findByText(/The other desks sync with it over the hall’s network every few seconds/)).toBeInTheDocument();
    const code = within(c).getByRole('textbox', { name: 'Hub code from HQ (optional)' });
    expect(code).toHaveAccessibleDescription(/Leave empty to run the hub without HQ/);
    await user.click(within(c).getByRole('button', { name: 'Start the hub' }));

    const qr = await within(c).findByRole('img', { name: 'QR code to join this hub (address, certificate fingerprint and join code)' }, { timeout: 15_000 });
    expect(qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    const served = (await callApi(ctx, 'hub:serveStatus', {}))!;
    expect(served.serving).toBe(true);
    const details = within(c).getByRole('table', { name: 'Hub details' });
    expect(within(c).getByLabelText('Venue join code')).toHaveTextContent(served.joinCode!);
    expect(within(details).getByText(served.address!)).toBeInTheDocument();
    expect(within(details).getByRole('row', { name: /Certificate fingerprint/ })).toHaveTextContent(served.fingerprint!);
    // The laptop's own desk joins its hub over loopback a moment after the hub answers (slower under load).
    expect(await within(details).findByText('1 desk (this laptop included)', {}, { timeout: 15_000 })).toBeInTheDocument();
    expect(within(c).getByRole('status')).toHaveTextContent('The hub is running. Desks can join it now.');
    expect(within(c).getByText(/Not linked to HQ/)).toBeInTheDocument();
    expect(within(c).getByRole('button', { name: 'Link to HQ' })).toBeDisabled();
    // This laptop's own desk joined its hub over loopback.
    expect(hubServiceOf(ctx).status()).toMatchObject({ enrolled: true, hubUrl: `https://127.0.0.1:${(await ctx.hubHost!.status())!.port}` });

    // A desk that lost its link gets a one-use code to join again.
    const rejoinField = within(c).getByRole('textbox', { name: 'Let a desk join again: its device id' });
    await user.type(rejoinField, 'desk lost!');
    expect(rejoinField).toHaveAccessibleDescription(/only letters, digits/);
    expect(within(c).getByRole('button', { name: 'Make a code for it' })).toBeDisabled();
    await user.clear(rejoinField);
    await user.type(rejoinField, 'desk-lost');
    await user.click(within(c).getByRole('button', { name: 'Make a code for it' }));
    expect(await within(c).findByText(/One-use code for desk-lost/)).toHaveTextContent(/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);

    // Stopping asks first; cancel keeps it running.
    await user.click(within(c).getByRole('button', { name: 'Stop the hub' }));
    const dialog = await screen.findByRole('dialog', { name: 'Stop the hub?' });
    expect(dialog).toHaveTextContent('They carry on offline');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(await ctx.hubHost!.status()).not.toBeNull();

    await user.click(within(c).getByRole('button', { name: 'Stop the hub' }));
    await user.click(within(await screen.findByRole('dialog', { name: 'Stop the hub?' })).getByRole('button', { name: 'Stop the hub' }));
    expect(await within(c).findByRole('button', { name: 'Start the hub' })).toBeEnabled();
    expect(within(c).getByRole('status')).toHaveTextContent('The hub is stopped. The desks carry on offline.');
    expect(within(c).queryByRole('img')).toBeNull();
    expect(await ctx.hubHost!.status()).toBeNull();
    expect(hubServiceOf(ctx).status().hubUrl).toBeNull();
  }, 30_000);

  it('says why where no hub can run here, with no start button (Korean)', async () => {
    const ctx = laptop('plain-ko', { hub: false });
    renderWithApp(<HubServeSection />, { ctx, language: 'ko' });
    const c = card('이 노트북에서 현장 허브 실행');
    expect(await within(c).findByText('여기서는 현장 허브를 실행할 수 없습니다')).toBeInTheDocument();
    expect(within(c).getByText(/npm run hq -- --hub/)).toBeInTheDocument();
    expect(within(c).queryByRole('button')).toBeNull();
  });

  it('a port taken by another hub gives the translated reason and starts nothing (Korean)', async () => {
    const user = userEvent.setup();
    const first = laptop('first-hub');
    expect(await callApi(first, 'hub:serve', { on: true })).toMatchObject({ serving: true });
    const port = (await first.hubHost!.status())!.port;
    const ctx = laptop('second-hub', { port });
    renderWithApp(<HubServeSection />, { ctx, language: 'ko' });
    const c = card('이 노트북에서 현장 허브 실행');
    await user.click(await within(c).findByRole('button', { name: '허브 시작' }));
    expect(await within(c).findByRole('alert')).toHaveTextContent(`이 노트북의 ${port}번 포트`);
    expect(within(c).getByRole('button', { name: '허브 시작' })).toBeInTheDocument();
    expect(await ctx.hubHost!.status()).toBeNull();
    expect(hubServiceOf(ctx).status().hubUrl).toBeNull();
  }, 30_000);

  it('a hub code without an HQ address is refused with the translated reason and starts nothing (English)', async () => {
    const user = userEvent.setup();
    const ctx = laptop('lead-no-hq');
    renderWithApp(<HubServeSection />, { ctx, language: 'en' });
    const c = card('Run the venue hub on this laptop');
    const code = await within(c).findByRole('textbox', { name: 'Hub code from HQ (optional)' });
    expect(code).toHaveAccessibleDescription(/No HQ address is set yet/);
    await user.type(code, 'AAAA-BBBB-CCCC-DDDD');
    await user.click(within(c).getByRole('button', { name: 'Start the hub' }));
    expect(await within(c).findByRole('alert')).toHaveTextContent('Enter the HQ address on the Sync screen first.');
    expect(code).toHaveValue('AAAA-BBBB-CCCC-DDDD');
    expect(await ctx.hubHost!.status()).toBeNull();
  });
});

describe('Linking the running hub to HQ', () => {
  it('refuses a wrong hub code at start (nothing runs); links the running hub with a hub code, then shows the relay (English)', async () => {
    const user = userEvent.setup();
    const hq = await startHttpHq();
    cleanups.push(() => hq.close());
    const ctx = laptop('lead-link');
    writeActivity(ctx.store, 2, { stopId: CHICAGO.id });
    await callApi(ctx, 'sync:configure', { url: hq.url });
    renderWithApp(<HubServeSection />, { ctx, language: 'en' });
    const c = card('Run the venue hub on this laptop');
    expect(await within(c).findByRole('textbox', { name: 'Hub code from HQ (optional)' })).toHaveAccessibleDescription(new RegExp(`HQ address from the HQ card: ${hq.url}`));
    // A code HQ does not know: refused, translated, and no hub is left running.
    await user.type(within(c).getByRole('textbox', { name: 'Hub code from HQ (optional)' }), 'ZZZZ-BBBB-CCCC-DDDD');
    await user.click(within(c).getByRole('button', { name: 'Start the hub' }));
    expect(await within(c).findByRole('alert')).toHaveTextContent('This enrollment code is unknown, already used or expired.');
    expect(await ctx.hubHost!.status()).toBeNull();
    expect(within(c).getByRole('button', { name: 'Start the hub' })).toBeEnabled();
    expect(within(c).getByRole('textbox', { name: 'Hub code from HQ (optional)' })).toHaveValue('ZZZZ-BBBB-CCCC-DDDD');
    expect(hubServiceOf(ctx).status().hubUrl).toBeNull();

    // Started without HQ, then linked from the card.
    await user.clear(within(c).getByRole('textbox', { name: 'Hub code from HQ (optional)' }));
    await user.click(within(c).getByRole('button', { name: 'Start the hub' }));
    await within(c).findByRole('img', {}, { timeout: 15_000 });
    expect(within(c).getByText(/Not linked to HQ/)).toBeInTheDocument();

    const code = within(c).getByRole('textbox', { name: 'Hub code from HQ (optional)' });
    await user.type(code, 'AAAA-BBBB-CCCC-DDDD');
    await user.click(within(c).getByRole('button', { name: 'Link to HQ' }));
    expect(await within(c).findByRole('alert')).toHaveTextContent('This enrollment code is unknown, already used or expired.');
    expect(within(c).getByText(/Not linked to HQ/)).toBeInTheDocument();
    expect((await ctx.hubHost!.status())!.upstream.configured).toBe(false);

    await user.clear(code);
    await user.type(code, (await issueEnrollmentCode(hq.storage, { role: 'hub' })).code);
    await user.click(within(c).getByRole('button', { name: 'Link to HQ' }));
    expect(await within(c).findByRole('status')).toHaveTextContent('The hub is linked to HQ.');
    expect(within(c).queryByRole('button', { name: 'Link to HQ' })).toBeNull();
    // The hub relays this desk's events to HQ; the card shows it after a poll.
    await waitFor(async () => expect((await hq.storage.digest('lead-link'))[0]?.count).toBe(8), { timeout: 20_000 });
    const relay = await within(c).findByRole('table', { name: 'The hub’s link to HQ' });
    await waitFor(
      () => {
        expect(within(relay).getByRole('row', { name: /Last handed on to HQ/ })).not.toHaveTextContent('Never');
        expect(within(relay).getByRole('row', { name: /Events at the hub waiting for HQ/ })).toHaveTextContent(/HQ0$/);
      },
      { timeout: 15_000 },
    );
  }, 60_000);
});

describe('Closing check at the venue hub', () => {
  it('with the hub running here and this desk joined to it, checks the stop at the hub (English)', async () => {
    const user = userEvent.setup();
    const ctx = laptop('lead-close');
    writeActivity(ctx.store, 3, { stopId: CHICAGO.id });
    renderWithApp(
      <>
        <HubServeSection />
        <StopCloseSection />
      </>,
      { ctx, language: 'en' },
    );
    await useAppStore.getState().load();
    useAppStore.setState({ stops: [CHICAGO], settings: { ...useAppStore.getState().settings!, currentStopId: CHICAGO.id } });
    const close = card('Close the stop');
    // Not joined to a hub: only the check at HQ.
    await waitFor(() => expect(useHubStore.getState().status).not.toBeNull());
    expect(within(close).getByRole('button', { name: 'Check 5-1 Chicago at HQ' })).toBeEnabled();
    expect(within(close).queryByRole('button', { name: /at the venue hub/ })).toBeNull();

    await user.click(await within(card('Run the venue hub on this laptop')).findByRole('button', { name: 'Start the hub' }));
    expect(await within(close).findByRole('button', { name: 'Check 5-1 Chicago at the venue hub' }, { timeout: 15_000 })).toBeEnabled();
    expect(within(close).getByRole('button', { name: 'Check 5-1 Chicago at HQ' })).toBeInTheDocument();
    // The desk's loop pushes its events to its hub at once.
    await waitFor(() => expect(hubServiceOf(ctx).status().unsynced).toBe(0), { timeout: 15_000 });
    await user.click(within(close).getByRole('button', { name: 'Check 5-1 Chicago at the venue hub' }));
    expect(await within(close).findByRole('status', {}, { timeout: 15_000 })).toHaveTextContent('The hub holds every desk’s events');
    const table = within(close).getByRole('table', { name: 'Desks of this stop' });
    expect(within(table).getByRole('columnheader', { name: 'At the hub' })).toBeInTheDocument();
    expect(within(table).getByText('lead-close')).toBeInTheDocument();
  }, 40_000);

  it('words an incomplete hub check for the hub, in Korean', () => {
    renderWithApp(
      <StopClosePanel
        stopName="5-1 시카고"
        busy={false}
        onCheck={() => undefined}
        onCheckHub={() => undefined}
        error={null}
        check={{ stopId: 'stop-x', at: 'hub', complete: false, desks: [{ deviceId: 'desk-b', localCount: 13, localMaxSeq: 13, hqCount: 8, hqMaxSeq: 8, missing: 5, notPulledHere: 0, complete: false }] }}
      />,
      { language: 'ko' },
    );
    expect(screen.getByRole('button', { name: '현장 허브에서 5-1 시카고 확인' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('일부 데스크의 이벤트가 아직 허브에 없습니다');
    expect(screen.getByRole('columnheader', { name: '허브' })).toBeInTheDocument();
    expect(screen.getByRole('table', { name: '이 행사의 데스크' })).toHaveTextContent('허브에 이벤트 5개가 없음 (9–13번)');
  });
});
