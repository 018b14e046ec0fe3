import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AtTokenizer, tokenize } from '../../../src/at/framing/tokenizer.js';

/** Bytes biased towards the ones framing cares about, plus anything else. */
const byte = fc.oneof(
  fc.constantFrom(0x0d, 0x0a, 0x3e, 0x20, 0x00, 0x1a, 0x4f, 0x4b),
  fc.integer({ min: 0, max: 255 }),
);
const stream = fc.array(byte, { maxLength: 300 }).map((bytes) => Uint8Array.from(bytes));

describe('AtTokenizer properties', () => {
  it('chunking never changes the tokens', () => {
    fc.assert(
      fc.property(
        stream,
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        (bytes, sizes, blankLines) => {
          const tokenizer = new AtTokenizer({ maxLineBytes: 64, blankLines });
          const tokens = [];
          let offset = 0;
          for (let i = 0; offset < bytes.length; i++) {
            const size = sizes[i % sizes.length] ?? 1;
            tokens.push(...tokenizer.push(bytes.subarray(offset, offset + size)));
            offset += size;
          }
          expect(tokens).toEqual(tokenize(bytes, { maxLineBytes: 64, blankLines }));
        },
      ),
    );
  });

  it('never throws, never yields empty lines or line ends, and bounds line length', () => {
    fc.assert(
      fc.property(stream, (bytes) => {
        for (const token of tokenize(bytes, { maxLineBytes: 64 })) {
          if (token.kind !== 'line') continue;
          expect(token.text.length).toBeGreaterThan(0);
          expect(token.text.length).toBeLessThanOrEqual(64);
          expect(token.text).not.toMatch(/[\r\n\0]/);
        }
      }),
    );
  });
});
