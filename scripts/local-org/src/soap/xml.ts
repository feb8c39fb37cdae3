// SOAP envelopes as the Metadata API writes them: soapenv prefix, the metadata namespace as the
// default namespace, text/xml (Metadata API Developer Guide "upsertMetadata()", "readMetadata()").
import { textOf } from '../text';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

export type Xml = string | number | boolean | null | { $attrs?: Record<string, string>; [k: string]: unknown } | Xml[];

export function toXml(name: string, v: unknown): string {
  if (Array.isArray(v)) return v.map((x) => toXml(name, x)).join('');
  if (v === null || v === undefined) return `<${name} xsi:nil="true"/>`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const attrs = Object.entries((o.$attrs as Record<string, string>) ?? {})
      .map(([k, x]) => ` ${k}="${esc(x)}"`)
      .join('');
    if ('$text' in o) return `<${name}${attrs}>${esc(String(o.$text))}</${name}>`;
    const inner = Object.entries(o)
      .filter(([k]) => k !== '$attrs')
      .map(([k, x]) => toXml(k, x))
      .join('');
    return `<${name}${attrs}>${inner}</${name}>`;
  }
  return `<${name}>${esc(textOf(v))}</${name}>`;
}

export function envelope(bodyXml: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soapenv:Body>' +
    bodyXml +
    '</soapenv:Body></soapenv:Envelope>'
  );
}

/** A SOAP fault: `sf:<code>` with "<code>: <message>" by default; `prefixed: false` sends code and message as given. */
export function fault(code: string, message: string, prefixed = true): string {
  const faultcode = prefixed ? `sf:${code}` : code;
  const faultstring = prefixed ? `${code}: ${message}` : message;
  return (
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="http://soap.sforce.com/2006/04/metadata"><soapenv:Body><soapenv:Fault>' +
    `<faultcode>${esc(faultcode)}</faultcode><faultstring>${esc(faultstring)}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`
  );
}
