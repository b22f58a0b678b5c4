import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { APPROVAL_LEVEL, MemberAppointed } from '../committee/events.ts';
import { Authority } from '../policy/schema.ts';
import { DOMAIN_UPCASTERS, domainSchemaVersion } from './upcasters.ts';

const v1 = fc.record({
  committeeId: fc.constant('dongmen-ppc'),
  candidateId: fc.stringMatching(/^[a-z0-9]{1,8}$/).map((s) => `c-${s}`),
  personId: fc.constant('ht-tp-17'),
  level: fc.constantFrom('subdistrict', 'community'),
  category: fc.constant('institution-leader'),
  unitId: fc.constantFrom(null, 'bank'),
  appointedOn: fc.constant('2022-03-28'),
  termEndsOn: fc.constant('2024-12-31'),
  termNumber: fc.integer({ min: 1, max: 9 }),
  certificateNo: fc.stringMatching(/^[A-Za-z0-9〔〕号聘-]{1,12}$/),
  approvalRef: fc.stringMatching(/^[A-Za-z0-9〔〕号林工委批-]{1,20}$/),
  approvedBy: fc.constantFrom(...Authority.options),
  aboveGuideline: fc.boolean(),
});

describe('MemberAppointed version 1 → 2', () => {
  it('lifts every version 1 appointment to a valid version 2 one that keeps its approval, with the approving level', () => {
    fc.assert(
      fc.property(v1, (data) => {
        const event = {
          type: 'MemberAppointed',
          data,
          metadata: { schemaVersion: 1 },
        } as unknown as Parameters<typeof DOMAIN_UPCASTERS.upcast>[0];
        const lifted = DOMAIN_UPCASTERS.upcast(event, domainSchemaVersion('MemberAppointed') as number);
        expect(lifted.metadata.schemaVersion).toBe(2);
        const parsed = MemberAppointed.schema.safeParse(lifted.data);
        expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
        expect((lifted.data as { approval: unknown }).approval).toEqual({
          ref: data.approvalRef,
          authority: data.approvedBy,
          level: APPROVAL_LEVEL[data.approvedBy],
        });
      }),
    );
  });
});
