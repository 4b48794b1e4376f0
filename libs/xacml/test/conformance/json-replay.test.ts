/**
 * The JSON Profile gives the same decisions as XML: every mandatory conformance request is
 * written as JSON (serializeRequestJson), parsed back, and must be answered like the XML one.
 */
import { readFileSync } from 'node:fs';
import { compilePdp, parseRequestJson, parseRequestXml, serializeRequestJson, serializeResponseJson, parseResponseJson } from '../../src/index';
import { compareResponses } from '../support/compare-responses';
import { conformanceCases, type ConformanceCase } from './suite';

const cases = conformanceCases().required.filter((c) => c.folder === 'mandatory' && c.expect.kind === 'response');
const read = (f: string) => readFileSync(f, 'utf8');

describe('JSON Profile replay of the mandatory requests', () => {
  it('covers the mandatory folder', () => expect(cases.length).toBeGreaterThan(440));

  test.each(cases.map((c): [string, ConformanceCase] => [c.id, c]))('%s', async (_id, c) => {
    const pdp = compilePdp(c.policyFiles.map((f) => ({ text: read(f) })), { rootPolicyIds: [/(?:PolicySetId|PolicyId)="([^"]+)"/.exec(read(c.policyFiles[0]!))![1]!] });
    const xmlRequest = parseRequestXml(read((c.expect as { requestFile: string }).requestFile));
    const jsonText = JSON.stringify(serializeRequestJson(xmlRequest));
    const fromXml = (await pdp.evaluate(xmlRequest)).response;
    const fromJson = (await pdp.evaluate(parseRequestJson(jsonText))).response;
    expect(compareResponses(fromJson, fromXml)).toEqual([]);
    // And the JSON response survives its own round trip.
    expect(compareResponses(parseResponseJson(JSON.stringify(serializeResponseJson(fromJson))), fromXml)).toEqual([]);
  });
});
