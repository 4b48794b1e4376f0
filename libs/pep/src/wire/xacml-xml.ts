/**
 * XACML 3.0 XML on POST {pdpUrl} (application/xacml+xml). Several requests travel as one
 * Request with MultiRequests: each Attributes element has xml:id `r<i>-c<j>`, and request i
 * references its own. Answers are read with the platform's own reader (@safax/xacml
 * parseResponseXml: DOCTYPE and entity declarations refused, size and depth bounded).
 */
import { parseResponseXml, XacmlError } from '@safax/xacml';
import type { PdpAnswer } from '../decision';
import { XACML3_NS } from '../identifiers';
import { InvalidRequestError } from '../request';
import type { NormalCategory } from '../request';
import type { Codec, Outgoing, PreparedRequest } from './codec';
import { MalformedResponseError, expectMediaType } from './codec';
import { answerOf } from './xacml-results';

export const XACML_XML_MEDIA_TYPE = 'application/xacml+xml';

function text(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;')).replace(/\r/g, '&#13;');
}

/** Attribute values keep quotes and whitespace characters, which XML parsers would otherwise normalise. */
function attr(s: string): string {
  return s.replace(/[&<>"\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Characters XML 1.0 cannot carry at all (even escaped). */
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function attributes(c: NormalCategory, id?: string): string {
  let out = `<Attributes Category="${attr(c.category)}"${id === undefined ? '' : ` xml:id="${id}"`}>`;
  for (const a of c.attributes) {
    out += `<Attribute AttributeId="${attr(a.id)}"${a.issuer === undefined ? '' : ` Issuer="${attr(a.issuer)}"`} IncludeInResult="false">`;
    for (const v of a.values) out += `<AttributeValue DataType="${attr(a.datatype)}">${text(v)}</AttributeValue>`;
    out += '</Attribute>';
  }
  return `${out}</Attributes>`;
}

export function toXacmlXmlRequest(ps: readonly PreparedRequest[]): string {
  let out = `<?xml version="1.0" encoding="UTF-8"?><Request xmlns="${XACML3_NS}" ReturnPolicyIdList="false" CombinedDecision="false">`;
  if (ps.length === 1) {
    for (const c of ps[0]!.normal.categories) out += attributes(c);
    return `${out}</Request>`;
  }
  let refs = '<MultiRequests>';
  ps.forEach((p, i) => {
    refs += '<RequestReference>';
    p.normal.categories.forEach((c, j) => {
      const id = `r${i}-c${j}`;
      out += attributes(c, id);
      refs += `<AttributesReference ReferenceId="${id}"/>`;
    });
    refs += '</RequestReference>';
  });
  return `${out}${refs}</MultiRequests></Request>`;
}

function decode(body: string, contentType: string | undefined): PdpAnswer[] {
  expectMediaType(contentType, [XACML_XML_MEDIA_TYPE, 'application/xml', 'text/xml']);
  try {
    return parseResponseXml(body).results.map(answerOf);
  } catch (e) {
    if (e instanceof XacmlError) throw new MalformedResponseError(`the XACML XML answer is invalid: ${e.message}`);
    throw e;
  }
}

export const xacmlXmlCodec: Codec = {
  format: 'xacml-xml',
  check(p) {
    for (const c of p.normal.categories) {
      for (const a of c.attributes) {
        if ([a.id, a.issuer ?? '', a.datatype, c.category, ...a.values].some((s) => NOT_XML.test(s))) {
          throw new InvalidRequestError(`attribute ${a.id} contains characters XML cannot carry; use format 'xacml-json'`);
        }
      }
    }
  },
  encodeOne(p): Outgoing {
    return { path: '', contentType: XACML_XML_MEDIA_TYPE, accept: XACML_XML_MEDIA_TYPE, body: toXacmlXmlRequest([p]) };
  },
  encodeMany(ps): Outgoing {
    return { path: '', contentType: XACML_XML_MEDIA_TYPE, accept: XACML_XML_MEDIA_TYPE, body: toXacmlXmlRequest(ps) };
  },
  decodeOne(body, contentType) {
    const answers = decode(body, contentType);
    if (answers.length !== 1) throw new MalformedResponseError(`asked for one decision, got ${answers.length}`);
    return answers[0]!;
  },
  decodeMany(body, contentType, count) {
    const answers = decode(body, contentType);
    if (answers.length !== count) throw new MalformedResponseError(`asked for ${count} decisions, got ${answers.length}`);
    return answers;
  },
  itemTransactionId: (tx) => tx,
};
