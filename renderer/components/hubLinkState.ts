import type { HubStatus } from '../../shared/ipc/hubContract';

export type HubLinkState = 'online' | 'offline' | 'unknown';

/** Online, offline, or not tried yet: from the desk's last contact with the venue hub. */
export const hubLinkState = (status: HubStatus): HubLinkState => (status.online === true ? 'online' : status.online === false ? 'offline' : 'unknown');

export const HUB_STATE_COLOR: Record<HubLinkState, string> = { online: 'green', offline: 'red', unknown: 'gray' };
