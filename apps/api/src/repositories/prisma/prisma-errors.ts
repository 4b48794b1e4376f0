/** Turns Prisma's known request errors into the api's typed errors at the repository edge. */
import { ApiError } from '../../errors/api-error';

interface KnownPrismaError {
  readonly code: string;
  readonly meta?: Record<string, unknown>;
}

function isKnown(e: unknown): e is KnownPrismaError {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' && /^P\d{4}$/.test((e as { code: string }).code);
}

/** Runs `op`, mapping unique violations to `conflict` and missing rows to `not-found`. */
export async function mapPrismaErrors<T>(what: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (e) {
    if (isKnown(e)) {
      if (e.code === 'P2002') throw new ApiError('conflict', `${what} already exists`);
      if (e.code === 'P2025' || e.code === 'P2001') throw new ApiError('not-found', `${what} not found`);
      if (e.code === 'P2003') throw new ApiError('conflict', `${what} refers to something that does not exist or is still referenced`);
    }
    throw e;
  }
}
