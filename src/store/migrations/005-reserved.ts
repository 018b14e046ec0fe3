import type { DualMigration } from './types.js';

/**
 * Version 5 belongs to the rent work (developed on another branch at the same time). This no-op
 * keeps the list numbered 1..n on this branch; at the merge it is replaced by that migration
 * and this file is deleted. Never ship a build with it: a store migrated by it would skip the
 * real step 5.
 */
export const migration005Reserved: DualMigration = {
  version: 5,
  name: 'reserved',
  sql: 'SELECT 1;',
  postgres: 'SELECT 1;',
};
