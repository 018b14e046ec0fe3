import type { NationalShiftTables } from './shift-tables.js';
import type { PduDecodeOptions } from './types.js';

/** Options of the PDU decoders: the shared {@link PduDecodeOptions} plus the table source. */
export interface PduDecoderOptions extends PduDecodeOptions {
  /**
   * National language shift tables for UDH IEs 0x24/0x25 (TS 23.038 Annex A). Defaults to the
   * tables shipped with the codec; tests may pass their own.
   */
  nationalTables?: NationalShiftTables;
}
