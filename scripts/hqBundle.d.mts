/** HQ's bundle (dist/hq/main.mjs, scripts/build.mjs). */
export declare const HQ_BUNDLE: string;
export declare const HQ_SOURCES: readonly string[];
/** The bundle and its threads exist and are newer than every source file. */
export declare function hqBundleFresh(): boolean;
