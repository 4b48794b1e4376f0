/** Where the built GUI is, for the API to serve at /ui (undefined when `npm run build -w @safax/web` has not run). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const WEB_DIST = join(__dirname, 'dist');

export function webRoot(): string | undefined {
  return existsSync(join(WEB_DIST, 'index.html')) ? WEB_DIST : undefined;
}
