// Express wiring of the REST API under /services/data.
import express from 'express';
import { restAuth, restErrorHandler, locals } from './common';
import { dispatch } from './dispatch';
import type { State } from '../state';

const VERSIONS = ['55.0', '56.0', '57.0', '58.0', '59.0', '60.0', '61.0', '62.0', '63.0', '64.0', '65.0'];

export function restRouter(state: State): express.Router {
  const r = express.Router();
  // GET /services/data lists the versions without a session (REST API Developer Guide "Versions").
  r.get(['/services/data', '/services/data/'], (_req, res) => {
    res.json(VERSIONS.map((v) => ({ label: `v${v}`, url: `/services/data/v${v}`, version: v })));
  });
  r.all(
    '/services/data/:version{/*rest}',
    restAuth(state),
    express.json({ limit: '50mb', type: () => true }),
    async (req, res, next) => {
      try {
        const { org, session, version } = locals(res);
        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(',') : v]),
        );
        const sub = req.path.replace(/^\/services\/data\/[^/]+/, '') || '/';
        const url = new URL(req.originalUrl, 'http://x');
        // Parsed JSON (express types it any); an empty object without a Content-Length is "no body".
        const parsed: unknown = req.body;
        const body =
          parsed !== undefined &&
          !(
            typeof parsed === 'object' &&
            parsed !== null &&
            Object.keys(parsed).length === 0 &&
            !req.headers['content-length']
          )
            ? parsed
            : undefined;
        const reply = await dispatch(
          { state, org, session, version, headers },
          req.method,
          sub,
          url.searchParams,
          body,
        );
        for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
        if (reply.body === undefined) res.status(reply.status).end();
        else res.status(reply.status).json(reply.body);
      } catch (e) {
        next(e);
      }
    },
  );
  r.use(restErrorHandler);
  return r;
}
