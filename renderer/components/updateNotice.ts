import type { UpdateStatus } from '../../shared/ipc/updateContract';

/** What the window's update notice says, if anything: errors and "up to date" stay in Settings → Updates. */
export type UpdateNotice =
  | { kind: 'ready'; version: string }
  | { kind: 'downloading'; version: string; percent: number }
  | { kind: 'available'; version: string };

export function updateNotice(status: UpdateStatus | null, dismissedVersion: string | null = null): UpdateNotice | null {
  if (!status || !status.availableVersion) return null;
  const version = status.availableVersion;
  switch (status.phase) {
    case 'ready':
      return dismissedVersion === version ? null : { kind: 'ready', version };
    case 'downloading':
      return { kind: 'downloading', version, percent: status.percent ?? 0 };
    case 'available':
      return dismissedVersion === version ? null : { kind: 'available', version };
    default:
      return null;
  }
}
