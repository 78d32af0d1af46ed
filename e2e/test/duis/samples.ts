import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { BodyReader } from './body-reader.js';

/** One of DCC's published DUIS request samples (npm @smartdcc/duis-templates, used at test time only: GPL). */
export interface DuisSample {
  /** The template's name without `_REQUEST_DUIS.XML`, e.g. `ECS17b_4.1.1_SINGLE_SUCCESS`. */
  name: string;
  srv: string;
  commandVariant: number;
  originator: string;
  target: string;
  /** The body's one element (named after the SRV), e.g. `ReadInstantaneousImportRegisters`. */
  bodyElement: string;
  /** That element's content, read field by field. */
  body: BodyReader;
}

const SUFFIX = '_REQUEST_DUIS.XML';

/** Every template of the installed package, parsed with fast-xml-parser (text kept as text: "4.10" stays "4.10"). */
export function loadDuisSamples(): DuisSample[] {
  const main = createRequire(import.meta.url).resolve('@smartdcc/duis-templates');
  // dist/index.js → the package root, where templates/ lives.
  const dir = join(dirname(main), '..', 'templates');
  const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: false, parseTagValue: false });
  return readdirSync(dir)
    .filter((file) => file.endsWith(SUFFIX))
    .sort()
    .map((file) => {
      const request = parser.parse(readFileSync(join(dir, file), 'utf8')).Request;
      const header = request.Header;
      const [originator, target] = String(header.RequestID).split(':');
      const [bodyElement, ...others] = Object.keys(request.Body);
      if (!bodyElement || others.length > 0) throw new Error(`${file}: the body must hold one element`);
      return {
        name: file.slice(0, -SUFFIX.length),
        srv: String(header.ServiceReferenceVariant),
        commandVariant: Number(header.CommandVariant),
        originator: originator!,
        target: target!,
        bodyElement,
        body: BodyReader.of(request.Body[bodyElement]),
      };
    });
}
