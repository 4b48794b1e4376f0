/**
 * The signal that stops a synchronous evaluation because it needs asynchronous work
 * (an attribute from a resolver, a trust-service call). The engine awaits the work and
 * re-runs the evaluation, which then finds the settled result memoised.
 * Every catch block of the evaluator must let it through.
 */
export class Suspend {
  private constructor() {}
  static readonly signal = new Suspend();
}

export const SUSPEND = Suspend.signal;
