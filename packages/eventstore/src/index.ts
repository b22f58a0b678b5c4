export { DataDirectoryError, isDataDirectoryError, type DataDirectoryProblem } from '@cogov/storage';
