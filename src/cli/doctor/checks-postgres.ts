import { redactUrl } from '../../store/postgres/pg-connection.js';
import type { CheckResult, DoctorSystem } from './types.js';

const WHY =
  'every SMS is committed to the shared store before it is deleted from the SIM; while PostgreSQL is unreachable nothing is received and /healthz answers 503.';

/** `storage.postgres`: can this host connect, and is the schema one this build can run on. */
export async function checkPostgresStore(
  system: DoctorSystem,
  url: string,
  node: string,
): Promise<CheckResult[]> {
  const shown = redactUrl(url);
  if (system.probePostgres === undefined) {
    return [{ id: 'store', status: 'skip', summary: `skipped: cannot probe PostgreSQL ${shown} from here` }];
  }
  const probe = await system.probePostgres(url);
  if (probe.kind === 'error') {
    return [
      {
        id: 'store',
        status: 'fail',
        summary: `cannot use PostgreSQL ${shown}: ${probe.message} (${probe.code})`,
        why: WHY,
        fix: fixFor(probe.code),
      },
    ];
  }
  if (probe.schemaVersion > probe.latestVersion) {
    return [
      {
        id: 'store',
        status: 'fail',
        summary: `PostgreSQL ${shown} has schema ${probe.schemaVersion}, newer than this build (${probe.latestVersion})`,
        why: 'another host runs a newer simbridge; this one would refuse to start.',
        fix: 'upgrade simbridge on this host to the version the other hosts run',
      },
    ];
  }
  if (probe.schemaVersion < probe.latestVersion && !probe.canCreate) {
    return [
      {
        id: 'store',
        status: 'fail',
        summary: `PostgreSQL ${shown} needs migrations (schema ${probe.schemaVersion} of ${probe.latestVersion}) and this user may not create tables`,
        why: 'simbridge run migrates the store at start; without CREATE on the schema it cannot.',
        fix: 'GRANT CREATE ON SCHEMA public TO the simbridge user (or run the first start as the database owner)',
      },
    ];
  }
  const schema =
    probe.schemaVersion === probe.latestVersion
      ? `schema ${probe.schemaVersion}`
      : `schema ${probe.schemaVersion}, migrated to ${probe.latestVersion} at start`;
  return [
    {
      id: 'store',
      status: 'pass',
      summary: `PostgreSQL ${probe.serverVersion} at ${shown}, ${schema}; this host is node ${node}`,
    },
  ];
}

function fixFor(code: string): string {
  switch (code) {
    case '28P01':
    case '28000':
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own syntax, shown to the operator.
      return 'check the user and the password (given as ${VAR} in storage.postgres, from the unit environment file)';
    case '3D000':
      return 'create the database: sudo -u postgres createdb -O simbridge simbridge';
    case 'ECONNREFUSED':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENOTFOUND':
      return 'start PostgreSQL, let it listen on the farm network (listen_addresses, pg_hba.conf), and check the host and port in storage.postgres';
    default:
      return 'check storage.postgres and that the PostgreSQL server accepts this host (pg_hba.conf)';
  }
}
