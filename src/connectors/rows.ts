import type { ZodType } from 'zod';

/** A list row that failed its schema: skipped alone, reported with the field and the reason. */
export interface RejectedRow {
  /** The row's id when it has a readable one, else null (then only the run's summary can name it). */
  id: string | null;
  field: string;
  reason: string;
}

/** The id a row carries, if it is a string or a number, whatever else is wrong with it. */
export function rowId(row: unknown): string | null {
  const id = row && typeof row === 'object' ? (row as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id !== '' ? id : typeof id === 'number' && Number.isFinite(id) ? String(id) : null;
}

/**
 * Parses each row of a list page on its own, so one malformed row is skipped and reported while
 * every other row of the page (and every later page) goes on.
 */
export function parseRows<T>(rows: unknown[], schema: ZodType<T>): { items: T[]; rejected: RejectedRow[] } {
  const items: T[] = [];
  const rejected: RejectedRow[] = [];
  for (const row of rows) {
    const parsed = schema.safeParse(row);
    if (parsed.success) { items.push(parsed.data); continue; }
    const issue = parsed.error.issues[0]!;
    rejected.push({ id: rowId(row), field: issue.path.join('.') || 'row', reason: issue.message });
  }
  return { items, rejected };
}
