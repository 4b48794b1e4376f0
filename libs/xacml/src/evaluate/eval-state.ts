/**
 * Everything one individual decision request needs while it is evaluated: its attributes
 * indexed by category and id, bag and variable caches, the clock value fixed for the request,
 * and access to external work (resolver, UDFs). One instance per evaluation attempt; the
 * ExternalWork it shares survives restarts.
 */
import type { Node } from '@xmldom/xmldom';
import { parseValue } from '../datatypes/registry';
import { ATTR, CATEGORY, DT, STATUS } from '../model/identifiers';
import type { RequestAttribute, RequestCategory } from '../model/request';
import { IndeterminateError, missingAttribute, processingError } from '../model/status';
import type { AttributeValue, Bag, ExprValue } from '../model/values';
import type { AttributeResolver, ResolverRequestView, TraceEntry } from '../pdp-types';
import type { IndividualRequest } from '../request/individual-requests';
import type { EvalContext } from './eval-context';
import { messageOf, type ExternalWork } from './external-work';
import { D, type Outcome } from './outcome';
import { IssueCollector } from '../model/errors';
import { contentDocumentFromText } from '../request/content-document';
import { DEFAULT_LIMITS } from '../xml/limits';
import { hierarchyValues, isHierarchyAttribute, type ResourceHierarchy } from '../request/hierarchy';
import { DEFAULT_EVALUATION_LIMITS, EvaluationLimitError, type EvaluationBudget, type EvaluationLimits } from './limits';

/** A compiled AttributeDesignator. */
export interface AttributeRef {
  readonly category: string;
  readonly attributeId: string;
  readonly datatype: string;
  readonly issuer?: string;
  readonly mustBePresent: boolean;
  /** `category \0 attributeId`: the request index key. */
  readonly indexKey: string;
  /** Index key plus datatype and issuer: the bag cache key. */
  readonly bagKey: string;
}

export function attributeRef(category: string, attributeId: string, datatype: string, issuer: string | undefined, mustBePresent: boolean): AttributeRef {
  const indexKey = `${category}\u0000${attributeId}`;
  return {
    category, attributeId, datatype, mustBePresent, indexKey,
    bagKey: `${indexKey}\u0000${datatype}\u0000${issuer ?? ''}`,
    ...(issuer !== undefined ? { issuer } : {}),
  };
}

export interface EngineServices {
  readonly resolver?: AttributeResolver;
  /** The root of the PDP, for access-permitted. */
  readonly root?: { evaluate(s: EvalState): Outcome };
  readonly compatibility?: boolean;
  readonly hierarchy?: ResourceHierarchy;
  /** Default DEFAULT_EVALUATION_LIMITS. */
  readonly limits?: EvaluationLimits;
}

/** Nesting of access-permitted evaluations; a policy that calls it on itself stops here. */
const MAX_ACCESS_PERMITTED_DEPTH = 4;

const EMPTY: readonly AttributeValue[] = Object.freeze([]);

export class EvalState implements EvalContext {
  private readonly index = new Map<string, RequestAttribute[]>();
  private readonly contents = new Map<string, Node>();
  private readonly bags = new Map<string, Bag>();
  /** Variable values (or their Indeterminate) by compiled variable identity. */
  readonly variables = new Map<object, ExprValue | IndeterminateError>();
  private view?: ResolverRequestView;
  /** What this evaluation counts against its limits (functions reach it through their context). */
  readonly budget: EvaluationBudget;
  private produced = 0;
  private responseChars = 0;
  private policyEvaluations = 0;
  private policyDepth = 0;

  constructor(
    readonly request: IndividualRequest,
    private readonly work: ExternalWork,
    private readonly services: EngineServices,
    readonly now: Date,
    readonly trace: TraceEntry[] | undefined,
    readonly collectPolicyIds: boolean,
    private readonly depth = 0,
  ) {
    for (const cat of request.categories) this.indexCategory(cat);
    const limits = services.limits ?? DEFAULT_EVALUATION_LIMITS;
    this.budget = {
      limits,
      produce: (size, functionId) => {
        this.produced += size;
        if (this.produced > limits.maxProducedSize) throw new EvaluationLimitError(`function calls produced more than ${limits.maxProducedSize} characters and bag values (last ${functionId})`);
      },
    };
  }

  /** Entering a policy or policy set: counts it, and its nesting. Pair with leavePolicy(). */
  enterPolicy(kind: string, id: string): void {
    const limits = this.budget.limits;
    if (++this.policyEvaluations > limits.maxPolicyEvaluations) throw new EvaluationLimitError(`more than ${limits.maxPolicyEvaluations} policy and policy set evaluations (at ${kind} ${id}): too much reference fan-out`);
    if (++this.policyDepth > limits.maxPolicyDepth) throw new EvaluationLimitError(`policies and policy sets nest deeper than ${limits.maxPolicyDepth} (at ${kind} ${id})`);
  }

  leavePolicy(): void {
    this.policyDepth--;
  }

  /** Counts the characters of obligation and advice values placed in the response. */
  chargeResponse(chars: number): void {
    const max = this.budget.limits.maxResponseChars;
    this.responseChars += chars;
    if (this.responseChars > max) throw new EvaluationLimitError(`obligation and advice values exceed ${max} characters`);
  }

  private indexCategory(cat: RequestCategory): void {
    for (const a of cat.attributes) {
      const k = `${cat.category}\u0000${a.attributeId}`;
      const list = this.index.get(k);
      if (list) list.push(a);
      else this.index.set(k, [a]);
    }
    if (cat.content) this.contents.set(cat.category, cat.content);
  }

  content(category: string): Node | undefined {
    return this.contents.get(category);
  }

  get compatibility(): boolean {
    return this.services.compatibility === true;
  }

  v2RequestContext(): Node | undefined {
    return this.request.v2Context?.();
  }

  external<T>(key: string, load: () => Promise<T>): T {
    return this.work.get(key, load);
  }

  accessPermitted(category: string, contentXml: string): boolean {
    const root = this.services.root;
    if (!root) throw processingError('access-permitted is not available in this evaluation');
    if (this.depth >= MAX_ACCESS_PERMITTED_DEPTH) throw processingError(`access-permitted nested deeper than ${MAX_ACCESS_PERMITTED_DEPTH}`);
    const issues = new IssueCollector('request');
    const content = contentDocumentFromText(contentXml, DEFAULT_LIMITS, issues, '/Content');
    if (!content) throw processingError(`access-permitted: ${issues.issues[0]?.message ?? 'invalid content'}`);
    const categories = this.request.categories.some((c) => c.category === category)
      ? this.request.categories.map((c) => (c.category === category ? { ...c, content } : c))
      : [...this.request.categories, { category, attributes: [], content }];
    const nested = new EvalState({ ...this.request, categories }, this.work, this.services, this.now, undefined, false, this.depth + 1);
    const o = root.evaluate(nested);
    // An Indeterminate answer is not a "no": the calling expression is Indeterminate too.
    if (o.d >= D.IndeterminateD) throw new IndeterminateError(o.status ?? { code: STATUS.processingError, message: 'access-permitted: Indeterminate' });
    return o.d === D.Permit;
  }

  /** The bag an AttributeDesignator denotes (XACML 3.0 §7.3.5), from the request, the clock or the resolver. */
  bag(ref: AttributeRef): Bag {
    let bag = this.bags.get(ref.bagKey);
    if (!bag) {
      bag = { kind: 'bag', datatype: ref.datatype, values: this.lookup(ref) };
      this.bags.set(ref.bagKey, bag);
    }
    if (bag.values.length === 0 && ref.mustBePresent) {
      throw missingAttribute(`missing attribute ${ref.attributeId} (category ${ref.category}, datatype ${ref.datatype})`, {
        category: ref.category, attributeId: ref.attributeId, datatype: ref.datatype,
        ...(ref.issuer !== undefined ? { issuer: ref.issuer } : {}),
      });
    }
    return bag;
  }

  private lookup(ref: AttributeRef): readonly AttributeValue[] {
    const attrs = this.index.get(ref.indexKey);
    if (attrs) {
      let out: AttributeValue[] | undefined;
      for (const a of attrs) {
        if (ref.issuer !== undefined && a.issuer !== ref.issuer) continue;
        for (const v of a.values) {
          if (v.datatype.id !== ref.datatype) continue;
          (out ??= []).push(v);
        }
      }
      if (out) return out;
    }
    if (ref.category === CATEGORY.environment && ref.issuer === undefined) {
      const clock = this.clockValue(ref);
      if (clock) return clock;
    }
    if (this.services.hierarchy && isHierarchyAttribute(ref.category, ref.attributeId)) {
      const derived = this.fromHierarchy(ref, this.services.hierarchy);
      if (derived.length > 0) return derived;
    }
    if (this.services.resolver) return this.resolve(ref, this.services.resolver);
    return EMPTY;
  }

  /** current-time/-date/-dateTime when the request does not carry them: the PDP's clock, fixed per request. */
  private clockValue(ref: AttributeRef): readonly AttributeValue[] | undefined {
    const iso = this.now.toISOString();
    if (ref.attributeId === ATTR.currentDateTime && ref.datatype === DT.dateTime) return [parseValue(DT.dateTime, iso)];
    if (ref.attributeId === ATTR.currentDate && ref.datatype === DT.date) return [parseValue(DT.date, `${iso.slice(0, 10)}Z`)];
    if (ref.attributeId === ATTR.currentTime && ref.datatype === DT.time) return [parseValue(DT.time, iso.slice(11))];
    return undefined;
  }

  private resolve(ref: AttributeRef, resolver: AttributeResolver): readonly AttributeValue[] {
    const query = {
      category: ref.category, attributeId: ref.attributeId, datatype: ref.datatype,
      ...(ref.issuer !== undefined ? { issuer: ref.issuer } : {}),
    };
    let lexicals: readonly string[];
    try {
      lexicals = this.work.get(`attr:${ref.bagKey}`, () => resolver.resolve(query, this.resolverView()), (ok, value, ms) => ({
        kind: 'attribute', query, ms,
        ...(ok ? { values: value as readonly string[] } : { error: messageOf(value) }),
      }));
    } catch (e) {
      if (e instanceof Error) throw processingError(`attribute ${ref.attributeId} could not be resolved: ${e.message}`);
      throw e;
    }
    try {
      return lexicals.map((l) => parseValue(ref.datatype, l));
    } catch (e) {
      throw processingError(`attribute ${ref.attributeId} from the resolver: ${messageOf(e)}`);
    }
  }

  /** resource-parent/-ancestor/-ancestor-or-self of the request's resource-id(s), from the hierarchy. */
  private fromHierarchy(ref: AttributeRef, hierarchy: ResourceHierarchy): readonly AttributeValue[] {
    const ids = this.resolverView().values(CATEGORY.resource, ATTR.resourceId);
    const out: AttributeValue[] = [];
    for (const id of ids) {
      let lexicals: readonly string[];
      try {
        lexicals = this.work.get(`hier:${ref.attributeId}\u0000${id}`, async () => (await hierarchyValues(ref.attributeId, id, hierarchy)) ?? []);
      } catch (e) {
        if (e instanceof Error) throw processingError(`${ref.attributeId} of ${id}: ${e.message}`);
        throw e;
      }
      try {
        for (const l of lexicals) out.push(parseValue(ref.datatype, l));
      } catch (e) {
        throw processingError(`${ref.attributeId} of ${id} from the resource hierarchy: ${messageOf(e)}`);
      }
    }
    return out;
  }

  private resolverView(): ResolverRequestView {
    return (this.view ??= {
      values: (category, attributeId) => {
        const attrs = this.index.get(`${category}\u0000${attributeId}`) ?? [];
        return attrs.flatMap((a) => a.values.map((v) => v.datatype.format(v.value)));
      },
    });
  }
}
