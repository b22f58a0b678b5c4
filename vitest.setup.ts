import fc from 'fast-check';

// Property tests are seeded: FC_SEED reproduces a failure that CI reported
// (fast-check prints the seed and the counterexample path when a property fails).
const seed = process.env['FC_SEED'];
fc.configureGlobal({
  ...(seed === undefined ? {} : { seed: Number(seed) }),
  ...(process.env['FC_NUM_RUNS'] === undefined ? {} : { numRuns: Number(process.env['FC_NUM_RUNS']) }),
});
