/**
 * Builds the DOM document XPath evaluation works on from a request's `<Content>`: its single
 * child element, re-serialised with every in-scope namespace and parsed by xmldom. The element
 * comes from the safe reader (no DOCTYPE, bounded size), so xmldom never sees a DTD.
 */
import { DOMParser, type Document } from '@xmldom/xmldom';
import { IssueCollector } from '../model/errors';
import type { ParseLimits } from '../pdp-types';
import { readXml, serializeElement, type XmlElement } from '../xml/xml-reader';
import { XacmlError } from '../model/errors';

/** The `<Content>` element's single child as a document; records an issue when there is not exactly one. */
export function contentDocument(content: XmlElement, issues: IssueCollector, path: string): Document | undefined {
  const elements = content.children;
  const strayText = content.text.trim();
  if (elements.length !== 1 || strayText !== '') {
    issues.add(
      'invalid-structure',
      path,
      strayText !== '' ? 'Content must hold one element, not text' : `Content must hold exactly one element, found ${elements.length}`,
      content.line,
    );
    return undefined;
  }
  return toDocument(elements[0]!, issues, path);
}

/** Content given as XML text (JSON Profile): read with the same safety rules as a request. */
export function contentDocumentFromText(
  text: string,
  limits: ParseLimits,
  issues: IssueCollector,
  path: string,
): Document | undefined {
  let root: XmlElement;
  try {
    root = readXml(text, 'request', limits);
  } catch (e) {
    if (e instanceof XacmlError) {
      for (const issue of e.issues) issues.add(issue.code, path, `Content: ${issue.message}`, issue.line);
      return undefined;
    }
    throw e;
  }
  return toDocument(root, issues, path);
}

/** An element already accepted as a request (so well-formed) as a DOM document; undefined if xmldom refuses it. */
export function elementDocument(el: XmlElement): Document | undefined {
  return toDocument(el, new IssueCollector('request'), '/');
}

function toDocument(el: XmlElement, issues: IssueCollector, path: string): Document | undefined {
  const problems: string[] = [];
  try {
    const doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') problems.push(message);
      },
    }).parseFromString(serializeElement(el), 'text/xml');
    if (problems.length === 0) return doc;
  } catch (e) {
    problems.push((e as Error).message);
  }
  issues.add('malformed-xml', path, `Content is not well-formed XML: ${problems[0] ?? 'unknown error'}`, el.line);
  return undefined;
}
