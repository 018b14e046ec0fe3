/**
 * The SMS the demo sends through the farm: what a partner SIM really receives (short codes,
 * alphanumeric senders, Cyrillic and emoji that need UCS-2, a message long enough to be split
 * into concatenated parts), plus the two cases that must never reach Onlinesim: a bank on the
 * sender deny-list, and an SMS to a SIM that has no operation. Pure: the caller passes the
 * random source.
 */

export type DemoSmsKind =
  | 'short-code'
  | 'alphanumeric'
  | 'cyrillic'
  | 'emoji'
  | 'multipart'
  | 'denied'
  | 'no-operation';

export interface DemoSms {
  kind: DemoSmsKind;
  sender: string;
  text: string;
}

/** The demo's deny-list (config `filter.denySenders` syntax): banks are never pushed. */
export const DEMO_DENY_SENDERS: readonly string[] = ['/^sber/i', '/bank/i'];

/** One of each, in this order, first; then the ordinary kinds at random. */
const OPENING: readonly DemoSmsKind[] = [
  'short-code',
  'alphanumeric',
  'cyrillic',
  'emoji',
  'multipart',
  'denied',
  'no-operation',
];
const ORDINARY: readonly DemoSmsKind[] = ['short-code', 'alphanumeric', 'cyrillic', 'emoji', 'multipart'];

/** The `step`-th SMS of the demo (0-based). `random` returns numbers in [0, 1). */
export function demoSms(step: number, random: () => number): DemoSms {
  const kind = OPENING[step] ?? ORDINARY[Math.floor(random() * ORDINARY.length)] ?? 'short-code';
  return smsOfKind(kind, code(random));
}

function code(random: () => number): string {
  return String(100_000 + Math.floor(random() * 900_000));
}

function smsOfKind(kind: DemoSmsKind, otp: string): DemoSms {
  switch (kind) {
    case 'short-code':
      return { kind, sender: '7377', text: `Your verification code: ${otp}` };
    case 'alphanumeric':
      return {
        kind,
        sender: 'Instagram',
        text: `${otp.slice(0, 3)} ${otp.slice(3)} is your Instagram code. Don't share it.`,
      };
    case 'cyrillic':
      return { kind, sender: 'VK', text: `Код подтверждения ВКонтакте: ${otp}. Никому его не сообщайте.` };
    case 'emoji':
      return { kind, sender: 'Telegram', text: `Telegram code ${otp} 🔐 Do not give it to anyone 🙂` };
    case 'multipart':
      return {
        kind,
        sender: 'Google',
        text:
          `G-${otp} is your Google verification code. ` +
          'Google will never ask for this code by phone, e-mail or chat. If you did not request it, ' +
          'someone may be trying to sign in to your account: review your security settings at once. ' +
          'This message is long enough to be sent as several concatenated parts.',
      };
    case 'denied':
      return {
        kind,
        sender: 'SBERBANK',
        text: `Perevod 5000 RUB. Kod podtverzhdeniya ${otp}. Nikomu ne soobshchayte.`,
      };
    case 'no-operation':
      return { kind, sender: 'Uber', text: `Your Uber code is ${otp}` };
  }
}
