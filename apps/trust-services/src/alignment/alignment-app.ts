/**
 * HTTP face of the policy-alignment service.
 *   POST   /aligned   XML <request><term/><vocabulary/></request> (or JSON {term, vocabulary})
 *                     → XML <aligned><term>…</term>…</aligned> (JSON {"aligned": [...]} if asked)   (the UDF)
 *   GET    /aligned?term=&vocabulary=       → JSON, for people
 *   GET    /mappings, GET /vocabularies
 *   POST   /mappings  {kind: equivalent|narrower, from: {vocabulary, term}, to: {vocabulary, term}}  (write)
 *   DELETE /mappings  (same body)  (write)
 * XML input is untrusted: DOCTYPE/entities are refused, size is bounded by the body limit.
 */
import type express from 'express';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { createBaseApp, finishApp, ID_PATTERN, requireWriteToken, ServiceError, validate, type TrustAppOptions } from '../common/http-app';
import type { DescriptorIdentity } from '../credential/credential-descriptor';
import { alignmentDescriptor } from './alignment-descriptor';
import type { AlignmentStore } from './alignment-store';

const id = z.string().regex(ID_PATTERN, 'an identifier is 1-200 printable characters');
const termRef = z.strictObject({ vocabulary: id, term: id });
export const mappingSchema = z.strictObject({ kind: z.enum(['equivalent', 'narrower']), from: termRef, to: termRef });
export const alignmentSeedSchema = z.strictObject({ mappings: z.array(mappingSchema).max(50_000).default([]) });
const askSchema = z.strictObject({ term: id, vocabulary: id });

const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, processEntities: true, htmlEntities: false });

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Reads `<request><term>t</term><vocabulary>v</vocabulary></request>`. */
export function readAskXml(text: string): unknown {
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) throw new ServiceError('invalid-input', 'DOCTYPE and entity declarations are not allowed');
  if (XMLValidator.validate(text) !== true) throw new ServiceError('invalid-input', 'the request body is not well-formed XML');
  const doc = xml.parse(text) as { request?: unknown };
  if (doc.request === undefined || typeof doc.request !== 'object' || doc.request === null) throw new ServiceError('invalid-input', 'expected a <request> element');
  return doc.request;
}

export function seedAlignmentStore(store: AlignmentStore, seed: unknown): void {
  for (const m of validate(alignmentSeedSchema, seed).mappings) if (!store.add(m)) throw new ServiceError('limit-exceeded', 'the store is full');
}

export function createAlignmentApp(store: AlignmentStore, options: TrustAppOptions & DescriptorIdentity = {}): express.Express {
  const app = createBaseApp(options, (base) => alignmentDescriptor(base, options));
  const write = requireWriteToken(options.writeToken);

  app.post('/aligned', (req, res) => {
    let input: unknown;
    if (req.is(['application/xml', 'text/xml'])) input = readAskXml(typeof req.body === 'string' ? req.body : '');
    else if (req.is('application/json')) input = req.body;
    else throw new ServiceError('unsupported-media-type', 'send application/xml or application/json');
    const q = validate(askSchema, input);
    const terms = store.aligned(q.term, q.vocabulary);
    if (req.accepts(['application/xml', 'application/json']) === 'application/json') {
      res.json({ aligned: terms });
      return;
    }
    res.type('application/xml').send(`<?xml version="1.0" encoding="UTF-8"?><aligned>${terms.map((t) => `<term>${escapeXml(t)}</term>`).join('')}</aligned>`);
  });

  app.get('/aligned', (req, res) => {
    const q = validate(askSchema, req.query);
    res.json({ aligned: store.aligned(q.term, q.vocabulary) });
  });
  app.get('/mappings', (_req, res) => {
    res.json({ mappings: store.list() });
  });
  app.get('/vocabularies', (_req, res) => {
    res.json({ vocabularies: store.vocabularies() });
  });
  app.post('/mappings', write, (req, res) => {
    if (!store.add(validate(mappingSchema, req.body))) throw new ServiceError('limit-exceeded', 'the store holds its limit of mappings');
    res.status(201).json({ stored: true });
  });
  app.delete('/mappings', write, (req, res) => {
    if (!store.remove(validate(mappingSchema, req.body))) throw new ServiceError('not-found', 'no such mapping');
    res.status(204).end();
  });
  return finishApp(app);
}
