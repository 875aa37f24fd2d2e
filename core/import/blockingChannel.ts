import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

/**
 * A one-way message channel between two threads whose receiving end can *block* until the next
 * message arrives. The import's writer thread (core/import/importWriter.ts) reads the events of a
 * commit inside one synchronous SQLite transaction, which cannot await an asynchronous message
 * handler: it takes messages with `receiveMessageOnPort` and sleeps on a shared counter
 * (`Atomics.wait`) in between. The sender bumps the counter after each message.
 */
export interface BlockingChannelEnds {
  /** The sending end: posts messages; also receives the replies of the other side (asynchronously). */
  sender: MessagePort;
  /** The receiving end: read with `BlockingReceiver`; may reply with `postMessage` (asynchronous). */
  receiver: MessagePort;
  /** One Int32 counting the messages sent; shared by both ends. */
  signal: SharedArrayBuffer;
}

export function createBlockingChannel(): BlockingChannelEnds {
  const { port1, port2 } = new MessageChannel();
  return { sender: port1, receiver: port2, signal: new SharedArrayBuffer(4) };
}

/** Either end: its port, and the shared count of messages sent. */
abstract class ChannelEnd {
  protected readonly count: Int32Array;

  constructor(
    protected readonly port: MessagePort,
    signal: SharedArrayBuffer,
  ) {
    this.count = new Int32Array(signal);
  }
}

export class BlockingSender extends ChannelEnd {
  send(message: unknown): void {
    // The message is in the port's queue before the counter moves: a receiver that sees the new
    // count finds the message.
    this.port.postMessage(message);
    Atomics.add(this.count, 0, 1);
    Atomics.notify(this.count, 0);
  }
}

export class ChannelTimeoutError extends Error {}

export class BlockingReceiver extends ChannelEnd {
  /** The next message, waiting for it up to `timeoutMs` (then throws `ChannelTimeoutError`). */
  receive(timeoutMs: number): unknown {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Read the counter before looking: a message sent after the look changes it, and the wait
      // below then returns at once instead of sleeping past it.
      const seen = Atomics.load(this.count, 0);
      const m = receiveMessageOnPort(this.port);
      if (m) return m.message;
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(this.count, 0, seen, left) === 'timed-out') {
        const late = receiveMessageOnPort(this.port);
        if (late) return late.message;
        throw new ChannelTimeoutError(`no message within ${timeoutMs} ms`);
      }
    }
  }

  /** A message already waiting, without blocking (undefined if none). */
  poll(): unknown {
    return receiveMessageOnPort(this.port)?.message;
  }
}
