export type { Migration } from '../../migrations/types.js';
