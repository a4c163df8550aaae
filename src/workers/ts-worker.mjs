// Bootstrap of a worker thread whose code is TypeScript: on Node 20 a worker does not inherit the tsx loader
// of its parent (`--import tsx` in execArgv is not applied either), so it registers tsx itself and then imports
// the module named in workerData.entry (a file: URL).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
