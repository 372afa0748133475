import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  formatSocketcandFrame,
  formatSocketcandSend,
  parseSocketcandFrame,
  parseSocketcandSend,
  SocketcandParser,
  SocketcandProtocolError,
} from './socketcand-protocol.js';
import { arbitraryFrame, extFrame, sameFrame, stdFrame } from './test-helpers/frames.js';

describe('socketcand protocol', () => {
  it('formats frames as the daemon does: 8-digit extended ids, 3-digit standard, data as one hex run', () => {
    expect(formatSocketcandFrame(extFrame(0x1abc, 1, 0xff), 1680000000123.456)).toBe(
      '< frame 00001ABC 1680000000.123456 01FF >',
    );
    expect(formatSocketcandFrame(stdFrame(0x12), 1000)).toBe('< frame 012 1.000000  >');
    expect(formatSocketcandSend(extFrame(0x18fef100, 1, 0xab))).toBe('< send 18FEF100 2 01 AB >');
    expect(formatSocketcandSend(stdFrame(0x7ff))).toBe('< send 7FF 0 >');
  });

  it('reads python-can style messages', () => {
    const frame = parseSocketcandFrame(['123', '1680000000.0', '01020304']);
    expect(frame).toMatchObject({ id: 0x123, extended: false, timestampMs: 1680000000000 });
    expect(parseSocketcandSend(['1FFFFFFF', '1', 'f'])).toMatchObject({
      id: 0x1fffffff,
      extended: true,
    });
    expect(parseSocketcandFrame(['0CF00400', '1.5'])).toMatchObject({
      extended: true,
      data: new Uint8Array(0),
    });
  });

  it('round-trips every frame through send and frame messages', () => {
    fc.assert(
      fc.property(arbitraryFrame, (frame) => {
        const parser = new SocketcandParser();
        const [send] = parser.feed(formatSocketcandSend(frame));
        const [fr] = parser.feed(formatSocketcandFrame(frame, 5000));
        return (
          sameFrame(parseSocketcandSend(send!.slice(1)), frame) &&
          sameFrame(parseSocketcandFrame(fr!.slice(1)), frame)
        );
      }),
    );
  });

  it('reassembles messages split across reads at any point', () => {
    const text = '< hi >< ok >< frame 123 1.0 AA >';
    for (let cut = 0; cut <= text.length; cut++) {
      const parser = new SocketcandParser();
      const words = [...parser.feed(text.slice(0, cut)), ...parser.feed(text.slice(cut))];
      expect(words).toEqual([['hi'], ['ok'], ['frame', '123', '1.0', 'AA']]);
    }
  });

  it('rejects bad ids, lengths and runaway messages', () => {
    expect(() => parseSocketcandSend(['12345', '0'])).toThrow(SocketcandProtocolError);
    expect(() => parseSocketcandSend(['123', '2', '01'])).toThrow(/length/);
    expect(() => parseSocketcandSend(['123', '9', ...Array<string>(9).fill('00')])).toThrow(
      SocketcandProtocolError,
    );
    expect(() => parseSocketcandSend(['800', '0'])).toThrow(/out of range/);
    expect(() => parseSocketcandFrame(['123', 'x'])).toThrow(/timestamp/);
    expect(() => new SocketcandParser().feed(`<${' x'.repeat(600)}`)).toThrow(/longer/);
  });
});
