// A graphql-transport-ws socket driven frame by frame with a raw `ws` client (test/adversarial).
import { expect } from 'vitest';
import WebSocket from 'ws';

export const PROTOCOL = 'graphql-transport-ws';

export interface Message {
  type: string;
  id?: string;
  payload?: unknown;
}

/** One raw socket: what it received, in order, and how it closed. */
export class RawSocket {
  readonly received: Message[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.received.push(JSON.parse(String(data)));
      this.waiters.splice(0).forEach((w) => w());
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        resolve({ code, reason: String(reason) });
        this.waiters.splice(0).forEach((w) => w());
      }),
    );
  }

  static async open(url: string, protocols: string | string[] = PROTOCOL): Promise<RawSocket> {
    const socket = new RawSocket(new WebSocket(url, protocols));
    await new Promise((resolve, reject) => socket.ws.once('open', resolve).once('error', reject));
    return socket;
  }

  send(message: Message | string): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  init(authorization?: unknown): void {
    this.send({ type: 'connection_init', payload: authorization === undefined ? {} : { authorization } });
  }

  /** The next message that matches, or null once the socket has closed without one. */
  async next(match: (m: Message) => boolean = () => true): Promise<Message | null> {
    let seen = 0;
    for (;;) {
      for (; seen < this.received.length; seen++) if (match(this.received[seen])) return this.received[seen];
      if (this.ws.readyState === WebSocket.CLOSED) return null;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  async acked(token: string): Promise<this> {
    this.init(`Bearer ${token}`);
    expect(await this.next((m) => m.type === 'connection_ack'), 'connection_ack').toMatchObject({ type: 'connection_ack' });
    return this;
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
  }
}
