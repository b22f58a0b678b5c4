/** Testing KurrentDB deployments without a KurrentDB: a protocol stand-in (`@cogov/eventstore/esdb/testing`). */
export { startKurrentStandIn, type KurrentStandIn } from './standIn.ts';
