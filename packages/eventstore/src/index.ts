export { DataDirectoryError, isDataDirectoryError, type DataDirectoryProblem } from './errors.ts';
