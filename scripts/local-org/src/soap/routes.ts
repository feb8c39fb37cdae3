// The Metadata API SOAP endpoint /services/Soap/m/:version: upsertMetadata and readMetadata of
// CustomMetadata, at most 10 records per call. A bad session is an HTTP 500 fault
// sf:INVALID_SESSION_ID (what makes jsforce refresh its session).
import express from 'express';
import { XMLParser } from 'fast-xml-parser';
import { admit, RestError } from '../rest/common';
import type { State } from '../state';
import { readOne, upsertOne, type MdRecord } from './customMetadata';
import { textOf } from '../text';
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

// The parser's output: text as strings (parseTagValue: false), an element with children or
// attributes as an object (`@_name` attributes, `#text` content), a repeated element as an array.
/** A repeated element is an array, a single one is not: both read as a list. */
const arr = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** A child element or `@_attribute` of a parsed element; undefined when v is text, a list or absent. */
function child(v: unknown, name: string): unknown {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>)[name] : undefined;
}

function text(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'object') {
    if (child(v, '@_nil') === 'true') return null;
    const t = child(v, '#text');
    return t === undefined ? '' : textOf(t);
  }
  return textOf(v);
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
    let doc: unknown;
    try {
      doc = parser.parse(String(req.body ?? ''));
    } catch {
      return void res.status(500).send(fault('INVALID_XML', 'The request body is not well-formed XML'));
    }
    const envl = child(doc, 'Envelope');
    const token = text(child(child(child(envl, 'Header'), 'SessionHeader'), 'sessionId')) ?? undefined;
    const body = child(envl, 'Body');
    const op =
      typeof body === 'object' && body !== null ? Object.keys(body).find((k) => !k.startsWith('@_')) : undefined;
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
    const call = op === undefined ? undefined : child(body, op);
    if (op === 'upsertMetadata') {
      const items = arr(child(call, 'metadata'));
      if (items.length > 10)
        return void res.status(500).send(fault('LIMIT_EXCEEDED', 'Can not specify more than 10 metadata in one call'));
      const results = items.map((m) => {
        const type = textOf(child(m, '@_type') ?? 'CustomMetadata');
        const md: MdRecord = {
          fullName: text(child(m, 'fullName')) ?? '',
          label: text(child(m, 'label')) ?? undefined,
          values: arr(child(m, 'values')).map((v) => {
            const raw = child(v, 'value');
            const typ = child(raw, '@_type');
            return {
              field: text(child(v, 'field')) ?? '',
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
      const type = text(child(call, 'type')) ?? '';
      const names = arr(child(call, 'fullNames')).map((n) => text(n) ?? '');
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
