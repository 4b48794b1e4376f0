/** The shell: skip link, header with navigation and the signed-in principal, and the page for the current route. */
import { Suspense, lazy, useEffect, useRef } from 'react';
import { ProjectPage } from './pages/project-page';
import { ProjectsPage } from './pages/projects-page';
import { SignInPage } from './pages/sign-in-page';
import { Loading } from './components/status';
import { href, useRoute } from './lib/router';
import { useSession } from './lib/session';
import { useLeaveGuard } from './lib/unsaved-changes';

// The code editor and the chart are large: load them with the pages that use them, not at sign-in.
const DomainPage = lazy(() => import('./pages/domain-page').then((m) => ({ default: m.DomainPage })));
const ServicesPage = lazy(() => import('./pages/services-page').then((m) => ({ default: m.ServicesPage })));
const AuditPage = lazy(() => import('./pages/audit-page').then((m) => ({ default: m.AuditPage })));

function Page({ route }: { route: string[] }) {
  const [first, id, ...rest] = route;
  if (first === 'projects' && id && rest[0] === 'audit') return <AuditPage projectId={id} />;
  if (first === 'projects' && id) return <ProjectPage projectId={id} />;
  if (first === 'domains' && id) return <DomainPage domainId={id} tab={rest[0] ?? 'policies'} sub={rest[1]} />;
  if (first === 'services') return <ServicesPage />;
  if (first === 'audit') return <AuditPage />;
  return <ProjectsPage />;
}

export function App() {
  const session = useSession();
  const route = useRoute();
  const leave = useLeaveGuard();
  const main = useRef<HTMLElement>(null);
  const routeKey = route.join('/');
  // After navigation, move focus to the main region so keyboard and screen-reader users start at the new page.
  useEffect(() => {
    main.current?.focus();
  }, [routeKey]);

  if (session.restoring) return <Loading what="your session" />;
  if (!session.principal) return <SignInPage />;
  const section = route[0] ?? 'projects';
  const admin = session.principal.roles.includes('admin');
  return (
    <>
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); main.current?.focus(); }}>
        Skip to content
      </a>
      <header className="top">
        <a className="brand" href={href('projects')}>
          SAFAX-TS
        </a>
        <nav aria-label="Main">
          <a href={href('projects')} aria-current={section === 'projects' || section === 'domains' ? 'page' : undefined}>
            Projects
          </a>
          <a href={href('services')} aria-current={section === 'services' ? 'page' : undefined}>
            Service Repository
          </a>
          {!session.guest && (
            <a href={href('audit')} aria-current={section === 'audit' ? 'page' : undefined}>
              {admin ? 'Audit trail' : 'My activity'}
            </a>
          )}
          <a href="/docs/" target="_blank" rel="noopener">
            API docs<span className="sr-only"> (opens in a new tab)</span>
          </a>
        </nav>
        <div className="who">
          <span data-testid="signed-in-as">
            {session.guest ? 'Guest ' : ''}
            {session.principal.name}
          </span>
          <button type="button" onClick={() => leave(session.signOut)}>
            Sign out
          </button>
        </div>
      </header>
      {session.guest && (
        <p className="guest-banner" role="note">
          You are in guest mode: a throw-away domain, deleted {new Date(session.guest.expiresAt).toLocaleString()}, with quotas of {session.guest.quotas.projects} project, {session.guest.quotas.domains} domains,{' '}
          {session.guest.quotas.policyVersions} policy versions and {session.guest.quotas.pipAttributes} PIP attributes. Nobody else&apos;s data is visible to you.
        </p>
      )}
      <main id="main" ref={main} tabIndex={-1}>
        <Suspense fallback={<Loading what="the page" />}>
          <Page route={route} />
        </Suspense>
      </main>
    </>
  );
}
