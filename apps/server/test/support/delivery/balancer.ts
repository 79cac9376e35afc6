import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP load balancer for tests: each new connection goes to the next node in turn, skipping any
 * that refuses the connection (a dead node), as a real balancer's health checks would.
 */
export class TcpBalancer {
  private next = 0;
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();

  constructor(private readonly ports: readonly number[]) {
    this.server = net.createServer((client) => this.route(client, 0));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private route(client: net.Socket, tried: number): void {
    if (tried >= this.ports.length) return void client.destroy();
    const port = this.ports[this.next++ % this.ports.length]!;
    const upstream = net.connect(port, '127.0.0.1');
    let connected = false;
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    this.sockets.add(client).add(upstream);
    client.pause();
    upstream.once('connect', () => {
      connected = true;
      client.pipe(upstream).pipe(client);
      client.resume();
      client.once('close', end);
      upstream.once('close', end);
    });
    upstream.on('error', () => {
      this.sockets.delete(upstream);
      // Refused: that node is down; try the next one. After connecting: the node went away.
      if (!connected) this.route(client, tried + 1);
      else end();
    });
    client.on('error', end);
  }
}
