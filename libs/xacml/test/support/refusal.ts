/** Runs `f` and returns the XacmlError it must throw (fails the test otherwise). */
import { XacmlError } from '../../src/model/errors';

export function refusal(f: () => unknown): XacmlError {
  try {
    f();
  } catch (e) {
    if (e instanceof XacmlError) return e;
    throw e;
  }
  throw new Error('expected an XacmlError');
}
