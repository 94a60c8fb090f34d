/**
 * The floor for W2: what fanning one event out to N graphql-ws subscribers costs on this machine
 * with nothing between the HTTP request and the sockets. It speaks just enough of the
 * graphql-transport-ws protocol for W2's clients (connection_init → connection_ack, subscribe,
 * complete, ping → pong) and answers every POST at once: a mutation's `input.body` becomes the
 * `summary` of one pre-serialised `next` payload, written to every subscriber before the HTTP
 * answer. No database, no outbox, no authentication, no execution: a lower bound, not a competitor.
 *
 *   PORT=0 node --import tsx bench/fanout-floor.ts
 *
 * Prints `listening on http://127.0.0.1:<port>/graphql` when ready.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** Each socket's live subscription ids. */
const subscribers = new Map<WebSocket, Set<string>>();

/** One `next` message per subscriber around the same payload, serialised once. */
function broadcast(summary: string): void {
  const payload = JSON.stringify({ data: { lifecycleEvents: { summary } } });
  for (const [socket, ids] of subscribers) {
    for (const id of ids) socket.send(`{"id":${JSON.stringify(id)},"type":"next","payload":${payload}}`);
  }
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    let request: { query?: string; variables?: { input?: { body?: string } } } = {};
    try {
      request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      // answered below like any other request: the floor only needs to answer W2's two requests
    }
    const mutation = /\baddComment\b/.test(request.query ?? '');
    if (mutation) broadcast(String(request.variables?.input?.body ?? ''));
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify(mutation ? { data: { addComment: { comment: { id: 'floor' } } } } : { data: { models: { nodes: [{ id: 'TW9kZWw6MQ==' }] } } }),
    );
  });
});

const sockets = new WebSocketServer({ server, path: '/graphql', handleProtocols: () => 'graphql-transport-ws' });
sockets.on('connection', (socket) => {
  const ids = new Set<string>();
  socket.on('message', (data) => {
    let message: { type?: string; id?: string };
    try {
      message = JSON.parse(String(data));
    } catch {
      return void socket.close(4400, 'Invalid message');
    }
    if (message.type === 'connection_init') {
      subscribers.set(socket, ids);
      socket.send('{"type":"connection_ack"}');
    } else if (message.type === 'subscribe' && typeof message.id === 'string') ids.add(message.id);
    else if (message.type === 'complete' && typeof message.id === 'string') ids.delete(message.id);
    else if (message.type === 'ping') socket.send('{"type":"pong"}');
  });
  socket.on('close', () => subscribers.delete(socket));
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql\n`);
});
process.on('SIGTERM', () => {
  for (const socket of subscribers.keys()) socket.terminate();
  server.close(() => process.exit(0));
});
