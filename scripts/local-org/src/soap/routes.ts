// The Metadata API SOAP endpoint /services/Soap/m/:version: upsertMetadata and readMetadata of
// CustomMetadata, at most 10 records per call. A bad session is an HTTP 500 fault
// sf:INVALID_SESSION_ID (what makes jsforce refresh its session).
import express from 'express';
import { XMLParser } from 'fast-xml-parser';
import { admit, RestError } from '../rest/common';
import type { State } from '../state';
import { readOne, upsertOne, type MdRecord } from './customMetadata';
import { envelope, fault, toXml } from './xml';

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  trimValues: false,
});
const INVALID_XML_CHAR =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const arr = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function text(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o['@_nil'] === 'true') return null;
    return o['#text'] === undefined ? '' : String(o['#text']);
  }
  return String(v);
}

export function soapRouter(state: State): express.Router {
  const r = express.Router();
  r.post('/services/Soap/m/:version', express.text({ type: () => true, limit: '5mb' }), async (req, res) => {
    res.type('text/xml; charset=utf-8');
    // XML 1.0 (its Char production) has no C0 controls but tab/LF/CR, no U+FFFE/U+FFFF and no
    // unpaired surrogates; Salesforce's parser refuses the whole call with a client fault.
    const bad = INVALID_XML_CHAR.exec(String(req.body ?? ''));
    if (bad)
      return void res
        .status(500)
        .send(
          fault(
            'soapenv:Client',
            `An invalid XML character (Unicode: 0x${bad[0].charCodeAt(0).toString(16)}) was found in the element content of the document.`,
            false,
          ),
        );
    let doc: Record<string, any>;
    try {
      doc = parser.parse(String(req.body ?? ''));
    } catch {
      return void res.status(500).send(fault('INVALID_XML', 'The request body is not well-formed XML'));
    }
    const envl = doc.Envelope ?? {};
    const token = text(envl.Header?.SessionHeader?.sessionId) ?? undefined;
    const body = envl.Body ?? {};
    const op = Object.keys(body).find((k) => !k.startsWith('@_'));
    let org;
    try {
      ({ org } = await admit(state, token, 'metadata', res));
    } catch (e) {
      const err = e as RestError;
      if (err.status === 503)
        return void res.status(503).type('text/html').send('<html><body>Service Unavailable</body></html>');
      const code = err.status === 401 ? 'INVALID_SESSION_ID' : err.errorCode;
      const msg = err.status === 401 ? 'Invalid Session ID found in SessionHeader: Illegal Session' : err.message;
      return void res.status(500).send(fault(code, msg));
    }
    const call = (body as Record<string, any>)[op ?? ''] ?? {};
    if (op === 'upsertMetadata') {
      const items = arr(call.metadata);
      if (items.length > 10)
        return void res.status(500).send(fault('LIMIT_EXCEEDED', 'Can not specify more than 10 metadata in one call'));
      const results = items.map((m: Record<string, unknown>) => {
        const type = String((m as Record<string, unknown>)['@_type'] ?? 'CustomMetadata');
        const md: MdRecord = {
          fullName: text(m.fullName) ?? '',
          label: text(m.label) ?? undefined,
          values: arr(m.values as unknown[]).map((v) => {
            const raw = (v as Record<string, unknown>).value;
            const typ = raw && typeof raw === 'object' ? (raw as Record<string, unknown>)['@_type'] : undefined;
            return {
              field: text((v as Record<string, unknown>).field) ?? '',
              value: text(raw),
              ...(typeof typ === 'string' ? { xsiType: typ } : {}),
            };
          }),
        };
        if (type.replace(/^.*:/, '') !== 'CustomMetadata')
          return {
            fullName: md.fullName,
            created: false,
            success: false,
            errors: [
              { statusCode: 'UNKNOWN_EXCEPTION', message: `The local org only supports CustomMetadata, not ${type}` },
            ],
          };
        return upsertOne(state, org, md);
      });
      const xml = results
        .map((x) =>
          toXml('result', {
            created: x.created,
            ...(x.errors ? { errors: x.errors.map((e) => ({ message: e.message, statusCode: e.statusCode })) } : {}),
            fullName: x.fullName,
            success: x.success,
          }),
        )
        .join('');
      return void res.status(200).send(envelope(`<upsertMetadataResponse>${xml}</upsertMetadataResponse>`));
    }
    if (op === 'readMetadata') {
      const type = text(call.type) ?? '';
      const names = arr(call.fullNames).map((n) => text(n) ?? '');
      if (names.length > 10)
        return void res.status(500).send(fault('LIMIT_EXCEEDED', 'Can not specify more than 10 metadata in one call'));
      if (type !== 'CustomMetadata')
        return void res
          .status(500)
          .send(fault('INVALID_TYPE', `The local org only supports readMetadata of CustomMetadata, not ${type}`));
      const recs = names.map((n) => readOne(state, org, n));
      const inner = recs.map((x) => toXml('records', x)).join('');
      return void res
        .status(200)
        .send(envelope(`<readMetadataResponse><result>${inner}</result></readMetadataResponse>`));
    }
    res.status(500).send(fault('UNKNOWN_EXCEPTION', `The local org does not implement ${op ?? 'this call'}`));
  });
  return r;
}
