import { describe, expect, it } from 'vitest';
import { ManualClock } from '../time/index.js';
import { CanLinkUnavailableError } from './can-link.js';
import { createLink, LinkUriError, parseLinkUri, VirtualBusRegistry } from './link-uri.js';
import { VirtualBusNode } from './virtual-bus-node.js';

describe('link URIs', () => {
  it('parses the three forms', () => {
    expect(parseLinkUri('virtual:field1')).toEqual({ kind: 'virtual', bus: 'field1' });
    expect(parseLinkUri('socketcan:can0')).toEqual({ kind: 'socketcan', iface: 'can0' });
    expect(parseLinkUri('socketcand://127.0.0.1:29536/can0')).toEqual({
      kind: 'socketcand',
      host: '127.0.0.1',
      port: 29536,
      bus: 'can0',
    });
    expect(parseLinkUri('socketcand://localhost')).toEqual({
      kind: 'socketcand',
      host: 'localhost',
      port: 29536,
      bus: 'can0',
    });
  });

  it('rejects unknown or malformed links with the accepted forms in the message', () => {
    expect(() => parseLinkUri('can0')).toThrow(/virtual:<bus>/);
    expect(() => parseLinkUri('virtual:')).toThrow(LinkUriError);
    expect(() => parseLinkUri('socketcan:a/b')).toThrow(LinkUriError);
  });

  it('puts every virtual link with the same name on one bus', async () => {
    const clock = new ManualClock();
    const buses = new VirtualBusRegistry({ clock });
    const a = createLink('virtual:f', { clock, buses });
    const b = createLink('virtual:f', { clock, buses });
    expect(a).toBeInstanceOf(VirtualBusNode);
    await a.open();
    await b.open();
    let got = 0;
    b.on('frame', () => got++);
    a.send({ id: 1, extended: true, data: new Uint8Array(0) });
    clock.advance(1);
    expect(got).toBe(1);
  });

  it('fails to open SocketCAN with a clear message where it is unavailable', async () => {
    const link = createLink('socketcan:can0', { clock: new ManualClock() });
    const error = await link.open().then(
      () => undefined,
      (e: unknown) => e,
    );
    if (error === undefined) {
      await link.close(); // a real SocketCAN host: nothing to assert
      return;
    }
    expect(error).toBeInstanceOf(CanLinkUnavailableError);
    expect((error as Error).message).toMatch(/SocketCAN/);
    expect(link.state).toBe('closed');
  });
});
