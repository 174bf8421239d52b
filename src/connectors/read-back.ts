import { NotFoundError } from '../errors.js';

/** A read-back's answer, or null when the platform says the record is gone (404). */
export async function orNullOn404<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (err) {
    if (err instanceof NotFoundError) return null;
    throw err;
  }
}
