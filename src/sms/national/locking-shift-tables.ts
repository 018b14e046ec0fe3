/**
 * National language locking shift tables, 3GPP TS 23.038 Annex A.3 (A.3.2 Spanish is void).
 *
 * Data only. Each table is 8 rows of 16 positions (row comment = first septet value of the row);
 * `\uffff` marks a position the spec leaves undefined and becomes `''`. Position 0x1B is the
 * escape to the single shift table and is `''` too.
 *
 * Transcribed from TS 23.038 Annex A and checked position by position against the AOSP
 * GsmAlphabet tables; where the sources differ the choice is documented here:
 * - 0x2C is COMMA in every Indic and the Urdu table (two implementations agree; one transcription
 *   of the spec shows an apostrophe there).
 * - Kannada 0x24 is U+0CA1 KANNADA LETTER DDA: the spec prints U+0CAA (PA), which also sits at
 *   0x3D; handsets follow the corrected value, so a message they send decodes as written.
 */

import { tableFromRows } from './table-rows.js';

/** Locking shift tables (Annex A.3), keyed by national language identifier (TS 23.038 §6.2.1.2.4 / Annex A). */
export const LOCKING_SHIFT_TABLES: ReadonlyMap<number, readonly string[]> = new Map([
  // A.3.1 Turkish (127 defined positions)
  [
    1,
    tableFromRows([
      '@£$¥€éùıòÇ\nĞğ\rÅå', // 0x00
      'Δ_ΦΓΛΩΠΨΣΘΞ\uffffŞşßÉ', // 0x10
      ' !"#¤%&\'()*+,-./', // 0x20
      '0123456789:;<=>?', // 0x30
      'İABCDEFGHIJKLMNO', // 0x40
      'PQRSTUVWXYZÄÖÑÜ§', // 0x50
      'çabcdefghijklmno', // 0x60
      'pqrstuvwxyzäöñüà', // 0x70
    ]),
  ],
  // A.3.3 Portuguese (127 defined positions)
  [
    3,
    tableFromRows([
      '@£$¥êéúíóç\nÔô\rÁá', // 0x00
      'Δ_ªÇÀ∞^\\€Ó|\uffffÂâÊÉ', // 0x10
      ' !"#º%&\'()*+,-./', // 0x20
      '0123456789:;<=>?', // 0x30
      'ÍABCDEFGHIJKLMNO', // 0x40
      'PQRSTUVWXYZÃÕÚÜ§', // 0x50
      '~abcdefghijklmno', // 0x60
      'pqrstuvwxyzãõ`üà', // 0x70
    ]),
  ],
  // A.3.4 Bengali (114 defined positions)
  [
    4,
    tableFromRows([
      '\u0981\u0982\u0983\u0985\u0986\u0987\u0988\u0989\u098a\u098b\n\u098c\uffff\r\uffff\u098f', // 0x00
      '\u0990\uffff\uffff\u0993\u0994\u0995\u0996\u0997\u0998\u0999\u099a\uffff\u099b\u099c\u099d\u099e', // 0x10
      ' !\u099f\u09a0\u09a1\u09a2\u09a3\u09a4)(\u09a5\u09a6,\u09a7.\u09a8', // 0x20
      '0123456789:;\uffff\u09aa\u09ab?', // 0x30
      '\u09ac\u09ad\u09ae\u09af\u09b0\uffff\u09b2\uffff\uffff\uffff\u09b6\u09b7\u09b8\u09b9\u09bc\u09bd', // 0x40
      '\u09be\u09bf\u09c0\u09c1\u09c2\u09c3\u09c4\uffff\uffff\u09c7\u09c8\uffff\uffff\u09cb\u09cc\u09cd', // 0x50
      '\u09ceabcdefghijklmno', // 0x60
      'pqrstuvwxyz\u09d7\u09dc\u09dd\u09f0\u09f1', // 0x70
    ]),
  ],
  // A.3.5 Gujarati (120 defined positions)
  [
    5,
    tableFromRows([
      '\u0a81\u0a82\u0a83\u0a85\u0a86\u0a87\u0a88\u0a89\u0a8a\u0a8b\n\u0a8c\u0a8d\r\uffff\u0a8f', // 0x00
      '\u0a90\u0a91\uffff\u0a93\u0a94\u0a95\u0a96\u0a97\u0a98\u0a99\u0a9a\uffff\u0a9b\u0a9c\u0a9d\u0a9e', // 0x10
      ' !\u0a9f\u0aa0\u0aa1\u0aa2\u0aa3\u0aa4)(\u0aa5\u0aa6,\u0aa7.\u0aa8', // 0x20
      '0123456789:;\uffff\u0aaa\u0aab?', // 0x30
      '\u0aac\u0aad\u0aae\u0aaf\u0ab0\uffff\u0ab2\u0ab3\uffff\u0ab5\u0ab6\u0ab7\u0ab8\u0ab9\u0abc\u0abd', // 0x40
      '\u0abe\u0abf\u0ac0\u0ac1\u0ac2\u0ac3\u0ac4\u0ac5\uffff\u0ac7\u0ac8\u0ac9\uffff\u0acb\u0acc\u0acd', // 0x50
      '\u0ad0abcdefghijklmno', // 0x60
      'pqrstuvwxyz\u0ae0\u0ae1\u0ae2\u0ae3\u0af1', // 0x70
    ]),
  ],
  // A.3.6 Hindi (127 defined positions)
  [
    6,
    tableFromRows([
      '\u0901\u0902\u0903\u0905\u0906\u0907\u0908\u0909\u090a\u090b\n\u090c\u090d\r\u090e\u090f', // 0x00
      '\u0910\u0911\u0912\u0913\u0914\u0915\u0916\u0917\u0918\u0919\u091a\uffff\u091b\u091c\u091d\u091e', // 0x10
      ' !\u091f\u0920\u0921\u0922\u0923\u0924)(\u0925\u0926,\u0927.\u0928', // 0x20
      '0123456789:;\u0929\u092a\u092b?', // 0x30
      '\u092c\u092d\u092e\u092f\u0930\u0931\u0932\u0933\u0934\u0935\u0936\u0937\u0938\u0939\u093c\u093d', // 0x40
      '\u093e\u093f\u0940\u0941\u0942\u0943\u0944\u0945\u0946\u0947\u0948\u0949\u094a\u094b\u094c\u094d', // 0x50
      '\u0950abcdefghijklmno', // 0x60
      'pqrstuvwxyz\u0972\u097b\u097c\u097e\u097f', // 0x70
    ]),
  ],
  // A.3.7 Kannada (120 defined positions)
  [
    7,
    tableFromRows([
      '\uffff\u0c82\u0c83\u0c85\u0c86\u0c87\u0c88\u0c89\u0c8a\u0c8b\n\u0c8c\uffff\r\u0c8e\u0c8f', // 0x00
      '\u0c90\uffff\u0c92\u0c93\u0c94\u0c95\u0c96\u0c97\u0c98\u0c99\u0c9a\uffff\u0c9b\u0c9c\u0c9d\u0c9e', // 0x10
      ' !\u0c9f\u0ca0\u0ca1\u0ca2\u0ca3\u0ca4)(\u0ca5\u0ca6,\u0ca7.\u0ca8', // 0x20
      '0123456789:;\uffff\u0caa\u0cab?', // 0x30
      '\u0cac\u0cad\u0cae\u0caf\u0cb0\u0cb1\u0cb2\u0cb3\uffff\u0cb5\u0cb6\u0cb7\u0cb8\u0cb9\u0cbc\u0cbd', // 0x40
      '\u0cbe\u0cbf\u0cc0\u0cc1\u0cc2\u0cc3\u0cc4\uffff\u0cc6\u0cc7\u0cc8\uffff\u0cca\u0ccb\u0ccc\u0ccd', // 0x50
      '\u0cd5abcdefghijklmno', // 0x60
      'pqrstuvwxyz\u0cd6\u0ce0\u0ce1\u0ce2\u0ce3', // 0x70
    ]),
  ],
  // A.3.8 Malayalam (120 defined positions)
  [
    8,
    tableFromRows([
      '\uffff\u0d02\u0d03\u0d05\u0d06\u0d07\u0d08\u0d09\u0d0a\u0d0b\n\u0d0c\uffff\r\u0d0e\u0d0f', // 0x00
      '\u0d10\uffff\u0d12\u0d13\u0d14\u0d15\u0d16\u0d17\u0d18\u0d19\u0d1a\uffff\u0d1b\u0d1c\u0d1d\u0d1e', // 0x10
      ' !\u0d1f\u0d20\u0d21\u0d22\u0d23\u0d24)(\u0d25\u0d26,\u0d27.\u0d28', // 0x20
      '0123456789:;\uffff\u0d2a\u0d2b?', // 0x30
      '\u0d2c\u0d2d\u0d2e\u0d2f\u0d30\u0d31\u0d32\u0d33\u0d34\u0d35\u0d36\u0d37\u0d38\u0d39\uffff\u0d3d', // 0x40
      '\u0d3e\u0d3f\u0d40\u0d41\u0d42\u0d43\u0d44\uffff\u0d46\u0d47\u0d48\uffff\u0d4a\u0d4b\u0d4c\u0d4d', // 0x50
      '\u0d57abcdefghijklmno', // 0x60
      'pqrstuvwxyz\u0d60\u0d61\u0d62\u0d63\u0d79', // 0x70
    ]),
  ],
  // A.3.9 Oriya (116 defined positions)
  [
    9,
    tableFromRows([
      '\u0b01\u0b02\u0b03\u0b05\u0b06\u0b07\u0b08\u0b09\u0b0a\u0b0b\n\u0b0c\uffff\r\uffff\u0b0f', // 0x00
      '\u0b10\uffff\uffff\u0b13\u0b14\u0b15\u0b16\u0b17\u0b18\u0b19\u0b1a\uffff\u0b1b\u0b1c\u0b1d\u0b1e', // 0x10
      ' !\u0b1f\u0b20\u0b21\u0b22\u0b23\u0b24)(\u0b25\u0b26,\u0b27.\u0b28', // 0x20
      '0123456789:;\uffff\u0b2a\u0b2b?', // 0x30
      '\u0b2c\u0b2d\u0b2e\u0b2f\u0b30\uffff\u0b32\u0b33\uffff\u0b35\u0b36\u0b37\u0b38\u0b39\u0b3c\u0b3d', // 0x40
      '\u0b3e\u0b3f\u0b40\u0b41\u0b42\u0b43\u0b44\uffff\uffff\u0b47\u0b48\uffff\uffff\u0b4b\u0b4c\u0b4d', // 0x50
      '\u0b56abcdefghijklmno', // 0x60
      'pqrstuvwxyz\u0b57\u0b60\u0b61\u0b62\u0b63', // 0x70
    ]),
  ],
  // A.3.10 Punjabi (110 defined positions)
  [
    10,
    tableFromRows([
      '\u0a01\u0a02\u0a03\u0a05\u0a06\u0a07\u0a08\u0a09\u0a0a\uffff\n\uffff\uffff\r\uffff\u0a0f', // 0x00
      '\u0a10\uffff\uffff\u0a13\u0a14\u0a15\u0a16\u0a17\u0a18\u0a19\u0a1a\uffff\u0a1b\u0a1c\u0a1d\u0a1e', // 0x10
      ' !\u0a1f\u0a20\u0a21\u0a22\u0a23\u0a24)(\u0a25\u0a26,\u0a27.\u0a28', // 0x20
      '0123456789:;\uffff\u0a2a\u0a2b?', // 0x30
      '\u0a2c\u0a2d\u0a2e\u0a2f\u0a30\uffff\u0a32\u0a33\uffff\u0a35\u0a36\uffff\u0a38\u0a39\u0a3c\uffff', // 0x40
      '\u0a3e\u0a3f\u0a40\u0a41\u0a42\uffff\uffff\uffff\uffff\u0a47\u0a48\uffff\uffff\u0a4b\u0a4c\u0a4d', // 0x50
      '\u0a51abcdefghijklmno', // 0x60
      'pqrstuvwxyz\u0a70\u0a71\u0a72\u0a73\u0a74', // 0x70
    ]),
  ],
  // A.3.11 Tamil (102 defined positions)
  [
    11,
    tableFromRows([
      '\uffff\u0b82\u0b83\u0b85\u0b86\u0b87\u0b88\u0b89\u0b8a\uffff\n\uffff\uffff\r\u0b8e\u0b8f', // 0x00
      '\u0b90\uffff\u0b92\u0b93\u0b94\u0b95\uffff\uffff\uffff\u0b99\u0b9a\uffff\uffff\u0b9c\uffff\u0b9e', // 0x10
      ' !\u0b9f\uffff\uffff\uffff\u0ba3\u0ba4)(\uffff\uffff,\uffff.\u0ba8', // 0x20
      '0123456789:;\u0ba9\u0baa\uffff?', // 0x30
      '\uffff\uffff\u0bae\u0baf\u0bb0\u0bb1\u0bb2\u0bb3\u0bb4\u0bb5\u0bb6\u0bb7\u0bb8\u0bb9\uffff\uffff', // 0x40
      '\u0bbe\u0bbf\u0bc0\u0bc1\u0bc2\uffff\uffff\uffff\u0bc6\u0bc7\u0bc8\uffff\u0bca\u0bcb\u0bcc\u0bcd', // 0x50
      '\u0bd0abcdefghijklmno', // 0x60
      'pqrstuvwxyz\u0bd7\u0bf0\u0bf1\u0bf2\u0bf9', // 0x70
    ]),
  ],
  // A.3.12 Telugu (120 defined positions)
  [
    12,
    tableFromRows([
      '\u0c01\u0c02\u0c03\u0c05\u0c06\u0c07\u0c08\u0c09\u0c0a\u0c0b\n\u0c0c\uffff\r\u0c0e\u0c0f', // 0x00
      '\u0c10\uffff\u0c12\u0c13\u0c14\u0c15\u0c16\u0c17\u0c18\u0c19\u0c1a\uffff\u0c1b\u0c1c\u0c1d\u0c1e', // 0x10
      ' !\u0c1f\u0c20\u0c21\u0c22\u0c23\u0c24)(\u0c25\u0c26,\u0c27.\u0c28', // 0x20
      '0123456789:;\uffff\u0c2a\u0c2b?', // 0x30
      '\u0c2c\u0c2d\u0c2e\u0c2f\u0c30\u0c31\u0c32\u0c33\uffff\u0c35\u0c36\u0c37\u0c38\u0c39\uffff\u0c3d', // 0x40
      '\u0c3e\u0c3f\u0c40\u0c41\u0c42\u0c43\u0c44\uffff\u0c46\u0c47\u0c48\uffff\u0c4a\u0c4b\u0c4c\u0c4d', // 0x50
      '\u0c55abcdefghijklmno', // 0x60
      'pqrstuvwxyz\u0c56\u0c60\u0c61\u0c62\u0c63', // 0x70
    ]),
  ],
  // A.3.13 Urdu (127 defined positions)
  [
    13,
    tableFromRows([
      'اآبٻڀپڦتۂٿ\nٹٽ\rٺټ', // 0x00
      'ثجځڄڃڅچڇحخد\uffffڌڈډڊ', // 0x10
      ' !ڏڍذرڑړ)(ڙز,ږ.ژ', // 0x20
      '0123456789:;ښسش?', // 0x30
      'صضطظعفقکڪګگڳڱلمن', // 0x40
      'ںڻڼوۄەہھءیېےٍُِٗ', // 0x50
      'ٔabcdefghijklmno', // 0x60
      'pqrstuvwxyzّٰٕٖٓ', // 0x70
    ]),
  ],
]);
