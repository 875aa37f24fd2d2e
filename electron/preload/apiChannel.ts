/** The single IPC channel the preload bridge may use; main dispatches by API channel name inside it. */
export const API_CHANNEL = 'roadshow:api';
