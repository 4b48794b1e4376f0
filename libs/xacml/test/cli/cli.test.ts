/** The command line on the conformance files: eval (XML and JSON), batch, check, refusals. */
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, EXIT_OK, EXIT_REFUSED, EXIT_USAGE } from '../../src/cli/run-cli';
import { parseResponseXml, parseRequestXml, serializeRequestJson } from '../../src/index';
import { CONFORMANCE_DIR } from '../conformance/suite';

const MANDATORY = join(CONFORMANCE_DIR, 'authzforce-xacml-3.0-from-2.0-ct', 'mandatory');

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const written: Record<string, string> = {};
  const code = await runCli(argv, {
    readFile: (p) => readFileSync(p, 'utf8'),
    writeFile: (p, t) => {
      written[p] = t;
    },
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr, written };
}

describe('safax-xacml', () => {
  it('eval prints the XML response of an XML request', async () => {
    const r = await cli('eval', '--policy', join(MANDATORY, 'IIA001/Policy.xml'), '--request', join(MANDATORY, 'IIA001/Request.xml'));
    expect(r.code).toBe(EXIT_OK);
    expect(parseResponseXml(r.stdout).results[0]!.decision).toBe('Permit');
  });

  it('eval answers a JSON request in JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'safax-cli-'));
    const json = join(dir, 'req.json');
    writeFileSync(json, JSON.stringify(serializeRequestJson(parseRequestXml(readFileSync(join(MANDATORY, 'IIA001/Request.xml'), 'utf8')))));
    const r = await cli('eval', '--policy', join(MANDATORY, 'IIA001/Policy.xml'), '--request', json);
    expect(r.code).toBe(EXIT_OK);
    expect(JSON.parse(r.stdout).Response[0].Decision).toBe('Permit');
  });

  it('loads referenced policies and picks the root', async () => {
    const dir = join(MANDATORY, 'IIE001/Policies');
    const policies = readdirSync(dir).flatMap((f) => ['--policy', join(dir, f)]);
    const r = await cli('eval', ...policies, '--request', join(MANDATORY, 'IIE001/Request.xml'));
    expect(r.code).toBe(EXIT_OK);
    const expected = parseResponseXml(readFileSync(join(MANDATORY, 'IIE001/Response.xml'), 'utf8')).results[0]!.decision;
    expect(parseResponseXml(r.stdout).results[0]!.decision).toBe(expected);
  });

  it('refuses an invalid policy with the reason on stderr and exit 1', async () => {
    const r = await cli('eval', '--policy', join(MANDATORY, 'IIC003/Policy.xml'), '--request', join(MANDATORY, 'IIA001/Request.xml'));
    expect(r.code).toBe(EXIT_REFUSED);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/policy refused:\n {2}\/Policy/);
  });

  it('refuses an invalid request', async () => {
    const r = await cli('eval', '--policy', join(MANDATORY, 'IIA001/Policy.xml'), '--request', join(CONFORMANCE_DIR, 'authzforce-recovered-IIA004-IIA005/IIA005Request.xml'));
    expect(r.code).toBe(EXIT_REFUSED);
    expect(r.stderr).toMatch(/request refused:.*AttributeId/s);
  });

  it('batch evaluates many requests with one compiled policy', async () => {
    const reqs = ['IIA001', 'IIA001', 'IIA001'].map((t) => join(MANDATORY, t, 'Request.xml'));
    const r = await cli('batch', '--policy', join(MANDATORY, 'IIA001/Policy.xml'), ...reqs, '--out', '/out');
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout.trim().split('\n').map((l) => l.split('\t')[1])).toEqual(['Permit', 'Permit', 'Permit']);
    expect(Object.keys(r.written)).toEqual(['/out/Request.response.xml']);
    expect(r.stderr).toMatch(/3 requests in [\d.]+ ms, 0 refused/);
  });

  it('check reports a valid policy set; usage errors exit 2', async () => {
    expect((await cli('check', '--policy', join(MANDATORY, 'IIA001/Policy.xml'))).stdout).toMatch(/^ok: 1 policy loaded/);
    expect((await cli('eval')).code).toBe(EXIT_USAGE);
    expect((await cli('frobnicate', '--policy', 'x')).code).toBe(EXIT_USAGE);
  });
});
