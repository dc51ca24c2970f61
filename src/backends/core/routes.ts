import { trimEndWhile } from './trim-chars.js';

/** The protocol v1 routes, relative to the endpoint. */
export type RouteName = 'session' | 'runs' | 'approval' | 'cancel' | 'events' | 'feedback' | 'file' | 'threads' | 'thread' | 'handoff';

interface RouteDef {
  name: RouteName;
  /** Matched against the end of the path; longest routes first so `/files/session` is a file. */
  pattern: string;
  methods: readonly string[];
}

const ROUTES: readonly RouteDef[] = [
  { name: 'approval', pattern: '/runs/([^/]+)/approvals/([^/]+)', methods: ['POST'] },
  { name: 'cancel', pattern: '/runs/([^/]+)/cancel', methods: ['POST'] },
  { name: 'events', pattern: '/runs/([^/]+)/events', methods: ['GET'] },
  { name: 'feedback', pattern: '/runs/([^/]+)/feedback', methods: ['POST'] },
  { name: 'file', pattern: '/files/([^/]+)', methods: ['GET', 'HEAD'] },
  { name: 'thread', pattern: '/threads/([^/]+)', methods: ['GET', 'DELETE'] },
  { name: 'threads', pattern: '/threads', methods: ['GET'] },
  { name: 'handoff', pattern: '/handoff', methods: ['POST'] },
  { name: 'runs', pattern: '/runs', methods: ['POST'] },
  { name: 'session', pattern: '/session', methods: ['POST'] },
];

export interface RouteMatch {
  name: RouteName;
  params: string[];
  methods: readonly string[];
}

/** Normalises a base path to `/a/b` (no trailing slash); `''` for the root. */
export function normaliseBasePath(basePath: string): string {
  const trimmed = trimEndWhile(basePath.trim(), (c) => c === '/');
  return trimmed === '' ? '' : trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/**
 * Finds the route for `pathname`. With a base path, the part after it must be exactly a route;
 * without one, a route is matched as the path's suffix so the handler works wherever it is mounted.
 */
export function matchRoute(pathname: string, basePath: string | undefined): RouteMatch | null {
  let rest = pathname;
  let anchor = '';
  if (basePath !== undefined) {
    const base = normaliseBasePath(basePath);
    if (base) {
      if (pathname !== base && !pathname.startsWith(`${base}/`)) return null;
      rest = pathname.slice(base.length);
    }
    anchor = '^';
  }
  for (const route of ROUTES) {
    const m = new RegExp(`${anchor}${route.pattern}$`).exec(rest);
    if (!m) continue;
    try {
      return { name: route.name, params: m.slice(1).map((p) => decodeURIComponent(p)), methods: route.methods };
    } catch {
      return null; // malformed %-escape
    }
  }
  return null;
}
