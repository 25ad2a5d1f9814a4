/** Small TCP helpers shared by the device simulators. */
import type { AddressInfo, Server } from 'node:net';

/** Listens on 127.0.0.1 (port 0: any free one); resolves with the port, rejects if it is taken. */
export async function listenLoopback(server: Server, port = 0): Promise<number> {
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(port, '127.0.0.1', () => res());
  });
  return (server.address() as AddressInfo).port;
}
