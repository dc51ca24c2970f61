/**
 * `ic-support-chat/backends/testing`: the protocol v1 conformance kit. Run it against your own
 * `SupportBackend`, a Fetch handler or the URL of a running endpoint to prove the widget can talk
 * to it (docs/custom-backend.md). The project's own backends pass it in its tests.
 */
export { runConformance, conformanceChecks, type ConformanceTarget, type ConformanceReport, type ConformanceResult, type RunConformanceOptions } from './run-conformance.js';
export { checkRunEvents, type ConformanceCheck, type ConformanceOptions, type Skipped } from './conformance-checks.js';
export { ConformanceError, ConformanceVisitor, type SeenEvent, type SendRequest } from './conformance-client.js';
