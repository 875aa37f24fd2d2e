import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startHost, type RunningHost } from '../../core/host/hostServer';
import { createTestContext, createTestStore, disposeTestStore, tempDir } from './testStore';

/**
 * Browser mode's host on a demo store (30 people) with a stub renderer, for tests of the host itself;
 * `close` stops it and removes every temp folder it made.
 */
export async function startTestHost(): Promise<RunningHost> {
  const rendererDir = path.join(tempDir(), 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Roadshow Desk</title>');
  const store = createTestStore({ demo: true, attendees: 30 });
  const host = await startHost({ ctx: createTestContext(store), rendererDir });
  return {
    ...host,
    async close() {
      await host.close();
      disposeTestStore(store);
      rmSync(path.dirname(rendererDir), { recursive: true, force: true });
    },
  };
}
