import type { Clock } from '../time/index.js';
import type { CanLink } from './can-link.js';
import { SocketCanLink } from './socketcan-link.js';
import { SocketcandLink } from './socketcand-link.js';
import { VirtualBus, type VirtualBusOptions } from './virtual-bus.js';

/**
 * Link URIs (docs/can-isobus.md): `virtual:<bus>` (in-process bus, created on first use),
 * `socketcan:<iface>` (Linux SocketCAN), `socketcand://host:port/<bus>` (CAN over TCP).
 */
export type LinkUri =
  | { readonly kind: 'virtual'; readonly bus: string }
  | { readonly kind: 'socketcan'; readonly iface: string }
  | {
      readonly kind: 'socketcand';
      readonly host: string;
      readonly port: number;
      readonly bus: string;
    };

export class LinkUriError extends Error {
  override readonly name = 'LinkUriError';
}

export const SOCKETCAND_DEFAULT_PORT = 29536; // socketcand's default port

const NAME = /^[A-Za-z0-9_.-]{1,32}$/;

export function parseLinkUri(uri: string): LinkUri {
  if (uri.startsWith('virtual:')) {
    const bus = uri.slice('virtual:'.length);
    if (!NAME.test(bus))
      throw new LinkUriError(`bad virtual bus name in '${uri}' (use virtual:<name>)`);
    return { kind: 'virtual', bus };
  }
  if (uri.startsWith('socketcan:')) {
    const iface = uri.slice('socketcan:'.length).replace(/^\/\//, '');
    if (!NAME.test(iface) || iface.length > 15)
      throw new LinkUriError(`bad SocketCAN interface in '${uri}' (use socketcan:can0)`);
    return { kind: 'socketcan', iface };
  }
  if (uri.startsWith('socketcand://')) {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      throw new LinkUriError(`bad socketcand URI '${uri}' (use socketcand://host:port/can0)`);
    }
    const bus = url.pathname.replace(/^\//, '') || 'can0';
    if (!NAME.test(bus)) throw new LinkUriError(`bad bus name '${bus}' in '${uri}'`);
    const port = url.port === '' ? SOCKETCAND_DEFAULT_PORT : Number(url.port);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (host === '') throw new LinkUriError(`missing host in '${uri}'`);
    return { kind: 'socketcand', host, port, bus };
  }
  throw new LinkUriError(
    `unknown CAN link '${uri}': use virtual:<bus>, socketcan:<iface> or socketcand://host:port/<bus>`,
  );
}

/** Named in-process buses, so every `virtual:field1` in one process shares one bus. */
export class VirtualBusRegistry {
  private readonly buses = new Map<string, VirtualBus>();

  constructor(private readonly defaults: VirtualBusOptions) {}

  get(name: string): VirtualBus {
    let bus = this.buses.get(name);
    if (!bus) {
      bus = new VirtualBus({ ...this.defaults, name });
      this.buses.set(name, bus);
    }
    return bus;
  }
}

export interface LinkFactoryContext {
  clock: Clock;
  /** Shared virtual buses; one is created for the call if absent. */
  buses?: VirtualBusRegistry;
  /** Node name on a virtual bus. */
  nodeName?: string;
}

/** A new, unopened CanLink for `uri`. */
export function createLink(uri: string, context: LinkFactoryContext): CanLink {
  const parsed = parseLinkUri(uri);
  switch (parsed.kind) {
    case 'virtual': {
      const buses = context.buses ?? new VirtualBusRegistry({ clock: context.clock });
      return buses.get(parsed.bus).createNode(context.nodeName);
    }
    case 'socketcan':
      return new SocketCanLink(parsed.iface, context.clock);
    case 'socketcand':
      return new SocketcandLink({
        host: parsed.host,
        port: parsed.port,
        bus: parsed.bus,
        clock: context.clock,
      });
  }
}
