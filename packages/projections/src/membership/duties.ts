import type { PlainDate } from '@cogov/domain';

/** One assignment of the four roles (四大员) to a seat: the set replaces the previous from `on`. */
export interface DutyAssignment {
  readonly duties: readonly string[];
  readonly on: PlainDate;
}

/** The assignments that count, by day: for one day, the one recorded last; in day order. */
const effective = (assignments: readonly DutyAssignment[]): DutyAssignment[] => {
  const byDay = new Map<PlainDate, DutyAssignment>();
  for (const assignment of assignments) byDay.set(assignment.on, assignment);
  return [...byDay.values()].sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
};

/** The duties held on `day`: those of the latest assignment on or before it (none before the first). */
export const dutiesOn = (assignments: readonly DutyAssignment[], day: PlainDate): readonly string[] => {
  let held: readonly string[] = [];
  for (const assignment of effective(assignments)) {
    if (assignment.on > day) break;
    held = assignment.duties;
  }
  return held;
};

/** Each duty held, as a span [from, to) inside the seat's [seatFrom, seatEnd). */
export const dutySpans = (
  assignments: readonly DutyAssignment[],
  seatFrom: PlainDate,
  seatEnd: PlainDate,
): { readonly duty: string; readonly from: PlainDate; readonly to: PlainDate }[] => {
  const spans: { duty: string; from: PlainDate; to: PlainDate }[] = [];
  const ordered = effective(assignments);
  ordered.forEach((assignment, i) => {
    const from = assignment.on < seatFrom ? seatFrom : assignment.on;
    const next = ordered[i + 1]?.on ?? seatEnd;
    const to = next < seatEnd ? next : seatEnd;
    if (from < to) for (const duty of new Set(assignment.duties)) spans.push({ duty, from, to });
  });
  return spans;
};
