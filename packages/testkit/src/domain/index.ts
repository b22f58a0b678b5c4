export * from './fixtures.ts';
export * from './committeeEvents.ts';
