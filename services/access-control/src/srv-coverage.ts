import { allSrvs, availableCommandVariants, routedOwnerOf, srvEntry, type SrvDefinition } from '@dcc/domain';

const yes = (flag: boolean) => (flag ? 'Y' : '');

const isAvailable = (d: SrvDefinition) => availableCommandVariants(d).length > 0;
const isRouted = (d: SrvDefinition) => d.nonDevice && isAvailable(d) && routedOwnerOf(d.srv) !== undefined;

function status(d: SrvDefinition): string {
  const variants = availableCommandVariants(d).join(', ');
  if (isRouted(d)) {
    return `**available**: CV ${variants} to the hub (HUB_ID), answered by ${routedOwnerOf(d.srv)}`;
  }
  if (d.roles.length === 0) {
    // 7.16: the device behaviour is there for when a role may send it.
    const ready = isAvailable(d) ? `; device handler ${srvEntry(d.srv)!.deviceHandler} ready` : '';
    return `refused E2 (no User Role may send it)${ready}`;
  }
  if (isAvailable(d)) {
    const handler = `device handler ${srvEntry(d.srv)!.deviceHandler}`;
    if (d.critical) return `**available**: CV ${variants} (pre-command, signed), ${handler}`;
    return `**available**: CV ${variants}, ${handler}`;
  }
  // Every catalogue SRV is in the SRV table (srv-support.spec.ts): the doc is not written while one is missing.
  throw new Error(`SRV ${d.srv} is in the catalogue but not in the SRV table`);
}

/** docs/srv-coverage.md, rendered from the catalogue and the SRV table so the doc and the code cannot drift. */
export function renderSrvCoverage(): string {
  const rows = allSrvs().map(
    (d) =>
      `| ${d.srv} | ${d.name} | ${d.roles.join(', ')} | ${yes(d.critical)} | ${d.commandVariants.join(',')} | ` +
      `${d.futureDated ?? ''} | ${yes(d.dccSchedulable)} | ${yes(d.nonDevice)} | ${d.deviceTypes.join(', ')} | ${status(d)} |`,
  );
  const available = allSrvs()
    .filter((d) => isAvailable(d) && !d.nonDevice && d.roles.length > 0)
    .map((d) => d.srv)
    .join(', ');
  const routed = allSrvs()
    .filter(isRouted)
    .map((d) => `${d.srv} (${routedOwnerOf(d.srv)})`)
    .join(', ');
  const critical = allSrvs()
    .filter((d) => d.critical && isAvailable(d) && d.roles.length > 0)
    .map((d) => d.srv)
    .join(', ');
  return `# SRV coverage

Generated from the catalogue (\`libs/domain/src/srv/srv-catalogue-data.ts\`) and the SRV table
(\`libs/domain/src/srv/srv-table.ts\`) by \`npm run docs\`; a test fails when this file and the code disagree.
How DCC's 297 published DUIS request samples fare against the hub (executed, refused as documented, other):
[duis-samples.md](duis-samples.md), written by \`e2e/test/duis-templates.spec.ts\`.

Every one of the ${allSrvs().length} Service Reference Variants is in the catalogue, and access control applies its
rules to all of them: role eligibility (E2), command variant (E12), device type (E11), unknown device (E19), unknown
User or role not held (E1). Every one is carried out: these reach a device, ${available}; the non-device ones are
routed as below, and the SRVs no User Role may send are refused E2.

Before a request is stored (and before a pre-command or local command is issued) its body is validated against
the SRV table's rules: the SRV's own parameters, present when it has any, and every value the hub can check
without the device (text lengths, numeric ranges, log periods, alert codes, UTRN format, date-times). A bad value
is refused with INVALID_ARGUMENT naming the field; nothing is stored and no response follows. Every refusal and
its code or status: [response-codes.md](response-codes.md).

Non-device SRVs routed today: ${routed}. The User sends them with command variant 8 (another is E12) to the
hub's own EUI-64 (access control's \`HUB_ID\`, default 90-B3-D5-1F-30-00-00-02; another target is
INVALID_ARGUMENT); access control asks the owning service over NATS (no answer: UNAVAILABLE, nothing stored),
stores its answer on the User's Responses stream (I0 with the body, or the owner's refusal with its code or
status), and only then acknowledges I99.

11.1 Update Firmware and 11.4 Update PPMID Firmware are answered by access control itself (firmware distribution,
\`services/access-control/src/firmware-distribution.ts\`): the image must be a whole OTA upgrade image of at most
512 KiB (file identifier, header length, the header's total size equal to the bytes sent; INVALID_ARGUMENT
otherwise), every listed device is judged as an 11.3 to it would be (E19, E11, E4, E5), 11.1 takes no PPMID and 11.4
only PPMIDs (E11). Then the image is kept once under its SHA-256 (KV \`firmware_images\`), each device's adapter is
mailed a transfer naming it, and the I0 names the hash an 11.3 activates it by; each device reports its transfer
as a Firmware Transfer alert (0x8F8A succeeded, 0x8F89 failed) to the User that sent the image.

8.3 Decommission Device, 8.4 Update Inventory and 12.2 Device Pre-notification change the inventory, so
registration checks ownership on the routed (NATS) path before applying them
(\`services/registration/src/inventory-changes.ts\`): 8.3 and 8.4 only by the registered supplier of the device's
meter point now (import supplier acting as IS for electricity, gas supplier acting as GS for gas), E4 otherwise;
12.2 only by IS or GS Users, E4 otherwise. The registration gRPC RPCs of the same names are the operators' API and do
not check ownership. A retried 8.3 on a device already Decommissioned gets registration's refusal
(FAILED_PRECONDITION) as its response, not a second I0.

8.4 with DeleteDevice (nothing else to update beside it, INVALID_ARGUMENT otherwise) takes a Pending device out
of the inventory: one at a meter point by that point's registered supplier, one at none (pre-notified) by an IS
or GS User (E4 otherwise); any other status, and a comms hub, is FAILED_PRECONDITION
(\`services/registration/src/inventory-deletion.ts\`). 8.5 Service Opt Out and 8.6 Service Opt In are
modelled for IS and GS (the 2022 matrix lists no role for them since the DCC opt-out left the SEC). 8.5 is a
device SRV (CV 1-3, DSP future-datable): the device validates the replacement Access Control Broker's certificate
path (refusing CERTIFICATE_REJECTED), installs it and refuses every later DCC command (OPTED_OUT); its adapter
reports it to registration (\`dcc.registration.opt.out\`, before the I0 is stored), which records the device
Withdrawn, so access control refuses every SRV to it E5. 8.6 brings such a device as InstalledNotCommissioned, by its
registered supplier (E4), with its type and meter point as the inventory records them (INVALID_ARGUMENT),
FAILED_PRECONDITION for a device not Withdrawn (\`services/registration/src/service-opt-in.ts\`). 12.1 Request WAN
Matrix is answered from the premises registration holds at the postcode (and address identifier) its feeds
give: their CSP region, and SM WAN coverage shown (connectivity "High") only where a communications hub there is
Commissioned; the hub holds no CSP coverage database, so an address it holds no premises at is NOT_FOUND
(\`services/registration/src/wan-matrix.ts\`).
6.21 Request Handover Of DCC Controlled Device (IS, GS; CV 1-3, DSP future-datable) hands the device's Supplier
or Network Operator trust anchors to a party outside the DCC: the device validates each replacement certificate's
path (CERTIFICATE_REJECTED), refuses a role whose trust anchor its type does not hold (NO_SUCH_TRUST_ANCHOR: a
network operator's on a GSME, any on a CHF, PPMID or HCALCS) and then refuses the DCC's commands that only that
role may send (HANDED_OVER; \`libs/meter/src/commands/device-handover.ts\`).
6.15.1 Update Security Credentials (KRP) with RemotePartyRole Supplier lets the supplier that holds a device roll
its own signing key (GBCS CS02b supplierBySupplier): before the pre-command is issued, access control refuses
(INVALID_ARGUMENT) replacement certificates that are not the sender's own Supplier Organisation Certificates or
whose digital signing certificate certifies none of its registered signing keys, and names that key in the
request (\`services/access-control/src/supplier-anchor.ts\`); the device validates the certification path
(CERTIFICATE_REJECTED) and then verifies the supplier's critical commands with the new key only.
8.14.1 to 8.14.4 Communications Hub Status Update change a communications hub's SMI status, only by the registered
supplier (IS or GS) of a meter point the hub serves now (E4; E19 unknown device, E11 not a CHF)
(\`services/registration/src/chf-operations.ts\`, the hub's reading of the transitions): install success
commissions a Pending, Whitelisted or InstalledNotCommissioned CHF; install without SM WAN makes a Pending or
Whitelisted one InstalledNotCommissioned; a fault return prior to installation withdraws a Pending or Whitelisted CHF, one post
installation an InstalledNotCommissioned, Commissioned or Suspended one, and a no-fault return any of these five; a
return withdraws the hub's GPF with it. A report the record already matches is answered with \`changed\` false; any other
starting status is FAILED_PRECONDITION. 8.13 Return Local Command Response takes the GBCS response a device gave to a
locally delivered command: before I99 access control checks it is a GBCS response from the original request's target
to its originator with its counter; registration checks the original request was the sender's and that the sender
is still the device's registered supplier (E4, E19), and answers the response's device, message code and counter.

8.12.1 Restore HAN Device Log (to the new CHF) and 8.12.2 Restore GPF Device Log (to the new GPF) name only the old
device (OldCHFID, OldGPFID); the hub's copy of its device log is what the inventory joins to the meter points it
served (its meters and HAN devices), which access control asks registration for before I99
(\`dcc.registration.device.log\`, \`services/registration/src/device-log.ts\`) and fills into the command: E19 when
the inventory does not hold the old device, E11 when it is not a CHF (8.12.1) or GPF (8.12.2), INVALID_ARGUMENT when
it is the target itself or the User sends saved entries, FAILED_PRECONDITION when it served none of the target's
points or nothing is joined there. The new device installs the entries on its log (\`libs/meter\`
\`restore-log-commands.ts\`), and its adapter reports the restore (\`dcc.registration.device.log.restored\`) before the
I0 is stored: the devices naming the old CHF name the new one, a GSME reached through the old GPF is reached through
the new one.

5.1 Create, 5.2 Read and 5.3 Delete Schedule are answered by the scheduling service. Before a 5.1 is routed,
access control checks the scheduled SRV as if it were sent now: DCC-schedulable and carried out by the hub
(INVALID_ARGUMENT otherwise), the role eligible for it (E2), and registration's answer for its device (E19, E11,
E4, E5); the first run's read period must pass that SRV's body rules. Each run of a schedule is checked again at
its due time, and a refused run's code (e.g. E4 after a change of supplier) is its response, tagged with the
DSPScheduleID as the answers of the runs that reach the meter are. A User reads and deletes only its own schedules
(another's id is NOT_FOUND, as an unknown one).

Access control also asks the registration service, at request time, about every device SRV that passed those
checks: the device must be in the Smart Metering Inventory (E19), of a type the SRV applies to by the inventory's
record (E11; the generation it records picks the delivery path, SMETS2 \`dcc.meter.s2.*\` or SMETS1
\`dcc.meter.s1.*\`), the User must hold,
now, the appointment its role needs at the device's meter point (E4: import supplier for IS, gas supplier for GS,
export supplier for ES, network operator for ED and GT, meter data retriever for MDR on electricity), and the device's SMI
status must allow the SRV (E5, rule table in \`services/access-control/src/device-status-rules.ts\`, inferred
from DCC-REFERENCE §2.4). Non-device SRVs are not checked against registration (but a 5.1's scheduled device is). An Other User (OU) passes E4
while it holds a consent at the meter point (registration's GrantConsent / RevokeConsent; a change of tenancy
revokes the consents); registration does not model agents, so **RSA gets E4 on every device SRV**, by design
until agent appointments exist. Data segregation: a log read whose body carries a
\`ReadLogPeriod\` (4.6.1, 4.8.1, 4.8.2, 4.8.3, 4.17) by IS, ES, GS or OU has its period's start moved to the start of
the requester's current appointment (OU: its consent) or the tenancy start, whichever is later, before it is
stored; a period wholly before that becomes an empty one (an empty log, not a refusal), and the acknowledgement's
detail says "log period from <instant> (data segregation)". A device the hub may address is one registration
holds: \`npm start\` and the test hubs load an estate feed first.

Critical SRVs that reach a device (${critical}) take the transform-and-sign path: command variant 4 returns
the pre-command in the acknowledgement (I0, \`Acknowledgement.pre_command\`), the User signs it (ECDSA P-256,
SHA-256, DER) with a registered signing key and submits it with command variant 5; access control and then the
meter verify the signature (libs/proto/proto/dcc/v1/pre_command.proto). Command variants 6 and 7 are the local
delivery of a signed pre-command (6: the local command only, I0; 7: over the WAN and a local copy, I99), as 2
and 3 are for non-critical SRVs; only the supplier roles may ask for local delivery (E17). Command variant 1 for
a critical SRV is E12.

Columns: eligible User Roles (MDR is the modelled MHHS role), critical (transform and sign: CV 4 then 5/6/7),
accepted command variants, future-dated pattern, DCC-schedulable, non-device (answered by the hub, CV 8), device
types it may target, and what the hub does with it now.

| SRV | Name | Roles | Critical | CV | Future-dated | Schedulable | Non-device | Device types | Hub today |
|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}
`;
}
