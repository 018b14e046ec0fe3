import type { Migration } from '../database.js';

/**
 * One schema step for both backends: `sql` in SQLite's dialect (run by `runMigrations`), and
 * `postgres`, the same step in PostgreSQL's (run by `runPgMigrations`). Both stores then carry
 * the same version numbers, and a step is added to both at once or to neither.
 */
export interface DualMigration extends Migration {
  postgres: string;
}
