import type { Rejection } from '@cogov/domain';
import { PROBLEM_KINDS, type Problem } from './registry.ts';

/**
 * A command the domain's rules refused: 422 with its stable code. The fields at fault are the
 * rejection's own `field` and any detail named like a field of the command.
 */
export const rejectionProblem = (rejection: Rejection, commandFields: readonly string[] = []): Problem => {
  const details = rejection.details;
  const named = new Set<string>();
  if (typeof details['field'] === 'string') named.add(details['field']);
  for (const key of Object.keys(details)) if (commandFields.includes(key)) named.add(key);
  return {
    type: `urn:cogov:problem:rejected:${rejection.code}`,
    title: PROBLEM_KINDS.rejected.title,
    status: PROBLEM_KINDS.rejected.status,
    detail: rejection.message,
    code: rejection.code,
    ...(named.size === 0
      ? {}
      : { errors: [...named].map((field) => ({ field: `body.${field}`, message: rejection.message })) }),
    details,
  };
};
