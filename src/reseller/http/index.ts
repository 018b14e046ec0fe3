export {
  buildResellerServer,
  DEFAULT_RESELLER_SERVER_OPTIONS,
  type ResellerCall,
  type ResellerServerDeps,
  type ResellerServerOptions,
} from './server.js';
export { readTlsFiles, type TlsFiles } from './tls-files.js';
