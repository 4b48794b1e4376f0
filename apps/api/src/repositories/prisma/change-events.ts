/**
 * Appends a change event for a domain inside the caller's transaction, bumping nothing else.
 * On PostgreSQL the event also NOTIFYs every listening replica at commit.
 */
import type { Tx } from '../../db/open-database';
import type { DatabaseProvider } from '../../db/database-url';

export const CHANGE_CHANNEL = 'safax_changes';
/** Change event domain id meaning "every domain" (a service change: UDFs, Context Handlers). */
export const ALL_DOMAINS = '*';

export async function appendChange(tx: Tx, provider: DatabaseProvider, domainId: string): Promise<void> {
  await tx.changeEvent.create({ data: { domainId } });
  if (provider === 'postgresql') await tx.$executeRaw`SELECT pg_notify(${CHANGE_CHANNEL}, ${domainId})`;
}
