import { claimTempRoot } from './tempRoot';

/**
 * Every test run gets one temp folder of its own (test/tempRoot.ts), removed when the run ends: stores with
 * people's names and emails never stay behind, whichever test forgot to clean up; a run that was killed
 * has its folder swept by the next one.
 */
export default function setup(): () => void {
  const { release } = claimTempRoot('roadshow-tests-');
  return release;
}
