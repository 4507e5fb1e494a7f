import { openDatabase } from './schema.ts';

/** The page's connection to the store. The import worker opens its own; both see the same data. */
export const db = openDatabase();
