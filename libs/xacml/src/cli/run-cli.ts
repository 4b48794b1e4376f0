/**
 * The command line: evaluate a request file against policy files, or a batch of request files
 * in one process. Pure apart from the injected IO, so tests drive it directly.
 *
 *   safax-xacml eval  --policy root.xml [--policy ref.xml ...] --request req.xml|req.json [--root ID] [--trace]
 *   safax-xacml batch --policy root.xml [--policy ...] REQUEST_FILE... [--root ID] [--out DIR]
 *   safax-xacml check --policy root.xml [--policy ...]
 * Every command takes --compat (compatibility mode; each leniency printed as a warning on
 * stderr); eval and batch take --attributes FILE (attributes the requests lack, see
 * attributes-file.ts).
 */
import { parseArgs } from 'node:util';
import { basename, extname, join } from 'node:path';
import { compilePdp, type Pdp } from '../pdp';
import type { AttributeResolver } from '../pdp-types';
import { fileResolver, readAttributeRows } from './attributes-file';
import { XacmlError } from '../model/errors';
import type { XacmlRequest } from '../model/request';
import type { XacmlResponse } from '../model/response';
import { parseRequestJson } from '../request/json-request';
import { parseRequestXml } from '../request/xml-request';
import { serializeResponseJson } from '../response/json-response';
import { serializeResponseXml } from '../response/xml-response';

export interface CliIo {
  readFile(path: string): string;
  writeFile(path: string, text: string): void;
  stdout(text: string): void;
  stderr(text: string): void;
}

export const EXIT_OK = 0;
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;

const USAGE = `usage:
  safax-xacml eval  --policy FILE [--policy FILE ...] --request FILE [--root POLICY_ID] [--trace]
  safax-xacml batch --policy FILE [--policy FILE ...] REQUEST_FILE ... [--root POLICY_ID] [--out DIR]
  safax-xacml check --policy FILE [--policy FILE ...]
Options for every command: --compat (load in compatibility mode, each leniency printed as a
warning); eval and batch: --attributes FILE (JSON rows { category, entity?, attribute, values }
answering attributes the requests lack).
A request file ending in .json is read as XACML JSON Profile and answered in JSON; otherwise XML.`;

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      allowPositionals: command === 'batch',
      options: {
        policy: { type: 'string', multiple: true },
        request: { type: 'string' },
        root: { type: 'string', multiple: true },
        out: { type: 'string' },
        trace: { type: 'boolean' },
        compat: { type: 'boolean' },
        attributes: { type: 'string' },
      },
    });
  } catch (e) {
    io.stderr(`${(e as Error).message}\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  if (!['eval', 'batch', 'check'].includes(command ?? '') || !values.policy?.length) {
    io.stderr(`${USAGE}\n`);
    return EXIT_USAGE;
  }

  let attributeResolver: AttributeResolver | undefined;
  if (values.attributes !== undefined) {
    try {
      attributeResolver = fileResolver(readAttributeRows(io.readFile(values.attributes)));
    } catch (e) {
      io.stderr(`--attributes ${values.attributes}: ${(e as Error).message}\n`);
      return EXIT_USAGE;
    }
  }
  let pdp: Pdp;
  try {
    pdp = compilePdp(values.policy.map((f) => ({ text: io.readFile(f), name: basename(f) })), {
      ...(values.root ? { rootPolicyIds: values.root } : {}),
      ...(values.compat ? { compatibility: true } : {}),
      ...(attributeResolver ? { attributeResolver } : {}),
    });
  } catch (e) {
    return refused(io, 'policy refused', e);
  }
  for (const w of pdp.warnings) io.stderr(`warning: compatibility mode accepted ${w.code} at ${w.path}${w.line ? ` (line ${w.line})` : ''}: ${w.message}\n`);
  if (command === 'check') {
    io.stdout(`ok: ${pdp.policies.length} polic${pdp.policies.length === 1 ? 'y' : 'ies'} loaded, root ${pdp.rootIds.join(', ')}${values.compat ? `, ${pdp.warnings.length} compatibility warning(s)` : ''}\n`);
    return EXIT_OK;
  }
  if (command === 'eval') {
    if (!values.request) {
      io.stderr(`--request is required\n${USAGE}\n`);
      return EXIT_USAGE;
    }
    const file = values.request;
    let request: XacmlRequest;
    try {
      request = readRequest(io.readFile(file), file);
    } catch (e) {
      return refused(io, 'request refused', e);
    }
    const { response, traces } = await pdp.evaluate(request, { trace: values.trace === true });
    io.stdout(`${render(response, file)}\n`);
    if (traces) io.stderr(`${JSON.stringify(traces, null, 2)}\n`);
    return EXIT_OK;
  }

  // batch: one compiled PDP, many requests; a refused request is reported and the batch goes on.
  let failures = 0;
  const started = process.hrtime.bigint();
  for (const file of positionals) {
    let request: XacmlRequest;
    try {
      request = readRequest(io.readFile(file), file);
    } catch (e) {
      failures++;
      io.stdout(`${file}\trefused\t${oneLine(e)}\n`);
      continue;
    }
    const { response } = await pdp.evaluate(request);
    io.stdout(`${file}\t${response.results.map((r) => r.decision).join(',')}\n`);
    if (values.out) io.writeFile(join(values.out, `${basename(file, extname(file))}.response${extname(file) === '.json' ? '.json' : '.xml'}`), render(response, file));
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  io.stderr(`${positionals.length} requests in ${ms.toFixed(1)} ms, ${failures} refused\n`);
  return failures > 0 ? EXIT_REFUSED : EXIT_OK;
}

function readRequest(text: string, file: string): XacmlRequest {
  return extname(file).toLowerCase() === '.json' ? parseRequestJson(text) : parseRequestXml(text);
}

function render(response: XacmlResponse, requestFile: string): string {
  return extname(requestFile).toLowerCase() === '.json'
    ? JSON.stringify(serializeResponseJson(response), null, 2)
    : serializeResponseXml(response);
}

function refused(io: CliIo, what: string, e: unknown): number {
  if (e instanceof XacmlError) {
    io.stderr(`${what}:\n${e.issues.map((i) => `  ${i.path}${i.line ? ` (line ${i.line})` : ''}: ${i.message}`).join('\n')}\n`);
    return EXIT_REFUSED;
  }
  io.stderr(`${what}: ${(e as Error).message}\n`);
  return EXIT_REFUSED;
}

function oneLine(e: unknown): string {
  return (e as Error).message.replace(/\s+/g, ' ');
}
