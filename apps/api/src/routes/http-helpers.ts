/** Small helpers shared by the route modules: validation and path params. */
import type { Request } from 'express';
import type { z } from 'zod';

/** Parses input with a zod schema; a failure throws ZodError, which the error handler maps to 400. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  return schema.parse(input);
}

export function pathParam(req: Request, name: string): string {
  const v = (req.params as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : '';
}

/** Which of the given media types the request body is (by Content-Type), or undefined. */
export function bodyType(req: Request, types: readonly string[]): string | undefined {
  const t = req.is(types as string[]);
  return typeof t === 'string' ? t : undefined;
}
