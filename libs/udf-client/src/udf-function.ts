/**
 * A registered UDF service as an engine function: its signature comes from the descriptor's
 * request parameters (datatype, bag or single value) and its result type from the first
 * response parameter. The compiler checks calls against it once; at evaluation, `invoke`
 * hands the service call to `ctx.external` under a key made of the function URN and the
 * canonical arguments, so the synchronous evaluator can suspend, await it, and restart.
 * `invoke` does nothing else: it must be pure apart from ctx.external.
 */
import type { CheckResult, EagerFunctionDef, ExprValue, StaticType } from './engine';
import { UdfCallError, UdfDescriptorError } from './errors';
import { argumentsKey, createUdfClient, lexicalArguments, udfDescriptorProblems, type UdfClient, type UdfClientOptions, type UdfServiceDescriptor } from './udf-client';

export interface UdfFunctionDeps {
  /** The client to call through; when absent one is made from the descriptor and `clientOptions`. */
  readonly client?: UdfClient;
  readonly clientOptions?: UdfClientOptions;
}

export interface UdfFunctionDef extends EagerFunctionDef {
  readonly serviceId: string;
  readonly client: UdfClient;
}

function describeType(t: StaticType): string {
  if (t.kind === 'function') return `function ${t.fn.id}`;
  return t.kind === 'bag' ? `bag of ${t.datatype}` : t.datatype;
}

/** The static check of a call against the declared parameters. */
export function checkUdfCall(descriptor: UdfServiceDescriptor, args: readonly StaticType[]): CheckResult {
  const params = descriptor.requestParameters;
  const where = `${descriptor.functionUrn} (trust service ${descriptor.id})`;
  if (args.length !== params.length) {
    const sig = params.map((p) => `${p.name}: ${p.bag ? 'bag of ' : ''}${p.datatype}`).join(', ');
    return { ok: false, message: `${where} takes ${params.length} argument${params.length === 1 ? '' : 's'} (${sig}), got ${args.length}` };
  }
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    const a = args[i]!;
    const fits = a.kind !== 'function' && a.kind === (p.bag ? 'bag' : 'value') && a.datatype === p.datatype;
    if (!fits) {
      return { ok: false, message: `${where}: argument ${i + 1} (${p.name}) must be ${p.bag ? 'a bag of ' : ''}${p.datatype}, not ${describeType(a)}` };
    }
  }
  const r = descriptor.responseParameters[0]!;
  return { ok: true, type: { kind: r.bag ? 'bag' : 'value', datatype: r.datatype } };
}

/**
 * Builds the engine function for a udf descriptor. Throws UdfDescriptorError when the
 * descriptor cannot serve as a UDF (wrong type, no function URN, no result parameter).
 */
export function createUdfFunction(descriptor: UdfServiceDescriptor, deps: UdfFunctionDeps = {}): UdfFunctionDef {
  const problems = udfDescriptorProblems(descriptor);
  if (problems.length > 0) throw new UdfDescriptorError(descriptor.id, problems);
  const client = deps.client ?? createUdfClient(descriptor, deps.clientOptions);
  const id = descriptor.functionUrn!;
  return Object.freeze({
    id,
    serviceId: descriptor.id,
    client,
    check: (args: readonly StaticType[]) => checkUdfCall(descriptor, args),
    invoke(args: readonly ExprValue[], ctx: Parameters<EagerFunctionDef['invoke']>[1]): ExprValue {
      const lexical = lexicalArguments(descriptor, args);
      if (typeof lexical === 'string') throw new UdfCallError(descriptor.id, 'invalid-arguments', lexical);
      const key = `udf ${id} ${descriptor.id} ${argumentsKey(descriptor.requestParameters, lexical)}`;
      return ctx.external(key, () => client.callLexical(lexical));
    },
  });
}
