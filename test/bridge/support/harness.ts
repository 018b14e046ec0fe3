import { IngestPipeline, type IngestPipelineOptions } from '../../../src/bridge/ingest.js';
import type { ReceivedSms } from '../../../src/modem/types.js';
import type { SqliteRepository } from '../../../src/store/sqlite-repository.js';
import { type FakeClock, fakeClock, type TempStore, tempStore } from '../../store/support/temp-db.js';

export const ICCID = '89701012345678901234';
export const PHONE = '79088081050';
export const UNKNOWN_ICCID = '89701019999999999999';

/** A temp-file store plus a pipeline over it; `restart()` closes and reopens both, like a crash. */
export interface BridgeHarness {
  clock: FakeClock;
  store: TempStore;
  repo: SqliteRepository;
  pipeline: IngestPipeline;
  pushQueued: number;
  restart(): void;
  cleanup(): void;
}

export function bridgeHarness(options: Partial<IngestPipelineOptions> = {}): BridgeHarness {
  const clock = fakeClock();
  const store = tempStore(clock);
  const harness: BridgeHarness = {
    clock,
    store,
    repo: undefined as unknown as SqliteRepository,
    pipeline: undefined as unknown as IngestPipeline,
    pushQueued: 0,
    restart() {
      if (harness.repo) harness.repo.database.close();
      const { repo } = store.open();
      harness.repo = repo;
      harness.pipeline = new IngestPipeline({
        repo,
        simDirectory: { phoneFor: ({ iccid }) => (iccid === ICCID ? PHONE : null) },
        clock,
        onPushQueued: () => {
          harness.pushQueued += 1;
        },
        ...options,
      });
    },
    cleanup: () => store.cleanup(),
  };
  harness.restart();
  return harness;
}

/** A message as the driver hands it over after `AT+CMGR=<index>`. */
export function stored(pdu: string, index = 1, iccid: string | null = ICCID): ReceivedSms {
  return {
    port: '/dev/gsm/slot1',
    iccid,
    imsi: null,
    origin: { kind: 'stored', storage: 'SM', index },
    pdu,
    textMode: null,
    status: 0,
    receivedAtMs: 1_700_000_000_000,
  };
}
