// Rewrites the ingest section of docs/performance.md from loadtest/results/ingest-latest.json (after a change
// to the section's wording, without running the benchmark again).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeIngestSection, type IngestResults } from './ingest-report.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const results = JSON.parse(
  readFileSync(`${ROOT}loadtest/results/ingest-latest.json`, 'utf8'),
) as IngestResults;
writeIngestSection(`${ROOT}docs/performance.md`, results);
