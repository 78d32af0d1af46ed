// `npm start`'s NATS authorisation: nats-server runs a configuration generated from the network operators
// (users holding the ED or GT role in the development User directory), each a NATS user in an account of its
// own that sees only its grid feeds and the consumer API of its feed stream; the hub's services share the hub
// user (account HUB); each prepayment supplier (the ids given) is a NATS user in an account of its own that
// only receives and answers its approval requests (dcc.prepayment.approval.<id>). Seeds live in <run>/nats (0600) and are kept
// across restarts; the configuration is regenerated on every start, so a network operator admitted later
// gets its NATS user at the next start.
import { isAbsolute, join, relative } from 'node:path';

const NETWORK_OPERATOR_ROLES = ['ED', 'GT'];

export async function prepareNatsAuthorisation(run, users, prepaymentSupplierIds) {
  const { writeNatsAuthorisation, subjects, streams, consumers, GRID_JS_API_PREFIX } =
    await import('../libs/bus/dist/index.js');
  const operators = users
    .filter((u) => u.roles.some((r) => NETWORK_OPERATOR_ROLES.includes(r)))
    .map((u) => u.id);
  const files = writeNatsAuthorisation(join(run, 'nats'), operators, prepaymentSupplierIds);
  return {
    configFile: files.configFile,
    hubSeedFile: files.hubSeedFile,
    networkOperatorIds: operators,
    prepaymentSupplierSeedFiles: files.prepaymentSupplierSeedFiles,
    /** Where the credentials are and how each network operator subscribes with the `nats` CLI. */
    describe: (natsUrl, root) => [
      `  the hub's services: nkey seed ${shown(root, files.hubSeedFile)}`,
      ...[...files.networkOperatorSeedFiles].map(
        ([id, file]) =>
          `  network operator ${id}: nkey seed ${shown(root, file)}\n` +
          `    live:    nats --server ${natsUrl} --nkey ${shown(root, file)} sub '${subjects.gridJsonOfDno(id)}'\n` +
          `    durable: nats --server ${natsUrl} --nkey ${shown(root, file)} --js-api-prefix ${GRID_JS_API_PREFIX} ` +
          `consumer next ${streams.gridFeed(id).name} ${consumers.gridFeed(id, 'json')} --count 10`,
      ),
      ...[...files.prepaymentSupplierSeedFiles].map(
        ([id, file]) =>
          `  prepayment supplier ${id}: nkey seed ${shown(root, file)} (answers ${subjects.prepaymentApproval(id)})`,
      ),
    ],
  };
}

/** Relative to the repository when inside it (the default .run), absolute otherwise (DCC_RUN_DIR elsewhere). */
function shown(root, file) {
  const path = relative(root, file);
  return path.startsWith('..') || isAbsolute(path) ? file : path;
}
