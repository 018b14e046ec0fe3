/**
 * The balance out of an operator's USSD answer, in the account's currency (RUB for the Russian
 * operators): "Баланс: 123,45 р.", "Balance 12.50 rub", "Balans:45,10r", "Баланс -5.20р",
 * "Ваш баланс 1 234,56 ₽". Pure. A figure followed by a currency word wins; else the first
 * figure after a balance word; else null (the answer is a menu or an error text).
 */

const AMOUNT = String.raw`((?:[-−] ?)?(?:\d{1,3}(?:[ \u00a0]\d{3})+|\d+)(?:[.,]\d{1,2})?)`;
const WITH_CURRENCY = new RegExp(`${AMOUNT}\\s*(?:₽|руб|rub|р\\.?(?![а-я])|r(?![a-z]))`, 'iu');
const AFTER_WORD = new RegExp(
  `(?:баланс|balance|balans|остаток|ostatok|на счет[уе]|na schet[ue])[^\\d\\n−-]{0,20}${AMOUNT}`,
  'iu',
);

function toNumber(amount: string): number {
  const cleaned = amount
    .replace(/[\s\u00a0]/g, '')
    .replace('−', '-')
    .replace(',', '.');
  return Number(cleaned);
}

/** The balance in `text`, or null when it names none. */
export function parseBalance(text: string): number | null {
  const match = WITH_CURRENCY.exec(text) ?? AFTER_WORD.exec(text);
  if (!match?.[1]) return null;
  const value = toNumber(match[1]);
  return Number.isFinite(value) ? value : null;
}
