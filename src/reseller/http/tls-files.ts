import { readFile } from 'node:fs/promises';
import { GatewayError } from '../../errors.js';
import type { TlsMaterial } from '../../http/core/types.js';

/** `reseller.tls`: PEM files of the certificate (chain) and its private key. */
export interface TlsFiles {
  cert: string;
  key: string;
}

/** Reads both PEM files; an unreadable one is a config error naming the key and the path. */
export async function readTlsFiles(files: TlsFiles): Promise<TlsMaterial> {
  const read = async (which: 'cert' | 'key'): Promise<Buffer> => {
    try {
      return await readFile(files[which]);
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new GatewayError(
        'CONFIG_TLS_FILE',
        `reseller.tls.${which}: cannot read ${files[which]} (${reason})`,
        {
          cause: err,
        },
      );
    }
  };
  const [cert, key] = await Promise.all([read('cert'), read('key')]);
  return { cert, key };
}
