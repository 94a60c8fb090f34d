import type express from 'express';
import type { Domain } from '../domain/domain';
import { DomainError } from '../domain/errors';
import { auditPack } from '../domain/event/audit-pack';
import { dbId } from '../domain/ids';
import { log } from '../logger';
import { renderAuditHtml } from './audit-page';
import { authenticate } from './auth';

const STATUS: Partial<Record<DomainError['code'], number>> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, BAD_USER_INPUT: 400 };

/**
 * `GET /audit/model-versions/:id`: a version's audit pack for RISK_MANAGER and ADMIN, with a bearer
 * token like /graphql. `audit.json` by default; `?format=html` (or `Accept: text/html`) gives the
 * printable `audit.html`.
 */
export function mountAuditRoute(app: express.Express, domain: Domain): void {
  app.get('/audit/model-versions/:id', async (req, res) => {
    try {
      const viewer = await authenticate(domain, req.headers.authorization);
      if (!viewer) {
        res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'A valid token is required: send "Authorization: Bearer <token>".' });
        return;
      }
      const pack = await auditPack(domain.as(viewer), dbId('ModelVersion', req.params.id, 'Model version'));
      const html = req.query.format === 'html' || (req.query.format === undefined && req.accepts(['application/json', 'text/html']) === 'text/html');
      res.set('Cache-Control', 'no-store');
      if (html) {
        res.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'").type('html').send(renderAuditHtml(pack));
      } else {
        res.json(pack);
      }
    } catch (err) {
      if (err instanceof DomainError) {
        res.status(STATUS[err.code] ?? 400).json({ error: err.message });
        return;
      }
      log.error({ err }, 'audit pack failed');
      res.status(500).json({ error: 'Internal server error' });
    }
  });
}
