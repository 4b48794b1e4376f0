/**
 * access-permitted (A.3.16): would the PDP permit the current request if the given category's
 * Content were the given XML? Asks the evaluation it runs in (EvalContext.accessPermitted),
 * which evaluates the root policy on the modified request, with nesting bounded.
 */
import { DT } from '../model/identifiers';
import { processingError } from '../model/status';
import type { AttributeValue } from '../model/values';
import { booleanValue } from '../datatypes/registry';
import type { EagerFunctionDef } from './function-def';
import { defineEager, value } from './signature';

export const ACCESS_PERMITTED_FUNCTIONS: readonly EagerFunctionDef[] = [
  defineEager('urn:oasis:names:tc:xacml:3.0:function:access-permitted', { params: [value(DT.anyURI), value(DT.string)], returns: value(DT.boolean) }, (args, ctx) => {
    if (!ctx.accessPermitted) throw processingError('access-permitted is not available in this evaluation');
    const category = (args[0] as AttributeValue<string>).value;
    const content = (args[1] as AttributeValue<string>).value;
    return booleanValue(ctx.accessPermitted(category, content));
  }),
];
