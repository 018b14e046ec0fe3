import { EmulatedModem } from '../../src/emulator/modem.js';
import type { EmulatedModemOptions } from '../../src/emulator/types.js';

/** A modem at unlimited line speed with echo off, plus a transcript of what it sent. */
export interface ModemHarness {
  modem: EmulatedModem;
  /** Everything the modem sent since the last `take()`. */
  take(): string;
  /** Sends `AT...` + CR and returns the answer lines (empty lines dropped). */
  at(command: string): string[];
}

export function createHarness(options: EmulatedModemOptions = {}, echoOff = true): ModemHarness {
  const modem = new EmulatedModem({ baudRate: 0, bootTimeScale: 0, ...options });
  let transcript = '';
  modem.on('output', (bytes) => {
    transcript += Buffer.from(bytes).toString('utf8');
  });
  const take = () => {
    const out = transcript;
    transcript = '';
    return out;
  };
  const at = (command: string) => {
    take();
    modem.hostWrite(Buffer.from(`${command}\r`, 'latin1'));
    return take()
      .split(/\r+\n/)
      .filter((line) => line !== '');
  };
  if (echoOff) at('ATE0');
  take();
  return { modem, take, at };
}

/** PDUs from shared/test-vectors/sms-deliver.jsonl. */
export const VECTORS = {
  /** Doc example, GSM 7-bit "How are you?" from +31641600986. */
  howAreYou: '07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07',
  /** gammu-built, GSM 7-bit "Meet at 7pm?" from +447700900123. */
  meetAt7: '06917138802617840C914477000910320000120151105593000CCD72990E0AD3413778FB07',
  /** Doc example, "hellohello" from 27838890001. */
  hellohello: '07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37',
  /** Russian sender, UCS-2 "Добрый вечер!". */
  ucs2: '069183505007F1840AA1009673677500083221509161032B1A0414043E04310440044B04390020043204350447043504400021',
  /** Two parts of one 8-bit-reference concatenated message from "Zalando". */
  multipartP1:
    '069119806243F5440DD0DA303BEC26BF0100000230136034612BA00500034A0201A061391D442FCFE920F35B0E82D7C5ECF418642F8FE96FF9DC058286E57410BD3CA783CC6F39085E17B3D36390BD3CA6BFE57317081A96D341F4F29C0E32BFE520785DCC4E8F41F6F298FE96CF5D2068584E07D1CB733AC8FC9683E075313B3D06D9CB63FA5B3E7781A061391D442FCFE920F35B0E82D7C5ECF418642F8FE96FF9DC058286E5',
  multipartP2:
    '069119806243F5440DD0DA303BEC26BF0100000230136034612B360500034A0202E8207A794E0799DF7210BC2E66A7C7207B794C7FCBE72E10342CA783E8E5391D647ECB41F0BA989D1E03',
} as const;
