/**
 * The demo staff's PIN hashes (core/security/demoStaff.ts), worked out once: scrypt is slow on purpose
 * (~0.1 s each, more on a busy laptop), and the demo's hashes never change (fixed PINs, documented in the
 * README, and fixed salts), so a new demo desk need not spend half a second on them at its first start.
 * test/demo/demoPinHashes.test.ts recomputes each; demoStaff.ts uses one only while its salt and scrypt
 * parameters are those it would compute with, so a change of PIN_KDF falls back to computing.
 */
export const DEMO_PIN_HASHES: Readonly<Record<string, string>> = {
  'staff-demo-lead': 'scrypt$32768$8$1$ZFPJfAv_75cbjb7j4z8tKw$jLf2-nOHZNz98lxA8IWesBnC_8w8JiHn19JWfY--hEk',
  'staff-demo-desk': 'scrypt$32768$8$1$eUzHaYpIsgyi7MklNko64g$xiK97zlr_KovcUN4OgZ05irTB5Ud-rgQ6JvlhNaCU08',
  'staff-demo-booth': 'scrypt$32768$8$1$jUYw92J_RxTGh13xy2xzqw$-7FRKhQiSlWfmssAuN5fcIiIX0RmyT5-5Nk1ZDX1Gyw',
  'staff-demo-hq': 'scrypt$32768$8$1$EmncFbOSKhVOmBMdlk0Z7A$33ba2PyXXiFgBygLVCip-q8yAyjq6mDLc_zraF2wskQ',
};
