import { DASHBOARD_ASSETS, dashboardBuilt } from '@cogov/dashboard';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { problem } from '../../problems/registry.ts';

/**
 * The page reads the public API with the user's token and nothing else: scripts and connections
 * from this origin only, no frames, no plugins. ECharts draws SVG and styles elements from script
 * (CSSOM), which style-src does not govern; the page's own styles are a file.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The statistics dashboard (数据大屏): `/dashboard/`, and `/` sends a browser there. */
export const dashboardRoutes: FastifyPluginAsync = async (app) => {
  app.get('/', { schema: { hide: true } }, (_request, reply) => reply.redirect('/dashboard/', 302));
  if (!dashboardBuilt()) {
    // A checkout that was never built (pnpm install builds it): say so rather than 404.
    app.get('/dashboard/*', { schema: { hide: true } }, () => {
      throw problem(
        'not-found',
        'The dashboard has not been built: run `npx -y pnpm@10 build` (pnpm install does it).',
      );
    });
    return;
  }
  await app.register(fastifyStatic, {
    root: DASHBOARD_ASSETS,
    prefix: '/dashboard/',
    // The router ignores trailing slashes: /dashboard and /dashboard/ are the page (below).
    index: false,
    cacheControl: true,
    maxAge: 60_000,
    setHeaders: (res) => {
      res.header('content-security-policy', CONTENT_SECURITY_POLICY);
      res.header('x-content-type-options', 'nosniff');
      res.header('referrer-policy', 'no-referrer');
    },
  });
  app.get('/dashboard', { schema: { hide: true } }, (_request, reply) =>
    reply.header('cache-control', 'no-cache').sendFile('index.html'),
  );
};
