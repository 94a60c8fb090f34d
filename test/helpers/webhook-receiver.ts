import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST the receiver got. */
export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** Whether X-Hub-Signature-256 checked out against the secret, as a receiver in the README checks it. */
  verified: boolean;
  event: { id: string; type: string; summary: string; [key: string]: unknown };
}

/** What to answer a request with: a status (and body and headers), or `hang` to never answer. */
export type Reply = { status: number; body?: string; headers?: Record<string, string> } | 'hang';

/**
 * A webhook receiver on 127.0.0.1 that checks every signature, records every request and answers
 * as the test says (by default 204).
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  secret = '';
  reply: (request: Received, n: number) => Reply = () => ({ status: 204 });
  private server: Server | undefined;
  private readonly hanging = new Set<ServerResponse>();
  private waiters: (() => void)[] = [];

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/hook`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const request: Received = { headers: req.headers, body, verified: this.verify(req.headers, body), event: JSON.parse(body) };
        this.received.push(request);
        const reply = this.reply(request, this.received.length);
        for (const wake of this.waiters.splice(0)) wake();
        if (reply === 'hang') {
          this.hanging.add(res);
          return;
        }
        res.writeHead(reply.status, reply.headers).end(reply.body ?? '');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** The README's check: HMAC-SHA256 of `<timestamp>.<raw body>`, compared in constant time, and a fresh timestamp. */
  private verify(headers: IncomingHttpHeaders, body: string): boolean {
    const timestamp = String(headers['x-hub-timestamp']);
    const expected = `sha256=${createHmac('sha256', this.secret).update(`${timestamp}.${body}`).digest('hex')}`;
    const given = String(headers['x-hub-signature-256'] ?? '');
    const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
    return fresh && given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
  }

  /** Resolves once `n` requests have arrived. */
  async waitFor(n: number, timeoutMs = 15_000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < n) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for request ${n}; got ${this.received.length}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100).unref();
      });
    }
    return this.received.slice(0, n);
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
