// The network link between a terminal and HQ, as its own process, for bench/hq.ts's outage run:
// passes TCP through to HQ, or — after "down" on stdin — swallows every packet (connections are
// accepted and never answered, as on a dead WAN link: requests hang until their timeout). "up"
// lets new connections through again; a connection that was swallowed stays dead.
// Usage: node bench/link-gate.mjs <HQ port>; prints {"port": n} when listening on loopback.
import { createServer, Socket } from 'node:net';
import { createInterface } from 'node:readline';

const target = Number(process.argv[2]);
if (!target) throw new Error('usage: link-gate.mjs <HQ port>');
let down = false;
const conns = new Set();
const server = createServer((client) => {
  let dead = down;
  const upstream = new Socket();
  conns.add(client);
  const close = () => {
    conns.delete(client);
    client.destroy();
    upstream.destroy();
  };
  client.on('error', close).on('close', close);
  upstream.on('error', close).on('close', close);
  upstream.connect(target, '127.0.0.1');
  client.on('data', (d) => {
    if (down) dead = true;
    if (!dead) upstream.write(d);
  });
  upstream.on('data', (d) => {
    if (down) dead = true;
    if (!dead) client.write(d);
  });
});
createInterface({ input: process.stdin }).on('line', (l) => {
  down = l.trim() === 'down';
  process.stdout.write(`${JSON.stringify({ down })}\n`);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
