import type { AtRequest } from '../command-line.js';
import { isStorageName, type StorageName } from '../sms-storage.js';
import type { StoredMessage } from '../types.js';
import { type CommandContext, type CommandHandler, cmsError, error, intArg, ok } from './context.js';

/** TS 27.005 §3 (general), §3.4 (indications) and §3.5 (read/delete) commands. */

/** Octets of the TPDU: the PDU hex minus the SMSC field (TS 27.005 §3.1 <length>). */
export function tpduLength(pdu: string): number {
  const smscLength = Number.parseInt(pdu.slice(0, 2), 16);
  const total = pdu.length / 2;
  return Number.isNaN(smscLength) ? total : Math.max(0, total - 1 - smscLength);
}

const cmgf: CommandHandler = (request, context) => {
  if (request.kind === 'read') return ok(`+CMGF: ${context.settings.messageFormat}`);
  if (request.kind === 'test') return ok('+CMGF: (0,1)');
  const mode = intArg(request, 0) ?? 0;
  if (mode > 1) return cmsError(302);
  context.settings.messageFormat = mode as 0 | 1;
  return ok();
};

const cscs: CommandHandler = (request, context) => {
  if (request.kind === 'read') return ok(`+CSCS: "${context.settings.charset}"`);
  if (request.kind === 'test') return ok('+CSCS: ("IRA","GSM","UCS2")');
  const charset = (request.args[0] ?? '').toUpperCase();
  if (!['IRA', 'GSM', 'UCS2', 'HEX', '8859-1'].includes(charset)) return error();
  context.settings.charset = charset;
  return ok();
};

const csdh: CommandHandler = (request, context) => {
  if (request.kind === 'read') return ok(`+CSDH: ${context.settings.showTextHeader ? 1 : 0}`);
  if (request.kind === 'test') return ok('+CSDH: (0,1)');
  context.settings.showTextHeader = intArg(request, 0) === 1;
  return ok();
};

/** AT+CPMS (TS 27.005 §3.2.2). */
const cpms: CommandHandler = (request, context) => {
  const { storage, settings } = context;
  const counts = (name: StorageName) => `${storage.used(name)},${storage.capacity(name)}`;
  if (request.kind === 'test') return ok('+CPMS: ("SM","ME","MT"),("SM","ME","MT"),("SM","ME","MT")');
  if (request.kind === 'read') {
    const parts = settings.storages.map((name) => `"${name}",${counts(name)}`);
    return ok(`+CPMS: ${parts.join(',')}`);
  }
  if (request.kind !== 'set' || request.args.length === 0) return error();
  const requested = request.args.map((arg) => arg.toUpperCase());
  if (!requested.every(isStorageName)) return cmsError(302);
  const next: [StorageName, StorageName, StorageName] = [...settings.storages];
  requested.slice(0, 3).forEach((name, i) => {
    next[i] = name as StorageName;
  });
  settings.storages = next;
  return ok(`+CPMS: ${next.map(counts).join(',')}`);
};

/** AT+CNMI (TS 27.005 §3.4.1): the profile answers its own capability list. */
const cnmi: CommandHandler = (request, context) => {
  if (request.kind === 'test') return ok(context.profile.cnmiCapability);
  if (request.kind === 'read') return ok(`+CNMI: ${context.settings.cnmi.join(',')}`);
  if (request.kind !== 'set') return error();
  const values = [0, 1, 2, 3, 4].map((i) => intArg(request, i));
  const [mode, mt, bm, ds, bfr] = values.map((v, i) => v ?? context.settings.cnmi[i] ?? 0) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (mode > 3 || mt > 3 || bm > 3 || ds > 2 || bfr > 1) return cmsError(303);
  context.settings.cnmi = [mode, mt, bm, ds, bfr];
  return ok();
};

/** AT+CSMS (TS 27.005 §3.2.1): service 1 makes +CMT/+CDS need +CNMA. */
const csms: CommandHandler = (request, context) => {
  if (request.kind === 'test') return ok('+CSMS: (0,1)');
  if (request.kind === 'read') return ok(`+CSMS: ${context.settings.smsService},1,1,1`);
  const service = intArg(request, 0) ?? 0;
  if (service > 1) return cmsError(303);
  context.settings.smsService = service as 0 | 1;
  return ok('+CSMS: 1,1,1');
};

/** AT+CNMA (TS 27.005 §3.4.4): acknowledges the last +CMT. */
const cnma: CommandHandler = (request, context) => {
  if (request.kind === 'test') return ok('+CNMA: (0-2)');
  if (context.settings.smsService !== 1) return cmsError(340);
  return context.acknowledgeDirect() ? ok() : cmsError(340);
};

const PDU_STAT_FILTERS: Record<string, number> = { '0': 0, '1': 1, '2': 2, '3': 3, '4': 4 };
const TEXT_STAT_FILTERS: Record<string, number> = {
  'REC UNREAD': 0,
  'REC READ': 1,
  'STO UNSENT': 2,
  'STO SENT': 3,
  ALL: 4,
};

function renderMessage(context: CommandContext, message: StoredMessage, listIndex: number | null): string[] {
  if (context.settings.messageFormat === 1) {
    const text = context.textModeHeader(message, listIndex);
    return [text.header, text.body];
  }
  const length = tpduLength(message.pdu);
  if (listIndex !== null) return [`+CMGL: ${listIndex},${message.status},,${length}`, message.pdu];
  const omitStatus =
    context.profile.cmgrWithoutStatusEvery > 0 &&
    context.readCount % context.profile.cmgrWithoutStatusEvery === 0;
  return [omitStatus ? `+CMGR: ,,${length}` : `+CMGR: ${message.status},,${length}`, message.pdu];
}

/** AT+CMGL (TS 27.005 §3.4.2 / §4.1): lists and marks unread ones read. */
const cmgl: CommandHandler = (request, context) => {
  const textMode = context.settings.messageFormat === 1;
  if (request.kind === 'test') {
    return ok(textMode ? '+CMGL: ("REC UNREAD","REC READ","STO UNSENT","STO SENT","ALL")' : '+CMGL: (0-4)');
  }
  const rawFilter = (request.args[0] ?? (textMode ? 'REC UNREAD' : '0')).toUpperCase();
  const filter = (textMode ? TEXT_STAT_FILTERS : PDU_STAT_FILTERS)[rawFilter];
  if (filter === undefined) return textMode ? cmsError(302) : cmsError(304);
  const memory = context.settings.storages[0];
  const lines: string[] = [];
  for (const message of context.storage.list(memory)) {
    if (filter !== 4 && message.status !== filter) continue;
    lines.push(...renderMessage(context, message, context.storage.indexIn(memory, message)));
    if (message.status === 0) context.storage.setStatus(memory, context.storage.indexIn(memory, message), 1);
  }
  return ok(...lines);
};

function targetIndex(request: AtRequest): number | null {
  return intArg(request, 0);
}

/** AT+CMGR (TS 27.005 §3.4.3): reading an unread message marks it read. */
const cmgr: CommandHandler = (request, context) => {
  if (request.kind === 'test') return ok();
  const index = targetIndex(request);
  const memory = context.settings.storages[0];
  if (index === null || !context.storage.isValidIndex(memory, index)) return cmsError(321);
  const message = context.storage.read(memory, index);
  // An empty slot answers OK with no data on most firmware (gammu treats it as empty).
  if (!message) return ok();
  context.readCount += 1;
  const lines = renderMessage(context, message, null);
  if (message.status === 0) context.storage.setStatus(memory, index, 1);
  return ok(...lines);
};

/** AT+CMGD (TS 27.005 §3.5.4): <delflag> 1 read, 2 read+sent, 3 read+sent+unsent, 4 all. */
const cmgd: CommandHandler = (request, context) => {
  const memory = context.settings.storages[0];
  const { storage } = context;
  if (request.kind === 'test') {
    const indices = storage.list(memory).map((m) => storage.indexIn(memory, m));
    return ok(`+CMGD: (${indices.join(',')}),(0-4)`);
  }
  const index = targetIndex(request);
  const flag = intArg(request, 1) ?? 0;
  if (index === null || flag > 4) return cmsError(302);
  if (flag === 0) {
    if (!storage.isValidIndex(memory, index)) return cmsError(321);
    const removed = storage.delete(memory, index);
    if (removed) context.messageDeleted(memory, removed);
    return ok();
  }
  const removable = (status: number) =>
    flag === 4 || status === 1 || (flag >= 2 && status === 3) || (flag >= 3 && status === 2);
  for (const message of storage.list(memory)) {
    if (!removable(message.status)) continue;
    const removed = storage.delete(memory, storage.indexIn(memory, message));
    if (removed) context.messageDeleted(memory, removed);
  }
  return ok();
};

/** SMS commands, by name; all of them answer CMS 314 while the SIM is busy. */
export const SMS_COMMANDS: Readonly<Record<string, CommandHandler>> = {
  '+CMGF': cmgf,
  '+CSCS': cscs,
  '+CSDH': csdh,
  '+CPMS': cpms,
  '+CNMI': cnmi,
  '+CSMS': csms,
  '+CNMA': cnma,
  '+CMGL': cmgl,
  '+CMGR': cmgr,
  '+CMGD': cmgd,
  '+CSCA': (request, context) =>
    request.kind === 'read' ? ok(`+CSCA: "+${context.identity.imsi.slice(0, 3)}0000000",145`) : ok(),
  '+CSMP': () => ok(),
};

/** Commands that do not touch the SMS service and keep working while SMS is not ready. */
export const SMS_COMMANDS_ALWAYS_AVAILABLE: ReadonlySet<string> = new Set(['+CMGF', '+CSCS', '+CSDH']);
