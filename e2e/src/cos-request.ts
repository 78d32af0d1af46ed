import { createSupplierCertificates } from '@dcc/pki';
import { UpdateSecurityCredentials } from '@dcc/proto';
import type { PrepaymentCredentials } from './prepayment-credentials.js';

/**
 * A whole 6.23 body as a gaining supplier sends it: its own Supplier Organisation Certificates for its
 * registered signing key (`signingKeyPem`, the public half in its USERS entry) and the top-up key the test hub
 * registered for it, the point's MPxN, and `value` over the rest (floors zero, no time-based checks).
 */
export async function cosBody(
  prepayment: PrepaymentCredentials,
  supplier: { supplierId: string; signingKeyPem: string; mpxn: string },
  value: Partial<UpdateSecurityCredentials> = {},
): Promise<{ $case: 'updateSecurityCredentials'; value: UpdateSecurityCredentials }> {
  const certificates = await createSupplierCertificates({
    supplierId: supplier.supplierId,
    signingKeyPem: supplier.signingKeyPem,
    topUpKeyPem: prepayment.topUpPublicKeyPem(supplier.supplierId),
  });
  return {
    $case: 'updateSecurityCredentials',
    value: UpdateSecurityCredentials.fromPartial({
      topUpFloor: '0',
      supplierFloorSeqNumber: '0',
      importMpxn: supplier.mpxn,
      ...certificates,
      ...value,
    }),
  };
}
