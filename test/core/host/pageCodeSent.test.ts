import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../../core/host/hostServer';
import type { ApiContext } from '../../../core/api/apiContext';
import { tempDir } from '../../helpers/testStore';

/**
 * Browser mode's start loads the store's code once the page's own code has been sent (core/host/main.ts), so
 * that loading it does not hold up the page: `pageCodeSent` says when. The context never comes here: what is
 * tested is only when the host says "now".
 */
const dirs: string[] = [];
const hosts: RunningHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function host(pageWaitMs = 60_000): Promise<RunningHost> {
  const root = tempDir('roadshow-pagecode-');
  dirs.push(root);
  mkdirSync(path.join(root, 'assets'));
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Roadshow Desk</title><script type="module" src="./assets/index-x.js"></script>');
  writeFileSync(path.join(root, 'assets', 'index-x.js'), 'console.log(1);');
  const h = await startHost({ ctx: new Promise<ApiContext>(() => undefined), rendererDir: root, pageWaitMs });
  hosts.push(h);
  return h;
}

const settled = (p: Promise<void>) => Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 50))]);

describe('pageCodeSent', () => {
  it('waits for the page: its document alone is not enough, its code answered is', async () => {
    const h = await host();
    await (await fetch(h.url)).text();
    expect(await settled(h.pageCodeSent)).toBe(false);
    await (await fetch(`${h.url}assets/index-x.js`)).text();
    expect(await settled(h.pageCodeSent)).toBe(true);
  });

  it('does not wait for a client that asks the API without the page code (a script, a test)', async () => {
    const h = await host();
    const call = new AbortController();
    void fetch(`${h.url}api/stops:list`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${h.token}` }, body: '{}', signal: call.signal }).catch(() => undefined);
    await expect.poll(() => settled(h.pageCodeSent)).toBe(true);
    call.abort(); // its answer would wait for a context that never comes
  });

  it('waits for a page that is loading: each of its requests moves the fallback on', async () => {
    const h = await host(2_000);
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await sleep(1_200);
    await (await fetch(h.url)).text();
    await sleep(1_200);
    // Past pageWaitMs since listening, but the page asked for its document since.
    expect(await settled(h.pageCodeSent)).toBe(false);
    await (await fetch(`${h.url}assets/index-x.js`)).text();
    expect(await settled(h.pageCodeSent)).toBe(true);
  });

  it('waits no longer than pageWaitMs when nobody opens the page', async () => {
    const h = await host(100);
    await expect.poll(() => settled(h.pageCodeSent), { timeout: 5_000 }).toBe(true);
  });
});
