import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CandumpParseError, parseCandumpLog } from './candump-log.js';
import { PcapngParseError, readPcapngFrames } from './pcapng-reader.js';
import { PcapngWriter } from './pcapng-writer.js';
import {
  SocketcandParser,
  SocketcandProtocolError,
  parseSocketcandFrame,
  parseSocketcandSend,
} from './socketcand-protocol.js';
import { arbitraryFrame } from './test-helpers/frames.js';

/** Every parser either returns valid frames or throws its own typed error — nothing else. */
function onlyTyped(fn: () => unknown, errorType: new (...args: never[]) => Error): boolean {
  try {
    fn();
    return true;
  } catch (error) {
    return error instanceof errorType;
  }
}

describe('parsers under hostile input', () => {
  it('candump reader throws only CandumpParseError', () => {
    const line = fc.oneof(
      fc.string(),
      fc
        .tuple(
          fc.nat(),
          fc.stringMatching(/^[0-9A-Fa-f]{0,10}$/),
          fc.stringMatching(/^[0-9A-Fa-f]{0,20}$/),
        )
        .map(([s, id, d]) => `(${s}.000001) can0 ${id}#${d}`),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) =>
        onlyTyped(() => parseCandumpLog(lines.join('\n')), CandumpParseError),
      ),
    );
  });

  it('socketcand parser and message decoders throw only SocketcandProtocolError', () => {
    const word = fc.oneof(
      fc.stringMatching(/^[0-9A-Fa-f]{0,9}$/),
      fc.constantFrom('frame', 'send', '<', '>', '1.5', 'x', ''),
    );
    const chunk = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.array(word, { maxLength: 12 }).map((w) => `< ${w.join(' ')} >`),
    );
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 30 }), (chunks) => {
        const parser = new SocketcandParser();
        return chunks.every((c) =>
          onlyTyped(() => {
            for (const words of parser.feed(c)) {
              const [head, ...args] = words;
              if (head === 'frame') parseSocketcandFrame(args);
              if (head === 'send') parseSocketcandSend(args);
            }
          }, SocketcandProtocolError),
        );
      }),
    );
  });

  it('pcapng reader throws only PcapngParseError on corrupted captures', () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryFrame, { minLength: 1, maxLength: 5 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.nat(),
        (frames, flips, cut) => {
          const chunks: Uint8Array[] = [];
          const writer = new PcapngWriter((c) => chunks.push(c));
          for (const f of frames) writer.frame(f);
          const bytes = Buffer.concat(chunks);
          for (const [at, value] of flips) bytes[at % bytes.length] = value;
          const damaged = bytes.subarray(0, bytes.length - (cut % 9));
          return onlyTyped(() => readPcapngFrames(damaged), PcapngParseError);
        },
      ),
    );
  });

  it('pcapng reader rejects a random byte soup with its own error', () => {
    expect(() =>
      readPcapngFrames(Uint8Array.from([0x0a, 0x0d, 0x0d, 0x0a, 4, 0, 0, 0, 1, 2, 3, 4])),
    ).toThrow(PcapngParseError);
  });
});
