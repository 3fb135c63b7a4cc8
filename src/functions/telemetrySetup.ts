// Loaded by the host with every other file here (package.json `main`): starts OpenTelemetry export to Application
// Insights when APPLICATIONINSIGHTS_CONNECTION_STRING is set, and does nothing otherwise. Registers no function.
import { startTelemetry } from '../shared/startTelemetry.js';

await startTelemetry();
