import {
  groupCmglLines,
  parseCmglText,
  parseCmgrText,
  type TextModeCharset,
} from '../../../src/sms/text-mode/index.js';
import { int, mutateText, pick, type Random } from './mutate.js';
import type { OutcomeTally } from './outcome.js';

/**
 * Fuzz target: text-mode replies (TS 27.005 §3.4 with AT+CMGF=1) as modems print them, CSDH 0
 * and 1, charsets GSM, IRA and UCS2, mutated at character level, and whole `+CMGL` listings
 * with lines shuffled. Every input must parse or throw a `TextModeError` with one of its codes.
 */

export const TEXT_MODE_ERROR_CODES: ReadonlySet<string> = new Set([
  'SMS_TEXT_INVALID',
  'SMS_TEXT_UNSUPPORTED',
]);

interface Reply {
  header: string;
  body: string[];
  csdh: boolean;
  charset: TextModeCharset;
}

const REPLIES: readonly Reply[] = [
  {
    header: '+CMGR: "REC UNREAD","+79161234567",,"24/11/25,12:00:00+12"',
    body: ['Your code is 4802'],
    csdh: false,
    charset: 'GSM',
  },
  {
    header: '+CMGR: "REC READ","+79161234567","Bank","24/11/25,12:00:00+12",145,4,0,0,"+79000000000",145,17',
    body: ['Your code is 4802'],
    csdh: true,
    charset: 'GSM',
  },
  {
    header:
      '+CMGR: "REC UNREAD","002B0037003900310036","","24/11/25,12:00:00-08",145,4,0,8,"+79000000000",145,8',
    body: ['041A043E04340020'],
    csdh: true,
    charset: 'UCS2',
  },
  {
    header: '+CMGR: ,"Instagram",,"24/11/25,23:59:59+00"',
    body: ['line one', 'line two'],
    csdh: false,
    charset: 'IRA',
  },
  {
    header: '+CMGL: 3,"REC UNREAD","+79161234567",,"24/11/25,12:00:00+12"',
    body: ['Code 1234'],
    csdh: false,
    charset: 'GSM',
  },
  {
    header: '+CMGL: 0,"REC READ","Instagram",,"24/11/25,12:00:00+12",208,17',
    body: ['Your code is 4802'],
    csdh: true,
    charset: 'GSM',
  },
  {
    header: '+CMGL: 1,"REC UNREAD","002B00370039",,"24/11/25,12:00:00+12"',
    body: ['D83DDE00'],
    csdh: false,
    charset: 'UCS2',
  },
];

const ALPHABET = '",+0123456789ABCDEF/:-+ RECUNADOSTxyz\u00e9\u0000\u00ff\r\n';

/** One case: a reply mutated, parsed as +CMGR or +CMGL, or a mutated listing grouped. */
export function textModeCase(random: Random, tally: OutcomeTally): void {
  const reply = pick(random, REPLIES);
  const header = random() < 0.8 ? mutateText(random, reply.header, ALPHABET) : reply.header;
  const body = reply.body.map((line) => (random() < 0.4 ? mutateText(random, line, ALPHABET) : line));
  const csdh = random() < 0.85 ? reply.csdh : !reply.csdh;
  const charset = random() < 0.85 ? reply.charset : pick(random, ['GSM', 'IRA', 'UCS2'] as const);
  const input = () => JSON.stringify({ header, body, csdh, charset });
  const roll = int(random, 3);
  tally.record('text-mode', TEXT_MODE_ERROR_CODES, input, () => {
    if (roll === 0) parseCmgrText(header, body, { csdh, charset });
    else if (roll === 1) parseCmglText(header, body, { csdh, charset });
    else {
      const lines = [header, ...body, pick(random, REPLIES).header, ...body];
      if (random() < 0.3) lines.unshift(mutateText(random, 'garbage', ALPHABET));
      for (const entry of groupCmglLines(lines)) parseCmglText(entry.header, entry.body, { csdh, charset });
    }
  });
}
