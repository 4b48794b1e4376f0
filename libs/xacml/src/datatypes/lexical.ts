/** Helpers shared by the datatype modules: whitespace handling and uniform syntax errors. */
import { ValueSyntaxError } from '../model/errors';

/** Short name of a datatype id for messages: the part after '#' or the last ':'. */
export function shortName(datatypeId: string): string {
  const hash = datatypeId.lastIndexOf('#');
  if (hash >= 0) return datatypeId.slice(hash + 1);
  return datatypeId.slice(datatypeId.lastIndexOf(':') + 1);
}

/** The error every datatype raises for a bad lexical form; names the type and the value. */
export function invalidValue(datatypeId: string, lexical: string, reason?: string): ValueSyntaxError {
  const shown = lexical.length > 80 ? `${lexical.slice(0, 77)}...` : lexical;
  return new ValueSyntaxError(
    `invalid ${shortName(datatypeId)} value "${shown}"${reason ? `: ${reason}` : ''}`,
  );
}

/**
 * XML Schema `whiteSpace="collapse"`: every type but string trims and folds runs of
 * whitespace before validating its lexical form.
 */
export function collapse(lexical: string): string {
  // Fast path: most values carry no whitespace at all.
  if (!/[\t\n\r ]/.test(lexical)) return lexical;
  return lexical.replace(/[\t\n\r ]+/g, ' ').trim();
}
