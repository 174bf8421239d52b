import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PATH_FILE = fileURLToPath(new URL('../../.tools/temporal-cli.path', import.meta.url));

/**
 * The Temporal CLI that scripts/ensure-temporal-cli.mjs settled on: $TEMPORAL_CLI_PATH, else the
 * path it recorded, else `temporal` from PATH.
 */
export function temporalCliPath(): string {
  if (process.env.TEMPORAL_CLI_PATH) return process.env.TEMPORAL_CLI_PATH;
  if (existsSync(PATH_FILE)) return readFileSync(PATH_FILE, 'utf8').trim();
  return 'temporal';
}
