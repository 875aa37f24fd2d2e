import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SyncScreen } from '../../renderer/screens/SyncScreen';
import { getEmptyAppState, useAppStore } from '../../renderer/state/appStore';
import { getEmptySyncState, useSyncStore } from '../../renderer/state/syncStore';
import { issueEnrollmentCode } from '../../hq/server/auth';
import { buildHqApp } from '../../hq/server/hqApp';
import { SqliteHqStorage } from '../../hq/server/sqliteStorage';
import { loadOrCreateSelfSigned, type TlsMaterial } from '../../hq/server/tls';
import { createLaptop } from '../helpers/syncFixtures';
import { createTestContext, tempDir } from '../helpers/testStore';
import { renderWithApp } from './renderWithApp';

/** A venue hub on HTTPS with its own self-signed certificate, on a loopback port. */
let hub: { app: FastifyInstance; storage: SqliteHqStorage; tls: TlsMaterial; url: string };
beforeAll(async () => {
  const dir = tempDir('roadshow-hub-screen-');
  const tls = loadOrCreateSelfSigned(dir);
  const storage = new SqliteHqStorage(path.join(dir, 'hq-events.sqlite'));
  const app = buildHqApp({ storage, https: { key: tls.key, cert: tls.cert } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  hub = { app, storage, tls, url: `https://127.0.0.1:${(app.server.address() as { port: number }).port}` };
});
afterAll(async () => {
  await hub.app.close();
  await hub.storage.close();
});
beforeEach(() => {
  useAppStore.setState(getEmptyAppState());
  useSyncStore.setState(getEmptySyncState());
});

async function fill(user: ReturnType<typeof userEvent.setup>, el: HTMLElement, value: string) {
  await user.clear(el);
  await user.click(el);
  await user.paste(value);
}

describe('Sync screen: pinning a venue hub certificate', () => {
  it('refuses a hub whose certificate does not match, then enrolls once the right fingerprint is entered', async () => {
    const user = userEvent.setup();
    renderWithApp(<SyncScreen />, { ctx: createTestContext(createLaptop('dev-pin-screen')), language: 'en' });
    await fill(user, await screen.findByRole('textbox', { name: /HQ address/ }), hub.url);
    const pin = screen.getByRole('textbox', { name: /Certificate fingerprint \(SHA-256\)/ });
    await fill(user, pin, 'ab'.repeat(32));
    await user.click(screen.getByRole('button', { name: 'Save address' }));
    expect(await screen.findByText(`Trusted certificate: ${'AB:'.repeat(31)}AB`)).toBeInTheDocument();

    const code = (await issueEnrollmentCode(hub.storage, { label: 'screen' })).code;
    await fill(user, screen.getByRole('textbox', { name: /Enrollment code/ }), code);
    await user.click(screen.getByRole('button', { name: 'Enroll' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('does not match the fingerprint you entered. Nothing was sent.');

    await fill(user, pin, hub.tls.fingerprint.replace(/:/g, ''));
    await user.click(screen.getByRole('button', { name: 'Save address' }));
    expect(await screen.findByText(`Trusted certificate: ${hub.tls.fingerprint}`)).toBeInTheDocument();
    // The refused attempt never reached the hub: the same one-time code still works.
    await fill(user, screen.getByRole('textbox', { name: /Enrollment code/ }), code);
    await user.click(screen.getByRole('button', { name: 'Enroll' }));
    expect(await screen.findByText('Enrolled: this laptop can sync with HQ.')).toBeInTheDocument();
    expect((await hub.storage.listDevices()).map((d) => d.deviceId)).toContain('dev-pin-screen');
  });

  it('explains a malformed fingerprint in Korean and keeps nothing', async () => {
    const user = userEvent.setup();
    renderWithApp(<SyncScreen />, { ctx: createTestContext(createLaptop('dev-pin-ko')), language: 'ko' });
    await fill(user, await screen.findByRole('textbox', { name: /본부 주소/ }), hub.url);
    await fill(user, screen.getByRole('textbox', { name: /인증서 지문 \(SHA-256\)/ }), 'AB:CD:EF');
    await user.click(screen.getByRole('button', { name: '주소 저장' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('인증서 지문은 16진수 64자리');
    expect(screen.queryByText(/신뢰하는 인증서/)).toBeNull();
    expect(useSyncStore.getState().status?.hqUrl ?? null).toBeNull();
  });
});
