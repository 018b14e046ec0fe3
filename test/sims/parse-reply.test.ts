import { describe, expect, it } from 'vitest';
import { parseBalance } from '../../src/sims/parse-balance.js';
import { parsePhoneNumber } from '../../src/sims/parse-phone.js';

describe('parsePhoneNumber', () => {
  it.each([
    ['Ваш номер +79161234567', '79161234567'],
    ['Ваш номер: 79161234567.', '79161234567'],
    ['Vash nomer 89161234567', '79161234567'],
    ['Ваш номер 8 916 123-45-67', '79161234567'],
    ['Номер: +7 (916) 123-45-67', '79161234567'],
    ['Your number is 9161234567', '79161234567'],
    ['Ваш номер 79161234567 100 р на счету', '79161234567'],
    ['Your number: +491701234567', '491701234567'],
  ])('reads %j', (text, phone) => {
    expect(parsePhoneNumber(text)).toBe(phone);
  });

  it.each([['Баланс: 123,45 р.'], ['Услуга недоступна'], ['Код 1234'], ['']])('finds none in %j', (text) => {
    expect(parsePhoneNumber(text)).toBeNull();
  });
});

describe('parseBalance', () => {
  it.each([
    ['Баланс: 123,45 р.', 123.45],
    ['Balance 12.50 rub', 12.5],
    ['Balans:45,10r', 45.1],
    ['Баланс -5.20р', -5.2],
    ['Ваш баланс 1 234,56 ₽. Пакет 200 МБ', 1234.56],
    ['Balance: 100.00 rub', 100],
    ['Na schetu 7 rub', 7],
    ['Ваш баланс 15', 15],
  ])('reads %j', (text, balance) => {
    expect(parseBalance(text)).toBe(balance);
  });

  it.each([['1. Баланс\n2. Номер'], ['Ваш номер +79161234567'], ['Сервис недоступен']])(
    'finds none in %j',
    (text) => {
      expect(parseBalance(text)).toBeNull();
    },
  );
});
