/**
 * Turns a call's arguments (already in lexical form, one list per declared request parameter)
 * into an HTTP request, as the descriptor's `requestFormat` says:
 * json  → `{"name": "v", "bagName": ["a", "b"]}`
 * xml   → `<request><name>v</name><bagName>a</bagName><bagName>b</bagName></request>`
 * query → `?name=v&bagName=a&bagName=b` appended to the endpoint's own query
 * form  → the same pairs as an `application/x-www-form-urlencoded` body.
 * Values always travel in their XACML lexical form (strings), so no precision is lost.
 */
import type { ServiceDescriptor } from '@safax/contracts';

export interface EncodedRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

const ACCEPT: Record<ServiceDescriptor['responseFormat'], string> = {
  json: 'application/json',
  xml: 'application/xml, text/xml;q=0.9',
  query: 'application/x-www-form-urlencoded, text/plain;q=0.9',
  form: 'application/x-www-form-urlencoded, text/plain;q=0.9',
};

export function escapeXmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

type EncodableDescriptor = Pick<ServiceDescriptor, 'endpoint' | 'method' | 'requestFormat' | 'responseFormat' | 'requestParameters'>;

/** `args[i]` holds the lexical values for `requestParameters[i]` (one for a single value). */
export function encodeRequest(descriptor: EncodableDescriptor, args: readonly (readonly string[])[]): EncodedRequest {
  const params = descriptor.requestParameters;
  const pairs: [string, string][] = [];
  params.forEach((p, i) => {
    for (const v of args[i] ?? []) pairs.push([p.name, v]);
  });
  const headers: Record<string, string> = { accept: ACCEPT[descriptor.responseFormat] };
  switch (descriptor.requestFormat) {
    case 'query': {
      const url = new URL(descriptor.endpoint);
      for (const [k, v] of pairs) url.searchParams.append(k, v);
      return { url: url.toString(), method: descriptor.method, headers };
    }
    case 'form':
      return {
        url: descriptor.endpoint,
        method: descriptor.method,
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(pairs).toString(),
      };
    case 'json': {
      const obj: Record<string, string | readonly string[]> = {};
      params.forEach((p, i) => {
        const values = args[i] ?? [];
        obj[p.name] = p.bag ? values : (values[0] ?? '');
      });
      return {
        url: descriptor.endpoint,
        method: descriptor.method,
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(obj),
      };
    }
    case 'xml': {
      const inner = pairs.map(([k, v]) => `<${k}>${escapeXmlText(v)}</${k}>`).join('');
      return {
        url: descriptor.endpoint,
        method: descriptor.method,
        headers: { ...headers, 'content-type': 'application/xml; charset=utf-8' },
        body: `<?xml version="1.0" encoding="UTF-8"?><request>${inner}</request>`,
      };
    }
  }
}
