/**
 * A registered UDF as an engine function: the static check from the descriptor, and invoke
 * handing the call to ctx.external under a key of URN + canonical arguments.
 */
import { parseValue, type EvalContext, type ExprValue, type StaticType } from '@safax/xacml';
import { createOutboundPolicy } from '../src/outbound-policy';
import { createUdfFunction } from '../src/udf-function';
import { createUdfRegistry } from '../src/udf-registry';
import { UdfCallError, UdfDescriptorError } from '../src/errors';
import { descriptor, XS } from './support/descriptors';
import { json, reset, startTestServer, type TestServer } from './support/test-server';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());
beforeEach(() => reset(s));

const policy = createOutboundPolicy({ allow: ['127.0.0.1'] });
const STR = `${XS}string`;
const v = (t: string): StaticType => ({ kind: 'value', datatype: t });
const bag = (t: string): StaticType => ({ kind: 'bag', datatype: t });

const credential = () =>
  descriptor({
    endpoint: 'http://127.0.0.1:1/unused',
    functionUrn: 'urn:nl:tue:sec:pdp:1.0:udf:credential:user:has:credential',
    requestParameters: [
      { name: 'user', datatype: STR },
      { name: 'credential', datatype: STR },
      { name: 'issuers', datatype: STR, bag: true },
    ],
  });

describe('check', () => {
  const fn = createUdfFunction(credential(), { clientOptions: { policy } });
  afterAll(() => fn.client.close());

  it('takes its id from the function URN and its result type from the first response parameter', () => {
    expect(fn.id).toBe('urn:nl:tue:sec:pdp:1.0:udf:credential:user:has:credential');
    expect(fn.check([v(STR), v(STR), bag(STR)])).toEqual({ ok: true, type: { kind: 'value', datatype: `${XS}boolean` } });
  });

  it('refuses the wrong arity, naming the signature', () => {
    const r = fn.check([v(STR), v(STR)]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('takes 3 arguments (user: http://www.w3.org/2001/XMLSchema#string');
  });

  it('refuses a value where a bag is declared, the reverse, and a wrong datatype', () => {
    for (const args of [
      [v(STR), v(STR), v(STR)],
      [bag(STR), v(STR), bag(STR)],
      [v(`${XS}integer`), v(STR), bag(STR)],
    ]) {
      const r = fn.check(args);
      expect(r.ok).toBe(false);
    }
    const r = fn.check([v(STR), v(`${XS}integer`), bag(STR)]);
    if (!r.ok) expect(r.message).toContain('argument 2 (credential) must be http://www.w3.org/2001/XMLSchema#string, not http://www.w3.org/2001/XMLSchema#integer');
  });

  it('declares a bag result when the response parameter is a bag', () => {
    const f = createUdfFunction(
      descriptor({ endpoint: 'http://127.0.0.1:1/', responseParameters: [{ name: 't', datatype: STR, bag: true, location: { kind: 'json-pointer', pointer: '' } }] }),
      { clientOptions: { policy } },
    );
    expect(f.check([v(STR)])).toEqual({ ok: true, type: { kind: 'bag', datatype: STR } });
    f.client.close();
  });

  it('refuses a descriptor that is not a udf', () => {
    expect(() => createUdfFunction(descriptor({ endpoint: 'http://127.0.0.1:1/', type: 'pdp', functionUrn: undefined }))).toThrow(UdfDescriptorError);
  });
});

describe('invoke', () => {
  /** A stand-in for the engine's memo: records keys, resolves the loads, answers on restart. */
  function memoContext(): EvalContext & { keys: string[]; settle(): Promise<void> } {
    const settled = new Map<string, { ok: boolean; v: unknown }>();
    const pending = new Map<string, Promise<unknown>>();
    return {
      keys: [],
      content: () => undefined,
      external<T>(key: string, load: () => Promise<T>): T {
        this.keys.push(key);
        const s = settled.get(key);
        if (s) {
          if (s.ok) return s.v as T;
          throw s.v;
        }
        if (!pending.has(key)) pending.set(key, load());
        throw new Error('SUSPEND');
      },
      async settle() {
        for (const [k, p] of pending) {
          await p.then(
            (v) => settled.set(k, { ok: true, v }),
            (e: unknown) => settled.set(k, { ok: false, v: e }),
          );
        }
        pending.clear();
      },
    };
  }

  const str = (x: string): ExprValue => parseValue(STR, x);
  const issuers = (...xs: string[]): ExprValue => ({ kind: 'bag', datatype: STR, values: xs.map((x) => parseValue(STR, x)) });

  it('suspends on first call, answers on restart; bag order does not change the key', async () => {
    s.handler = (_req, body, res) => json(res, { result: JSON.parse(body).issuers.includes('mayo') });
    const fn = createUdfFunction({ ...credential(), endpoint: s.url }, { clientOptions: { policy } });
    const ctx = memoContext();
    expect(() => fn.invoke([str('charlie'), str('neurologist'), issuers('mayo', 'amc')], ctx)).toThrow('SUSPEND');
    await ctx.settle();
    const r = fn.invoke([str('charlie'), str('neurologist'), issuers('amc', 'mayo')], ctx) as { value: unknown };
    expect(r.value).toBe(true);
    expect(ctx.keys[0]).toBe(ctx.keys[1]);
    expect(ctx.keys[0]).toBe('udf urn:nl:tue:sec:pdp:1.0:udf:credential:user:has:credential test-service [["charlie"],["neurologist"],["amc","mayo"]]');
    expect(s.requests).toBe(1);
    fn.client.close();
  });

  it('a failed call is rethrown as the UdfCallError (an IndeterminateError with processing-error)', async () => {
    s.handler = (_req, _body, res) => res.writeHead(500).end();
    const fn = createUdfFunction({ ...credential(), id: 'credential-service', endpoint: s.url }, { clientOptions: { policy } });
    const ctx = memoContext();
    expect(() => fn.invoke([str('c'), str('n'), issuers('m')], ctx)).toThrow('SUSPEND');
    await ctx.settle();
    let thrown: unknown;
    try {
      fn.invoke([str('c'), str('n'), issuers('m')], ctx);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(UdfCallError);
    expect((thrown as UdfCallError).status).toEqual({ code: 'urn:oasis:names:tc:xacml:1.0:status:processing-error', message: 'trust service credential-service: http-status: HTTP 500' });
    fn.client.close();
  });
});

describe('registry (the FunctionProvider the platform hands to its PDPs)', () => {
  it('finds functions by URN, replaces on re-registration, forgets on unregister', () => {
    const reg = createUdfRegistry({ policy });
    const first = reg.register(credential());
    expect(reg.find('urn:nl:tue:sec:pdp:1.0:udf:credential:user:has:credential')).toBe(first);
    expect(reg.functionOf('test-service')).toBe(first.id);
    const second = reg.register({ ...credential(), timeoutMs: 50 });
    expect(reg.find(first.id)).toBe(second);
    expect(reg.functionUrns()).toEqual([first.id]);
    expect(reg.unregister('test-service')).toBe(first.id);
    expect(reg.find(first.id)).toBeUndefined();
    expect(reg.unregister('test-service')).toBeUndefined();
    reg.close();
  });

  it('an unchanged descriptor registered again keeps the function (its cache and breaker) — key order does not matter', () => {
    const reg = createUdfRegistry({ policy });
    const first = reg.register(credential());
    const reordered = Object.fromEntries(Object.entries(credential()).reverse()) as ReturnType<typeof credential>;
    expect(reg.register(reordered)).toBe(first);
    expect(reg.serviceFunction('test-service')).toBe(first);
    reg.close();
  });

  it('a later service naming the same URN does not displace the first one; it answers once the first leaves', () => {
    const reg = createUdfRegistry({ policy });
    const first = reg.register(credential());
    const other = reg.register({ ...credential(), id: 'other-service', endpoint: 'http://127.0.0.1:9/elsewhere' });
    expect(reg.find(first.id)).toBe(first);
    expect(reg.serviceFunction('other-service')).toBe(other);
    // A changed descriptor of the first service keeps its place in the order.
    const changed = reg.register({ ...credential(), timeoutMs: 77 });
    expect(reg.find(first.id)).toBe(changed);
    reg.unregister('test-service');
    expect(reg.find(first.id)).toBe(other);
    reg.close();
  });

  it('a service re-registered under a new URN drops its old one', () => {
    const reg = createUdfRegistry({ policy });
    reg.register(credential());
    reg.register({ ...credential(), functionUrn: 'urn:test:other' });
    expect(reg.functionUrns()).toEqual(['urn:test:other']);
    reg.close();
  });
});
