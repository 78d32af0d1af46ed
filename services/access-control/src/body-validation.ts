import { checkRequestBody, SIGNED_VARIANTS, type SrvDefinition } from '@dcc/domain';
import type { ServiceRequest } from '@dcc/proto';

/*
 * Validate before acknowledging: I99 means the request was valid and is stored. The body must be the SRV's own
 * parameters and every value the hub can check without the device must hold (lengths, ranges, periods,
 * enumerations, UTRN format): the rules are the SRV table's (libs/domain srv-table.ts, body-rules.ts). A
 * refusal is INVALID_ARGUMENT with a message naming the SRV and the field (DCC-REFERENCE §1.5 has no DUIS code
 * for a bad parameter value; docs/response-codes.md).
 */

/**
 * Request intake calls this right after admission, before a pre-command is issued, a local command made or
 * anything stored. CV 5, 6 and 7 of a critical SRV take their parameters from the signed pre-command, so for
 * them a body is optional here (checkSignedParameters checks the signed ones).
 */
export function validateBody(request: ServiceRequest, srv: SrvDefinition): void {
  const signed = srv.critical && SIGNED_VARIANTS.has(request.commandVariant);
  checkRequestBody(srv.srv, request.body, signed);
}

/**
 * After a signed pre-command is verified its parameters are the request's body: checked again in full, so a
 * pre-command issued under older rules cannot carry a value the hub now refuses into storage.
 */
export function checkSignedParameters(request: ServiceRequest, srv: SrvDefinition): void {
  checkRequestBody(srv.srv, request.body);
}
