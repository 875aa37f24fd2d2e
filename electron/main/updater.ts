import { app } from 'electron';
import { autoUpdater } from 'electron-updater';
import yaml from 'js-yaml';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UpdateController, decideUpdatePolicy, type FeedInfo } from '../../core/update/updateController';

/**
 * The thin adapter between electron-updater and core/update/updateController.ts, which decides when to
 * ask, whether to download and what the renderer is told. The feed is the one electron-builder wrote into
 * resources/app-update.yml at build time (scripts/dist.ts: ROADSHOW_UPDATE_URL or ROADSHOW_UPDATE_GITHUB);
 * a build without it does not update itself.
 */
function readFeed(): FeedInfo | null {
  try {
    const doc = yaml.load(readFileSync(path.join(process.resourcesPath, 'app-update.yml'), 'utf8'));
    if (!doc || typeof doc !== 'object' || typeof (doc as { provider?: unknown }).provider !== 'string') return null;
    const { provider, publisherName } = doc as { provider: string; publisherName?: string | string[] | null };
    return { provider, publisherName: publisherName ?? null };
  } catch {
    return null;
  }
}

export function startUpdater(log: (message: string) => void = (m) => console.warn(m)): UpdateController {
  const policy = decideUpdatePolicy({ platform: process.platform, packaged: app.isPackaged, feed: app.isPackaged ? readFeed() : null });
  const controller = new UpdateController({
    policy,
    currentVersion: app.getVersion(),
    log,
    port: {
      check: () => autoUpdater.checkForUpdates(),
      download: () => autoUpdater.downloadUpdate(),
      // After the reply reached the renderer; quitting closes the window, which closes the store.
      quitAndInstall: () => setImmediate(() => autoUpdater.quitAndInstall(false, true)),
    },
  });
  if ('off' in policy) return controller;

  // core decides: nothing is downloaded unless the policy installs, and nothing older is ever installed.
  autoUpdater.autoDownload = false;
  autoUpdater.autoInstallOnAppQuit = policy.delivery === 'install';
  autoUpdater.allowDowngrade = false;
  autoUpdater.allowPrerelease = false;
  autoUpdater.logger = { info: () => undefined, warn: (m: unknown) => log(`[update] ${String(m)}`), error: (m: unknown) => log(`[update] ${String(m)}`) };
  autoUpdater.on('checking-for-update', () => controller.handle({ type: 'checking' }));
  autoUpdater.on('update-available', (info) => controller.handle({ type: 'available', version: info.version }));
  autoUpdater.on('update-not-available', () => controller.handle({ type: 'notAvailable' }));
  autoUpdater.on('download-progress', (p) => controller.handle({ type: 'progress', percent: p.percent }));
  autoUpdater.on('update-downloaded', (info) => controller.handle({ type: 'downloaded', version: info.version }));
  autoUpdater.on('error', (err) => controller.handle({ type: 'error', message: err?.message ?? String(err) }));
  controller.start();
  return controller;
}
