/**
 * One readable sentence for the first problem zod found: where (a dotted path) and what.
 * zod's "Invalid input: expected string, received undefined" becomes "missing (expected a string)".
 */
import type { z } from 'zod';

export function firstIssue(error: z.ZodError, prefix?: string): string {
  const issue = error.issues[0];
  const path = [prefix, ...issue.path].filter((p) => p !== undefined && p !== '').join('.') || 'the top level';
  const msg = issue.message.replace(/^Invalid input: expected (\w+), received undefined$/, 'missing (expected $1)');
  return `${path}: ${msg}`;
}
