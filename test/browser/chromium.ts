import { hasProgram, PROGRAMS } from '../support/programs.js';

/** Debian's Chromium, driven by playwright-core (no browser download on these machines). */
export const CHROMIUM_PATH = PROGRAMS.chromium.command;
export const HAS_CHROMIUM = hasProgram('chromium');

/**
 * Headless flags for a closed network: without the background-networking ones Chromium keeps
 * trying to reach its update and sync hosts.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
