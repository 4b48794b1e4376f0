/** Entry point: server state (TanStack Query), the unsaved-changes guard, the session, the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { App } from './app';
import { createQueryClient } from './lib/query-client';
import { SessionProvider } from './lib/session';
import { UnsavedChangesProvider } from './lib/unsaved-changes';
import './styles.css';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={createQueryClient()}>
        <UnsavedChangesProvider>
          <SessionProvider>
            <App />
          </SessionProvider>
        </UnsavedChangesProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}
