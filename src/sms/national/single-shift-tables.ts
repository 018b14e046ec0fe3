/**
 * National language single shift tables, 3GPP TS 23.038 Annex A.2, reached through the escape
 * septet 0x1B when the UDH carries IE 0x24 (TS 23.040 §9.2.3.24.15).
 *
 * Data only. Each table is 8 rows of 16 positions (row comment = first septet value of the row);
 * `\uffff` marks an undefined position and becomes `''`. 0x1B (a second escape, reserved) and
 * 0x0D (CR2, a control without a character) are `''`.
 *
 * Transcribed from TS 23.038 Annex A and checked position by position against the AOSP
 * GsmAlphabet tables. Where the sources differ:
 * - Tamil 0x24 is U+0BEE (TAMIL DIGIT EIGHT), the sequence the spec's own digit run needs; older
 *   releases print U+0BEF twice.
 * - Telugu 0x65 is the euro sign like every other Annex A.2 table (two implementations agree;
 *   one transcription of the spec drops it).
 */

import { tableFromRows } from './table-rows.js';

/** Single shift tables (Annex A.2), keyed by national language identifier (TS 23.038 §6.2.1.2.4 / Annex A). */
export const SINGLE_SHIFT_TABLES: ReadonlyMap<number, readonly string[]> = new Map([
  // A.2.1 Turkish (17 defined positions)
  [
    1,
    tableFromRows([
      '\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\f\uffff\uffff\uffff\uffff\uffff', // 0x00
      '\uffff\uffff\uffff\uffff^\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff', // 0x10
      '\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff{}\uffff\uffff\uffff\uffff\uffff\\', // 0x20
      '\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff[~]\uffff', // 0x30
      '|\uffff\uffff\uffff\uffff\uffff\uffffĞ\uffffİ\uffff\uffff\uffff\uffff\uffff\uffff', // 0x40
      '\uffff\uffff\uffffŞ\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff', // 0x50
      '\uffff\uffff\uffffç\uffff€\uffffğ\uffffı\uffff\uffff\uffff\uffff\uffff\uffff', // 0x60
      '\uffff\uffff\uffffş\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff', // 0x70
    ]),
  ],
  // A.2.2 Spanish (19 defined positions)
  [
    2,
    tableFromRows([
      '\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffffç\f\uffff\uffff\uffff\uffff\uffff', // 0x00
      '\uffff\uffff\uffff\uffff^\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff', // 0x10
      '\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff{}\uffff\uffff\uffff\uffff\uffff\\', // 0x20
      '\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff[~]\uffff', // 0x30
      '|Á\uffff\uffff\uffff\uffff\uffff\uffff\uffffÍ\uffff\uffff\uffff\uffff\uffffÓ', // 0x40
      '\uffff\uffff\uffff\uffff\uffffÚ\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff', // 0x50
      '\uffffá\uffff\uffff\uffff€\uffff\uffff\uffffí\uffff\uffff\uffff\uffff\uffffó', // 0x60
      '\uffff\uffff\uffff\uffff\uffffú\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff', // 0x70
    ]),
  ],
  // A.2.3 Portuguese (37 defined positions)
  [
    3,
    tableFromRows([
      '\uffff\uffff\uffff\uffff\uffffê\uffff\uffff\uffffç\fÔô\uffffÁá', // 0x00
      '\uffff\uffffΦΓ^ΩΠΨΣΘ\uffff\uffff\uffff\uffff\uffffÊ', // 0x10
      '\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff{}\uffff\uffff\uffff\uffff\uffff\\', // 0x20
      '\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff[~]\uffff', // 0x30
      '|À\uffff\uffff\uffff\uffff\uffff\uffff\uffffÍ\uffff\uffff\uffff\uffff\uffffÓ', // 0x40
      '\uffff\uffff\uffff\uffff\uffffÚ\uffff\uffff\uffff\uffff\uffffÃÕ\uffff\uffff\uffff', // 0x50
      '\uffffÂ\uffff\uffff\uffff€\uffff\uffff\uffffí\uffff\uffff\uffff\uffff\uffffó', // 0x60
      '\uffff\uffff\uffff\uffff\uffffú\uffff\uffff\uffff\uffff\uffffãõ\uffff\uffffâ', // 0x70
    ]),
  ],
  // A.2.4 Bengali (82 defined positions)
  [
    4,
    tableFromRows([
      '@£$¥¿"¤%&\'\f*+\uffff-/', // 0x00
      '<=>¡^¡_#*\u09e6\u09e7\uffff\u09e8\u09e9\u09ea\u09eb', // 0x10
      '\u09ec\u09ed\u09ee\u09ef\u09df\u09e0\u09e1\u09e2{}\u09e3\u09f2\u09f3\u09f4\u09f5\\', // 0x20
      '\u09f6\u09f7\u09f8\u09f9\u09fa\uffff\uffff\uffff\uffff\uffff\uffff\uffff[~]\uffff', // 0x30
      '|ABCDEFGHIJKLMNO', // 0x40
      'PQRSTUVWXYZ\uffff\uffff\uffff\uffff\uffff', // 0x50
      '\uffff\uffff\uffff\uffff\uffff€\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff', // 0x60
      '\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff', // 0x70
    ]),
  ],
  // A.2.5 Gujarati (70 defined positions)
  [
    5,
    tableFromRows([
      '@£$¥¿"¤%&\'\f*+\uffff-/', // 0x00
      '<=>¡^¡_#*\u0964\u0965\uffff\u0ae6\u0ae7\u0ae8\u0ae9', // 0x10
      '\u0aea\u0aeb\u0aec\u0aed\u0aee\u0aef\uffff\uffff{}\uffff\uffff\uffff\uffff\uffff\\', // 0x20
      '\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff[~]\uffff', // 0x30
      '|ABCDEFGHIJKLMNO', // 0x40
      'PQRSTUVWXYZ\uffff\uffff\uffff\uffff\uffff', // 0x50
      '\uffff\uffff\uffff\uffff\uffff€\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff', // 0x60
      '\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff', // 0x70
    ]),
  ],
  // A.2.6 Hindi (88 defined positions)
  [
    6,
    tableFromRows([
      '@£$¥¿"¤%&\'\f*+\uffff-/', // 0x00
      '<=>¡^¡_#*\u0964\u0965\uffff\u0966\u0967\u0968\u0969', // 0x10
      '\u096a\u096b\u096c\u096d\u096e\u096f\u0951\u0952{}\u0953\u0954\u0958\u0959\u095a\\', // 0x20
      '\u095b\u095c\u095d\u095e\u095f\u0960\u0961\u0962\u0963\u0970\u0971\uffff[~]\uffff', // 0x30
      '|ABCDEFGHIJKLMNO', // 0x40
      'PQRSTUVWXYZ\uffff\uffff\uffff\uffff\uffff', // 0x50
      '\uffff\uffff\uffff\uffff\uffff€\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff', // 0x60
      '\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff', // 0x70
    ]),
  ],
  // A.2.7 Kannada (73 defined positions)
  [
    7,
    tableFromRows([
      '@£$¥¿"¤%&\'\f*+\uffff-/', // 0x00
      '<=>¡^¡_#*\u0964\u0965\uffff\u0ce6\u0ce7\u0ce8\u0ce9', // 0x10
      '\u0cea\u0ceb\u0cec\u0ced\u0cee\u0cef\u0cde\u0cf1{}\u0cf2\uffff\uffff\uffff\uffff\\', // 0x20
      '\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff[~]\uffff', // 0x30
      '|ABCDEFGHIJKLMNO', // 0x40
      'PQRSTUVWXYZ\uffff\uffff\uffff\uffff\uffff', // 0x50
      '\uffff\uffff\uffff\uffff\uffff€\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff', // 0x60
      '\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff', // 0x70
    ]),
  ],
  // A.2.8 Malayalam (82 defined positions)
  [
    8,
    tableFromRows([
      '@£$¥¿"¤%&\'\f*+\uffff-/', // 0x00
      '<=>¡^¡_#*\u0964\u0965\uffff\u0d66\u0d67\u0d68\u0d69', // 0x10
      '\u0d6a\u0d6b\u0d6c\u0d6d\u0d6e\u0d6f\u0d70\u0d71{}\u0d72\u0d73\u0d74\u0d75\u0d7a\\', // 0x20
      '\u0d7b\u0d7c\u0d7d\u0d7e\u0d7f\uffff\uffff\uffff\uffff\uffff\uffff\uffff[~]\uffff', // 0x30
      '|ABCDEFGHIJKLMNO', // 0x40
      'PQRSTUVWXYZ\uffff\uffff\uffff\uffff\uffff', // 0x50
      '\uffff\uffff\uffff\uffff\uffff€\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff', // 0x60
      '\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff', // 0x70
    ]),
  ],
  // A.2.9 Oriya (75 defined positions)
  [
    9,
    tableFromRows([
      '@£$¥¿"¤%&\'\f*+\uffff-/', // 0x00
      '<=>¡^¡_#*\u0964\u0965\uffff\u0b66\u0b67\u0b68\u0b69', // 0x10
      '\u0b6a\u0b6b\u0b6c\u0b6d\u0b6e\u0b6f\u0b5c\u0b5d{}\u0b5f\u0b70\u0b71\uffff\uffff\\', // 0x20
      '\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff[~]\uffff', // 0x30
      '|ABCDEFGHIJKLMNO', // 0x40
      'PQRSTUVWXYZ\uffff\uffff\uffff\uffff\uffff', // 0x50
      '\uffff\uffff\uffff\uffff\uffff€\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff', // 0x60
      '\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff', // 0x70
    ]),
  ],
  // A.2.10 Punjabi (76 defined positions)
  [
    10,
    tableFromRows([
      '@£$¥¿"¤%&\'\f*+\uffff-/', // 0x00
      '<=>¡^¡_#*\u0964\u0965\uffff\u0a66\u0a67\u0a68\u0a69', // 0x10
      '\u0a6a\u0a6b\u0a6c\u0a6d\u0a6e\u0a6f\u0a59\u0a5a{}\u0a5b\u0a5c\u0a5e\u0a75\uffff\\', // 0x20
      '\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff[~]\uffff', // 0x30
      '|ABCDEFGHIJKLMNO', // 0x40
      'PQRSTUVWXYZ\uffff\uffff\uffff\uffff\uffff', // 0x50
      '\uffff\uffff\uffff\uffff\uffff€\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff', // 0x60
      '\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff', // 0x70
    ]),
  ],
  // A.2.11 Tamil (77 defined positions)
  [
    11,
    tableFromRows([
      '@£$¥¿"¤%&\'\f*+\uffff-/', // 0x00
      '<=>¡^¡_#*\u0964\u0965\uffff\u0be6\u0be7\u0be8\u0be9', // 0x10
      '\u0bea\u0beb\u0bec\u0bed\u0bee\u0bef\u0bf3\u0bf4{}\u0bf5\u0bf6\u0bf7\u0bf8\u0bfa\\', // 0x20
      '\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff[~]\uffff', // 0x30
      '|ABCDEFGHIJKLMNO', // 0x40
      'PQRSTUVWXYZ\uffff\uffff\uffff\uffff\uffff', // 0x50
      '\uffff\uffff\uffff\uffff\uffff€\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff', // 0x60
      '\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff', // 0x70
    ]),
  ],
  // A.2.12 Telugu (78 defined positions)
  [
    12,
    tableFromRows([
      '@£$¥¿"¤%&\'\f*+\uffff-/', // 0x00
      '<=>¡^¡_#*\uffff\uffff\uffff\u0c66\u0c67\u0c68\u0c69', // 0x10
      '\u0c6a\u0c6b\u0c6c\u0c6d\u0c6e\u0c6f\u0c58\u0c59{}\u0c78\u0c79\u0c7a\u0c7b\u0c7c\\', // 0x20
      '\u0c7d\u0c7e\u0c7f\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff[~]\uffff', // 0x30
      '|ABCDEFGHIJKLMNO', // 0x40
      'PQRSTUVWXYZ\uffff\uffff\uffff\uffff\uffff', // 0x50
      '\uffff\uffff\uffff\uffff\uffff€\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff', // 0x60
      '\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff', // 0x70
    ]),
  ],
  // A.2.13 Urdu (90 defined positions)
  [
    13,
    tableFromRows([
      '@£$¥¿"¤%&\'\f*+\uffff-/', // 0x00
      '<=>¡^¡_#*؀؁\uffff۰۱۲۳', // 0x10
      '۴۵۶۷۸۹،؍{}؎؏ؐؑؒ\\', // 0x20
      'ؓؔ؛؟ـْ٘٫٬ٲٳۍ[~]۔', // 0x30
      '|ABCDEFGHIJKLMNO', // 0x40
      'PQRSTUVWXYZ\uffff\uffff\uffff\uffff\uffff', // 0x50
      '\uffff\uffff\uffff\uffff\uffff€\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff', // 0x60
      '\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff', // 0x70
    ]),
  ],
]);
