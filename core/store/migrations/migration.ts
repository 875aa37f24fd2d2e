import type { Db } from '../sqlite';

export interface Migration {
  /** Steps of 10 leave room for fixes; never edit one that shipped. */
  version: number;
  name: string;
  up(db: Db): void;
}
