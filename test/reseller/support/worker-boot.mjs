// Runs a TypeScript module in a worker thread: registers tsx, then imports `workerData.module`.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
