import { ManualClock } from '../../time/index.js';
import type { PgnFrame } from '../identifier.js';
import { PGN } from '../pgn-registry.js';
import { decodeCm, encodeCm, type CmMessage } from '../transport-messages.js';
import { TransportProtocol, type IsobusMessage } from '../transport-protocol.js';
import type { TransportConfig } from '../transport-session.js';

export const ME = 0x20;
export const PEER = 0x10;

/** A bare TransportProtocol at address ME with its output captured. */
export function engine(config: Partial<TransportConfig> = {}) {
  const clock = new ManualClock();
  const out: PgnFrame[] = [];
  const delivered: IsobusMessage[] = [];
  const tp = new TransportProtocol({
    clock,
    send: (f) => out.push(f),
    onMessage: (m) => delivered.push(m),
    config,
  });
  tp.setAddress(ME);
  const advance = (ms: number): void => {
    const target = clock.now() + ms;
    for (;;) {
      const due = tp.nextDeadlineMs();
      if (due === undefined || due > target) break;
      clock.advance(Math.max(0, due - clock.now()));
      tp.tick(clock.now());
    }
    clock.advance(Math.max(0, target - clock.now()));
  };
  const cm = (m: CmMessage, from = PEER, to = ME): void => {
    tp.handle({
      priority: 7,
      pgn: m.kind === 'dpo' || ('etp' in m && m.etp) ? PGN.ETP_CM : PGN.TP_CM,
      source: from,
      destination: to,
      data: encodeCm(m),
    });
  };
  const dt = (seq: number, etp = false, fill = seq, from = PEER, to = ME): void => {
    tp.handle({
      priority: 7,
      pgn: etp ? PGN.ETP_DT : PGN.TP_DT,
      source: from,
      destination: to,
      data: Uint8Array.of(seq, fill, fill, fill, fill, fill, fill, fill),
    });
  };
  /** The connection management messages this engine sent, decoded. */
  const sentCm = (): CmMessage[] =>
    out
      .filter((f) => f.pgn === PGN.TP_CM || f.pgn === PGN.ETP_CM)
      .map((f) => decodeCm(f.data, f.pgn === PGN.ETP_CM)!);
  return { clock, tp, out, delivered, advance, cm, dt, sentCm };
}
