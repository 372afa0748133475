import type { Clock } from '../time/index.js';
import { GLOBAL_ADDRESS } from './identifier.js';
import { IsobusError, type IsobusNode } from './isobus-node.js';
import { PGN } from './pgn-registry.js';
import { ACK_CONTROL, decodeAcknowledgement, type AckControl } from './request-ack.js';
import { TIMING } from './transport-messages.js';
import type { IsobusMessage } from './transport-protocol.js';

export class RequestRefusedError extends IsobusError {
  override readonly name = 'RequestRefusedError';
  constructor(
    readonly control: AckControl,
    pgn: number,
    destination: number,
  ) {
    const why =
      control === ACK_CONTROL.NACK
        ? 'NACK'
        : control === ACK_CONTROL.ACCESS_DENIED
          ? 'access denied'
          : 'cannot respond';
    super(`request for PGN 0x${pgn.toString(16)} to ${destination} refused: ${why}`);
  }
}

export class RequestTimeoutError extends IsobusError {
  override readonly name = 'RequestTimeoutError';
}

/**
 * Requests `pgn` from one node and waits for its answer (the PGN itself, possibly over TP) or its
 * Acknowledgement (ISO 11783-3 §5.4.4–5.4.5). A responder has Tr (200 ms) to start answering;
 * the default wait also covers a TP answer's RTS round trip (T3, 1250 ms).
 */
export function queryPgn(
  node: IsobusNode,
  clock: Clock,
  pgn: number,
  destination: number,
  timeoutMs: number = TIMING.T3_MS,
): Promise<IsobusMessage> {
  if (destination === GLOBAL_ADDRESS)
    return Promise.reject(
      new IsobusError('queryPgn needs one destination; use request() for a global request'),
    );
  return new Promise<IsobusMessage>((resolve, reject) => {
    const finish = (): void => {
      off();
      cancel();
    };
    const off = node.onMessage((m) => {
      if (m.source !== destination) return;
      if (m.pgn === pgn) {
        finish();
        resolve(m);
        return;
      }
      if (m.pgn !== PGN.ACKNOWLEDGEMENT || m.data.length < 8) return;
      const ack = decodeAcknowledgement(m.data);
      if (ack.pgn !== pgn || (ack.address !== node.address && ack.address !== GLOBAL_ADDRESS))
        return;
      finish();
      if (ack.control === ACK_CONTROL.ACK) resolve(m);
      else reject(new RequestRefusedError(ack.control, pgn, destination));
    });
    const cancel = clock.setTimer(timeoutMs, () => {
      off();
      reject(
        new RequestTimeoutError(
          `no answer to the request for PGN 0x${pgn.toString(16)} from ${destination} within ${timeoutMs} ms`,
        ),
      );
    });
    node.request(pgn, destination).catch((error: unknown) => {
      finish();
      reject(error instanceof Error ? error : new IsobusError(String(error)));
    });
  });
}
