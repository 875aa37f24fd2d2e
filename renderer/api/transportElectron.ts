import type { PreloadBridge, Transport } from './transport';

export function createElectronTransport(bridge: PreloadBridge): Transport {
  return { invoke: (channel, input) => bridge.invoke(channel, input) };
}
