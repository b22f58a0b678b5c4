export * from './fixtures.ts';
export * from './committeeEvents.ts';
export { memberAppointedAsVersion1 } from './versions.ts';
