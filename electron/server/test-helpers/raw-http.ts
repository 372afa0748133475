/** Raw HTTP for request lines and upgrades that no client library would send. */
import { connect, type Socket } from 'node:net';

export { rawRequest } from '../../sync/test-helpers/net.js';

/** A WebSocket upgrade request for `target`, with `headers` added (e.g. Origin). */
export function upgradeRequest(target: string, headers: Record<string, string> = {}): string {
  const lines = [
    `GET ${target} HTTP/1.1`,
    ...('Host' in headers ? [] : ['Host: 127.0.0.1']),
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

export interface RawWebSocket {
  socket: Socket;
  /** Sends one masked text frame (RFC 6455 §5.2, as a client must). */
  sendText(text: string): void;
}

/**
 * A WebSocket client on a bare TCP socket, for clients no library would be: one that sends and
 * never reads (pause its socket). Resolves once the server answered 101.
 */
export function rawWebSocket(port: number, target: string): Promise<RawWebSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let head = '';
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      if (!head.startsWith('HTTP/1.1 101')) {
        reject(new Error(head.split('\r\n')[0]));
        return;
      }
      resolve({ socket, sendText: (text) => socket.write(maskedFrame(Buffer.from(text))) });
    };
    socket.on('data', onData);
    socket.on('error', reject);
    socket.write(upgradeRequest(target, { Host: `127.0.0.1:${port}` }));
  });
}

function maskedFrame(payload: Buffer): Buffer {
  const mask = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const length =
    payload.length < 126
      ? Buffer.from([0x80 | payload.length])
      : payload.length < 65_536
        ? Buffer.from([0x80 | 126, payload.length >> 8, payload.length & 0xff])
        : (() => {
            const b = Buffer.alloc(9);
            b[0] = 0x80 | 127;
            b.writeBigUInt64BE(BigInt(payload.length), 1);
            return b;
          })();
  const masked = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] ?? 0)));
  return Buffer.concat([Buffer.from([0x81]), length, mask, masked]);
}
