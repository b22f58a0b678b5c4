import {
  CandidateId,
  type Authority,
  type CommitteeEvent,
  type CommitteeLevel,
  type NomineeCategory,
  type PipelineStage,
} from '@cogov/domain';
import { committeeId, day, memberId, unitId } from './fixtures.ts';

export const candidateId = (value: string) => CandidateId.parse(value);

export interface CandidateSpec {
  readonly committee: string;
  readonly candidate: string;
  readonly person: string;
  readonly category?: NomineeCategory;
  readonly unit?: string | null;
}

const ids = (c: CandidateSpec) => ({
  committeeId: committeeId(c.committee),
  candidateId: candidateId(c.candidate),
});

/** The events of each pipeline step, for `given` in examples. */
export const steps = {
  nominated: (c: CandidateSpec, on = '2022-03-01'): CommitteeEvent => ({
    type: 'CandidateNominated',
    data: {
      ...ids(c),
      personId: memberId(c.person),
      category: c.category ?? 'institution-leader',
      unitId: c.unit === null ? null : unitId(c.unit ?? 'bank'),
      nominatedBy: 'unit party committee',
      nominatedOn: day(on),
    },
  }),
  screened: (c: CandidateSpec, on = '2022-03-05'): CommitteeEvent => ({
    type: 'CandidateScreened',
    data: { ...ids(c), screenedOn: day(on), method: 'mass-evaluation', votesFor: 40, votesAgainst: 2 },
  }),
  deliberated: (c: CandidateSpec, on = '2022-03-10'): CommitteeEvent => ({
    type: 'CandidateDeliberated',
    data: { ...ids(c), deliberatedOn: day(on), meetingRef: '党委会 2022-3' },
  }),
  approved: (
    c: CandidateSpec,
    level: CommitteeLevel = 'community',
    on = '2022-03-15',
    authority?: Authority,
  ): CommitteeEvent => ({
    type: 'CandidateApproved',
    data: {
      ...ids(c),
      approvedOn: day(on),
      authority:
        authority ?? (level === 'community' ? 'subdistrict-committee' : 'county-organisation-department'),
      approvalRef: '林工委批〔2022〕7号',
      filedWith: level === 'community' ? 'county-organisation-department' : null,
      reportedTo: level === 'subdistrict' ? 'county-standing-committee' : null,
    },
  }),
  publicity: (c: CandidateSpec, startsOn = '2022-03-21', endsOn = '2022-03-25'): CommitteeEvent => ({
    type: 'PublicityStarted',
    data: { ...ids(c), startsOn: day(startsOn), endsOn: day(endsOn), workingDays: 5 },
  }),
  appointed: (
    c: CandidateSpec,
    options: { on?: string; termEndsOn?: string; level?: CommitteeLevel; termNumber?: number } = {},
  ): CommitteeEvent => ({
    type: 'MemberAppointed',
    data: {
      ...ids(c),
      personId: memberId(c.person),
      level: options.level ?? 'community',
      category: c.category ?? 'institution-leader',
      unitId: c.unit === null ? null : unitId(c.unit ?? 'bank'),
      appointedOn: day(options.on ?? '2022-03-28'),
      termEndsOn: day(options.termEndsOn ?? '2024-12-31'),
      termNumber: options.termNumber ?? 1,
      certificateNo: `聘-${c.candidate}`,
      approval:
        (options.level ?? 'community') === 'community'
          ? { ref: '林工委批〔2022〕7号', authority: 'subdistrict-committee', level: 'subdistrict' }
          : { ref: '林工委批〔2022〕7号', authority: 'county-organisation-department', level: 'county' },
      aboveGuideline: false,
    },
  }),
};

/** Every step of the huitong-2022 pipeline up to and including `through`. */
export const pipelineThrough = (
  c: CandidateSpec,
  through: PipelineStage,
  level: CommitteeLevel = 'community',
): CommitteeEvent[] => {
  const all: [PipelineStage, CommitteeEvent][] = [
    ['nomination', steps.nominated(c)],
    ['screening', steps.screened(c)],
    ['deliberation', steps.deliberated(c)],
    ['approval', steps.approved(c, level)],
    ['publicity', steps.publicity(c)],
    [
      'appointment',
      steps.appointed(c, { level, ...(level === 'subdistrict' ? { termEndsOn: '2025-03-27' } : {}) }),
    ],
  ];
  const end = all.findIndex(([stage]) => stage === through);
  return all.slice(0, end + 1).map(([, e]) => e);
};
