export { DeciderSpecification, Given, Then } from './deciderSpecification.ts';
export {
  eventStoreConformance,
  type StoreFactory,
  type StoreUnderTest,
  type StoreCapabilities,
} from './conformance/eventStoreConformance.ts';
export { checkStoreAgainstModel, type StoreModelOptions } from './conformance/storeModel.ts';
export * from './domain/index.ts';
export * from './arbitraries/index.ts';
