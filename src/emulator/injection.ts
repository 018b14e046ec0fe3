import { GatewayError } from '../errors.js';
import { DEFAULT_SMSC, type InjectSmsSpec } from './modem-defaults.js';

export type PartOrder = 'in-order' | 'reversed' | 'shuffled';

/** An injected PDU in the form the modem stores it; `EMU_INVALID_PDU` unless even-length hex. */
export function normaliseInjectedPdu(pduHex: string, modemName: string): string {
  const pdu = pduHex.trim().toUpperCase();
  if (pdu.length < 4 || pdu.length % 2 !== 0 || !/^[0-9A-F]+$/.test(pdu)) {
    throw new GatewayError('EMU_INVALID_PDU', 'injected PDU must be an even-length hex string', {
      context: { modem: modemName, length: pdu.length },
    });
  }
  return pdu;
}

/**
 * The SMS-DELIVER PDUs of a text message (TS 23.040, the product's encoder), split into
 * concatenated parts when long. Defaults: time stamp now, SMSC `+79000000000`.
 */
export async function encodeInjectedSms(spec: InjectSmsSpec, reference: number): Promise<string[]> {
  const { encodeSmsDeliver } = await import('../sms/encode-deliver.js');
  const { order: _order, ...deliver } = spec;
  return encodeSmsDeliver({
    ...deliver,
    timestamp: deliver.timestamp ?? new Date(),
    smsc: deliver.smsc === undefined ? DEFAULT_SMSC : deliver.smsc,
    reference: deliver.reference ?? reference,
  });
}

/** The parts in arrival order; `shuffled` draws from the modem's seeded generator. */
export function orderParts(
  parts: readonly string[],
  order: PartOrder | undefined,
  random: () => number,
): string[] {
  const ordered = [...parts];
  if (order === 'reversed') ordered.reverse();
  if (order === 'shuffled') {
    for (let i = ordered.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [ordered[i], ordered[j]] = [ordered[j] as string, ordered[i] as string];
    }
  }
  return ordered;
}
