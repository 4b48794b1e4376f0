/** Lists the Context Handlers registered for a domain. */
import type { AppDeps } from '../../app-deps';
import { contextHandlerView } from './register-context-handler';

export async function listContextHandlers(deps: Pick<AppDeps, 'repos'>, domainId: string) {
  return (await deps.repos.contextHandlers.list(domainId)).map(contextHandlerView);
}
