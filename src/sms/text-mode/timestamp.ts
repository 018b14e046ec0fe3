/**
 * Text-mode time stamps (TS 27.005 §3.1 `<scts>`, TS 23.040 §9.2.3.11 written as text):
 * `yy/MM/dd,hh:mm:ss±zz`, the zone in quarter hours. Some firmware prints a four-digit year.
 */

const SCTS = /^(\d{2}|\d{4})\/(\d{1,2})\/(\d{1,2}),(\d{1,2}):(\d{2}):(\d{2})([+-])(\d{1,2})$/;
const MAX_QUARTERS = 79;

const pad = (value: number): string => String(value).padStart(2, '0');

/**
 * ISO 8601 with the offset of the zone (`+03:00` for `+12`; `+00:00`, never `Z`), or null when
 * the text is not a valid time stamp (no zone, month 13, ...). Two-digit years are 20yy, as the
 * PDU decoder reads them.
 */
export function parseTextModeTimestamp(text: string): string | null {
  const match = SCTS.exec(text.trim());
  if (match === null) return null;
  const [, yy = '', mo = '', dd = '', hh = '', mi = '', ss = '', sign = '+', zz = ''] = match;
  const year = yy.length === 2 ? 2000 + Number(yy) : Number(yy);
  const month = Number(mo);
  const day = Number(dd);
  const hour = Number(hh);
  const minute = Number(mi);
  const second = Number(ss);
  const quarters = Number(zz);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return null;
  if (hour > 23 || minute > 59 || second > 59 || quarters > MAX_QUARTERS) return null;
  const zoneMinutes = quarters * 15;
  const zone = `${quarters === 0 ? '+' : sign}${pad(Math.floor(zoneMinutes / 60))}:${pad(zoneMinutes % 60)}`;
  return `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${zone}`;
}
