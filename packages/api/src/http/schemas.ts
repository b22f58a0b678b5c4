import { IDENTIFIER_PATTERN, PlainDate } from '@cogov/domain';
import { z } from 'zod';

/** A record's or region's id. */
export const Id = z
  .string()
  .regex(
    IDENTIFIER_PATTERN,
    'an identifier: 1-100 letters, digits or _ . : - starting with a letter or digit',
  );

/** The first day of a period: included. */
export const From = PlainDate.describe(
  'First day of the period (YYYY-MM-DD, a business date in the county’s time zone), included',
);
/** The last day of a period: included. */
export const To = PlainDate.describe(
  'Last day of the period (YYYY-MM-DD), included: [from, to] holds both ends',
);
/** A day something stood on. */
export const AsOf = PlainDate.describe(
  'The day (YYYY-MM-DD, county time zone) the answer stands on. A seat whose exit (dismissal, withdrawal, expiry) is effective on D ended before D: as of D the person no longer sits; one appointed on D sits on D.',
);
/** The instant the records are read as of. */
export const KnownAt = z.iso
  .datetime({ offset: true })
  .describe(
    'The records as they stood at this instant (ISO 8601 with a time zone): what had been recorded by then, before later corrections and backdated facts. Default: now.',
  );

export const Limit = z.coerce.number().int().min(1).max(500).default(50);

/** A list's cursor as a previous page gave it (base64url JSON); anything else is a 400, not a crash. */
const isCursor = (value: string) => {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    return (
      Array.isArray(decoded) &&
      decoded.length > 0 &&
      decoded.length <= 8 &&
      decoded.every((part) => (typeof part === 'string' && part.length <= 200) || Number.isFinite(part))
    );
  } catch {
    return false;
  }
};
export const Cursor = z
  .string()
  .max(1_000)
  .refine(isCursor, 'a cursor as the previous page gave it')
  .describe('nextCursor of the previous page, as it came');

/** A record as the lists show it. */
export const Entity = z.object({
  kind: z.string(),
  id: z.string(),
  name: z.string(),
  regionPath: z.array(z.string()).readonly().describe('Region ids from the root down to the record’s region'),
  status: z.string(),
  details: z.record(z.string(), z.unknown()),
});

export const PageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('Pass it as cursor for the next page; null on the last page'),
    position: z.number().int().describe('The log position the page reflects'),
  });
