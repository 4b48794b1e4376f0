/**
 * PAP: versioned policies of a domain. Upload takes one XML document (application/xml,
 * application/xacml+xml, text/xml) or a JSON batch `{ policies: [{ text, name? }], activate? }`.
 */
import { checkedBody } from '../server/input-hygiene';
import express, { Router } from 'express';
import type { Request } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { requireActor } from '../auth/authenticate';
import { ApiError } from '../errors/api-error';
import { onDomain } from '../audit/audit-scopes';
import { auditTrail, noteAudit } from '../audit/audit-trail';
import type { Guard } from '../pep/guard';
import { activatePolicyVersion } from '../services/policies/activate-policy-version';
import { deletePolicyVersion } from '../services/policies/delete-policy-version';
import { getPolicyVersion } from '../services/policies/get-policy-version';
import { listDeployments } from '../services/policies/list-deployments';
import { listPolicies } from '../services/policies/list-policies';
import { removePolicy } from '../services/policies/remove-policy';
import { rollbackPolicies } from '../services/policies/rollback-policies';
import { uploadPolicies } from '../services/policies/upload-policies';
import type { UploadedDocument } from '../services/policies/upload-policies';
import { validatePolicies } from '../services/policies/validate-policies';
import { bodyType, pathParam, validate } from './http-helpers';

export const XML_TYPES = ['application/xacml+xml', 'application/xml', 'text/xml'] as const;
const POLICY_UPLOAD = /^\/api\/v1\/domains\/[^/?]+\/policies(?:\/validate)?(?:\?|$)/;

/** A request whose body is policy documents: its route reads it, after the PEP, up to the policy limit. */
export function isPolicyUpload(req: Request): boolean {
  return req.method === 'POST' && POLICY_UPLOAD.test(req.originalUrl);
}

export const uploadPoliciesBody = z.strictObject({
  policies: z.array(z.strictObject({ text: z.string().min(1), name: z.string().max(200).optional() })).min(1).max(500),
  activate: z.boolean().default(true),
});
export const uploadQuery = z.strictObject({ activate: z.enum(['true', 'false']).default('true') });
export const rollbackBody = z.strictObject({ deployment: z.number().int().min(1).optional() });
const exactVersion = z.string().regex(/^\d+(\.\d+)*$/, 'a XACML version (digits and dots)');
const versionParam = z.union([z.literal('latest'), exactVersion]);

export function policyRoutes(deps: AppDeps, guard: Guard): Router {
  const r = Router();
  const audit = auditTrail(deps);
  const active = (d: { number: number; policies: readonly { policyId: string; version: string }[] } | null) =>
    d ? `deployment #${d.number} active: ${d.policies.map((p) => `${p.policyId} v${p.version}`).join(', ') || 'no policies'}` : 'not activated';
  const domain = (req: Request) => ({ type: 'domain' as const, id: pathParam(req, 'domainId') });
  const xmlText = checkedBody(express.text({ type: [...XML_TYPES], limit: deps.config.policyLimitBytes }));
  const jsonBatch = checkedBody(express.json({ limit: deps.config.policyLimitBytes }));

  /** The documents of an upload body: one XML document, or the JSON batch. */
  const documentsOf = (req: Request): { docs: UploadedDocument[]; activate: boolean } => {
    if (bodyType(req, XML_TYPES)) {
      const q = validate(uploadQuery, req.query);
      if (typeof req.body !== 'string' || req.body.trim() === '') throw new ApiError('bad-request', 'empty policy document');
      return { docs: [{ text: req.body }], activate: q.activate === 'true' };
    }
    if (bodyType(req, ['application/json'])) {
      const b = validate(uploadPoliciesBody, req.body);
      return { docs: b.policies.map((p) => ({ text: p.text, ...(p.name !== undefined ? { name: p.name } : {}) })), activate: b.activate };
    }
    throw new ApiError('unsupported-media-type', `send ${XML_TYPES.join(', ')} or application/json`);
  };

  // Dry run: the upload's checks and compilation, nothing stored (the GUI's Validate).
  r.post('/api/v1/domains/:domainId/policies/validate', guard('policy:write', domain), xmlText, jsonBatch, async (req, res) => {
    res.json(await validatePolicies(deps, pathParam(req, 'domainId'), documentsOf(req).docs));
  });
  r.post('/api/v1/domains/:domainId/policies', guard('policy:write', domain), audit('policy.upload', onDomain(deps, 'policy')), xmlText, jsonBatch, async (req, res) => {
    const actor = requireActor(res.locals);
    const domainId = pathParam(req, 'domainId');
    let result;
    if (bodyType(req, XML_TYPES)) {
      const q = validate(uploadQuery, req.query);
      if (typeof req.body !== 'string' || req.body.trim() === '') throw new ApiError('bad-request', 'empty policy document');
      result = await uploadPolicies(deps, actor, domainId, [{ text: req.body }], q.activate === 'true');
    } else if (bodyType(req, ['application/json'])) {
      const b = validate(uploadPoliciesBody, req.body);
      result = await uploadPolicies(deps, actor, domainId, b.policies.map((p) => ({ text: p.text, ...(p.name !== undefined ? { name: p.name } : {}) })), b.activate);
    } else {
      throw new ApiError('unsupported-media-type', `send ${XML_TYPES.join(', ')} or application/json`);
    }
    noteAudit(res, {
      summary: `uploaded ${result.uploaded.map((u) => `${u.policyId} v${u.version}`).join(', ')}; ${active(result.deployment)}`,
      details: { uploaded: result.uploaded, deployment: result.deployment?.number ?? null },
    });
    res.status(201).json(result);
  });
  r.get('/api/v1/domains/:domainId/policies', guard('policy:read', domain), async (req, res) => {
    res.json({ items: await listPolicies(deps, pathParam(req, 'domainId')) });
  });
  r.get('/api/v1/domains/:domainId/policies/:policyId', guard('policy:read', domain), async (req, res) => {
    const v = await getPolicyVersion(deps, pathParam(req, 'domainId'), pathParam(req, 'policyId'), 'latest');
    sendPolicy(req, res, v);
  });
  r.delete('/api/v1/domains/:domainId/policies/:policyId', guard('policy:write', domain), audit('policy.remove', onDomain(deps, 'policy', 'policyId')), async (req, res) => {
    const deployment = await removePolicy(deps, requireActor(res.locals), pathParam(req, 'domainId'), pathParam(req, 'policyId'));
    noteAudit(res, { summary: `took ${pathParam(req, 'policyId')} out of the active set; ${active(deployment)}` });
    res.json({ deployment });
  });
  r.get('/api/v1/domains/:domainId/policies/:policyId/versions/:version', guard('policy:read', domain), async (req, res) => {
    const version = validate(versionParam, pathParam(req, 'version'));
    sendPolicy(req, res, await getPolicyVersion(deps, pathParam(req, 'domainId'), pathParam(req, 'policyId'), version));
  });
  r.delete('/api/v1/domains/:domainId/policies/:policyId/versions/:version', guard('policy:write', domain), audit('policy-version.delete', onDomain(deps, 'policy', 'policyId')), async (req, res) => {
    const version = validate(exactVersion, pathParam(req, 'version'));
    await deletePolicyVersion(deps, pathParam(req, 'domainId'), pathParam(req, 'policyId'), version);
    noteAudit(res, { summary: `deleted version ${version} of ${pathParam(req, 'policyId')}` });
    res.status(204).end();
  });
  r.post('/api/v1/domains/:domainId/policies/:policyId/versions/:version/activate', guard('policy:write', domain), audit('policy.activate', onDomain(deps, 'policy', 'policyId')), async (req, res) => {
    const version = validate(versionParam, pathParam(req, 'version'));
    const deployment = await activatePolicyVersion(deps, requireActor(res.locals), pathParam(req, 'domainId'), pathParam(req, 'policyId'), version);
    const now = deployment?.policies.find((p) => p.policyId === pathParam(req, 'policyId'))?.version ?? version;
    noteAudit(res, { summary: `activated ${pathParam(req, 'policyId')} v${now}; ${active(deployment)}` });
    res.json({ deployment });
  });
  r.get('/api/v1/domains/:domainId/deployments', guard('policy:read', domain), async (req, res) => {
    res.json({ items: await listDeployments(deps, pathParam(req, 'domainId')) });
  });
  r.post('/api/v1/domains/:domainId/deployments/rollback', guard('policy:write', domain), audit('deployment.rollback', onDomain(deps, 'deployment')), async (req, res) => {
    const b = validate(rollbackBody, req.body ?? {});
    const deployment = await rollbackPolicies(deps, requireActor(res.locals), pathParam(req, 'domainId'), b.deployment);
    noteAudit(res, { summary: `rolled back${b.deployment !== undefined ? ` to deployment #${b.deployment}` : ' to the previous deployment'}; ${active(deployment)}` });
    res.json({ deployment });
  });
  return r;
}

function sendPolicy(req: Request, res: express.Response, v: { text: string } & Record<string, unknown>): void {
  const wanted = req.accepts(['application/json', 'application/xacml+xml', 'application/xml']);
  if (wanted === 'application/xacml+xml' || wanted === 'application/xml') res.type(wanted).send(v.text);
  else res.json(v);
}
