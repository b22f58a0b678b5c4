import type { EventMetadata, RecordedEvent } from '@cogov/domain';

/**
 * An event as cogov wrote it before MemberAppointed's version 2: `approvalRef` and `approvedBy`
 * where version 2 has `approval: {ref, authority, level}`. Other events pass unchanged. For tests
 * that a log written then reads (and rebuilds) as one written now.
 */
export const memberAppointedAsVersion1 = (
  event: RecordedEvent,
): { readonly data: unknown; readonly metadata: EventMetadata } => {
  if (event.type !== 'MemberAppointed') return { data: event.data, metadata: event.metadata };
  const { approval, ...rest } = event.data as { approval: { ref: string; authority: string } };
  return {
    data: { ...rest, approvalRef: approval.ref, approvedBy: approval.authority },
    metadata: { ...event.metadata, schemaVersion: 1 },
  };
};
