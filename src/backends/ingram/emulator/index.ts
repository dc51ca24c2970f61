/**
 * `ic-support-chat/backends/ingram/emulator`: an in-memory Ingram Cloud API for tests, benchmarks
 * and offline development (`IC_BASE_URL=emulator`).
 */
export { createIngramEmulator, emulatorFetch, EMULATOR_AGENT_ID } from './emulator.js';
export type { EmulatorFault, EmulatorFaultRule, IngramEmulator, IngramEmulatorOptions } from './emulator.js';
export { defaultReply, words } from './reply.js';
export type { EmulatorStep, EmulatorTurn } from './reply.js';
