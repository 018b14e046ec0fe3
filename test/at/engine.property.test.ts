import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AtEngine } from '../../src/at/engine.js';
import { silentLogger } from '../../src/log.js';
import { ScriptChannel } from './script-channel.js';

const infoLine = fc.oneof(
  fc.nat({ max: 254 }).map((i) => `+CMGL: ${i},1,,24`),
  fc.stringMatching(/^[0-9A-F]{2,40}$/),
);
const urcLine = fc.oneof(
  fc.nat({ max: 30 }).map((i) => `^RSSI:${i}`),
  fc.nat({ max: 254 }).map((i) => `+CMTI: "SM",${i}`),
);

describe('AtEngine properties', () => {
  it('URCs interleaved anywhere in an answer, under any chunking, never mix into it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(infoLine, { maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(), urcLine), { maxLength: 6 }),
        fc.integer({ min: 1, max: 64 }),
        fc.constantFrom('\r\n', '\r\r\n', '\n'),
        async (info, urcs, chunkSize, eol) => {
          const script = new ScriptChannel();
          script.chunkSize = chunkSize;
          const engine = new AtEngine({ channel: script, log: silentLogger() });
          const seen: string[] = [];
          engine.addUrcHandler({
            name: 'any',
            match: (l) => /^(\^RSSI|\+CMTI):/.test(l),
            handle: (l) => seen.push(...l),
          });
          const stream = [...info];
          for (const [position, urc] of urcs) {
            stream.splice(position % (stream.length + 1), 0, urc);
          }
          const inserted = stream.filter((line) => /^(\^RSSI|\+CMTI):/.test(line));
          script.expect('AT+CMGL=4\r').replyRaw([...stream, 'OK'].map((l) => `${eol}${l}${eol}`).join(''));
          const response = await engine.send('AT+CMGL=4', { expect: ['+CMGL:'] });
          expect(response.lines).toEqual(info);
          expect(seen).toEqual(inserted);
          await engine.close();
        },
      ),
      { numRuns: 200 },
    );
  });
});
