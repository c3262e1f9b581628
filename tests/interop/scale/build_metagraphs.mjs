// Builds Metagraph answers with @polkadot/types (the Polkadot ecosystem's SCALE codec) from a type
// definition of the runtime struct, for the decoder's interoperability test:
//   node build_metagraphs.mjs COUNT SEED   prints [{"scale": hex, "expected": {...}}] of random values
//   node build_metagraphs.mjs fixed        prints the small hand-checkable cases kept in the unit tests
// "expected" holds every field in a plain form (integers as decimal strings, bytes as 0x hex) plus
// the per-neuron view the miner derives (SS58 keys, stakes in RAO, axon text).
import { TypeRegistry } from '@polkadot/types';
import { encodeAddress } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';

const subnetIdentity = (withLogo) => ['subnet_name', 'github_repo', 'subnet_contact', 'subnet_url', 'discord', 'description',
  ...(withLogo ? ['logo_url'] : []), 'additional'];
const chainIdentity = ['name', 'url', 'github_repo', 'image', 'discord', 'description', 'additional'];
const asStruct = (names) => Object.fromEntries(names.map((name) => [name, 'Bytes']));

const compacts = (names, type = 'Compact<u64>') => names.map((name) => [name, type]);
const fields = (identityType) => [
  ['netuid', 'Compact<u16>'], ['name', 'Vec<Compact<u8>>'], ['symbol', 'Vec<Compact<u8>>'],
  ['identity', `Option<${identityType}>`], ['network_registered_at', 'Compact<u64>'],
  ['owner_hotkey', 'AccountId32'], ['owner_coldkey', 'AccountId32'], ['block', 'Compact<u64>'],
  ...compacts(['tempo', 'last_step', 'blocks_since_last_step']),
  ...compacts(['subnet_emission', 'alpha_in', 'alpha_out', 'tao_in', 'alpha_out_emission', 'alpha_in_emission',
               'tao_in_emission', 'pending_alpha_emission', 'pending_root_emission', 'subnet_volume'], 'Compact<u128>'),
  ['moving_price', 'i128'],
  ...compacts(['rho', 'kappa', 'min_allowed_weights', 'max_weights_limit', 'weights_version', 'weights_rate_limit',
               'activity_cutoff', 'max_validators', 'num_uids', 'max_uids', 'burn', 'difficulty']),
  ['registration_allowed', 'bool'], ['pow_registration_allowed', 'bool'],
  ...compacts(['immunity_period', 'min_difficulty', 'max_difficulty', 'min_burn', 'max_burn', 'adjustment_alpha',
               'adjustment_interval', 'target_regs_per_interval', 'max_regs_per_block', 'serving_rate_limit']),
  ['commit_reveal_weights_enabled', 'bool'], ['commit_reveal_period', 'Compact<u64>'], ['liquid_alpha_enabled', 'bool'],
  ...compacts(['alpha_high', 'alpha_low', 'bonds_moving_avg']),
  ['hotkeys', 'Vec<AccountId32>'], ['coldkeys', 'Vec<AccountId32>'], ['identities', 'Vec<Option<ChainIdentityV2>>'],
  ['axons', 'Vec<AxonInfo>'], ['active', 'Vec<bool>'], ['validator_permit', 'Vec<bool>'],
  ...compacts(['pruning_score', 'last_update', 'emission', 'dividends', 'incentives', 'consensus', 'trust', 'rank',
               'block_at_registration', 'alpha_stake', 'tao_stake', 'total_stake'], 'Vec<Compact<u64>>'),
  ['tao_dividends_per_hotkey', 'Vec<(AccountId32, Compact<u64>)>'],
  ['alpha_dividends_per_hotkey', 'Vec<(AccountId32, Compact<u64>)>'],
];
const layout = fields('SubnetIdentityV3');
const namesOfType = (test) => layout.filter(([name, type]) => name !== 'netuid' && test(type)).map(([name]) => name);
const scalarNames = namesOfType((type) => type.startsWith('Compact<'));
const flagNames = namesOfType((type) => type === 'bool');
const perUidNames = namesOfType((type) => type === 'Vec<Compact<u64>>');
const u128Names = new Set(namesOfType((type) => type === 'Compact<u128>'));
// Declared Compact<u16> by the runtime (values stay within 16 bits, as on the chain).
const u16Names = new Set(['tempo', 'rho', 'kappa', 'min_allowed_weights', 'max_weights_limit', 'activity_cutoff', 'max_validators',
  'max_uids', 'immunity_period', 'adjustment_interval', 'target_regs_per_interval', 'max_regs_per_block', 'alpha_high', 'alpha_low',
  'pruning_score', 'dividends', 'incentives', 'consensus', 'trust', 'rank']);

const registry = new TypeRegistry();
registry.register({
  SubnetIdentityV3: asStruct(subnetIdentity(true)),
  SubnetIdentityV2: asStruct(subnetIdentity(false)),
  ChainIdentityV2: asStruct(chainIdentity),
  AxonInfo: { block: 'u64', version: 'u32', ip: 'u128', port: 'u16', ip_type: 'u8', protocol: 'u8', placeholder1: 'u8', placeholder2: 'u8' },
  MetagraphV3: Object.fromEntries(fields('SubnetIdentityV3')),
  MetagraphV2: Object.fromEntries(fields('SubnetIdentityV2')),
});

const hex = (bytes) => u8aToHex(Uint8Array.from(bytes));
const decimal = (value) => BigInt(value).toString();
const byteFields = (struct) => (struct ? Object.fromEntries(Object.entries(struct).map(([k, v]) => [k, hex(v)])) : null);
const ipText = (axon) => (BigInt(axon.ip) === 0n ? '' : [24, 16, 8, 0].map((s) => (Number(axon.ip) >>> s) & 255).join('.'));

// Every field in plain form, and the per-neuron view.
const expectedOf = (value, version) => ({
  netuid: value.netuid, name: hex(value.name), symbol: hex(value.symbol),
  identity_version: value.identity ? version : 0, identity: byteFields(value.identity),
  owner_hotkey: hex(value.owner_hotkey), owner_coldkey: hex(value.owner_coldkey), block: decimal(value.block),
  scalars: Object.fromEntries(scalarNames.map((name) => [name, decimal(value[name])])),
  moving_price_bits: decimal(BigInt.asUintN(128, BigInt(value.moving_price))),
  flags: Object.fromEntries(flagNames.map((name) => [name, value[name]])),
  hotkeys: value.hotkeys.map(hex), coldkeys: value.coldkeys.map(hex), identities: value.identities.map(byteFields),
  axons: value.axons.map((a) => ({ block: decimal(a.block), version: a.version, ip: decimal(a.ip), port: a.port,
                                   ip_type: a.ip_type, protocol: a.protocol, placeholder1: a.placeholder1, placeholder2: a.placeholder2 })),
  active: value.active, validator_permit: value.validator_permit,
  per_uid: Object.fromEntries(perUidNames.map((name) => [name, value[name].map(decimal)])),
  tao_dividends_per_hotkey: value.tao_dividends_per_hotkey.map(([h, a]) => [hex(h), decimal(a)]),
  alpha_dividends_per_hotkey: value.alpha_dividends_per_hotkey.map(([h, a]) => [hex(h), decimal(a)]),
  neurons: value.hotkeys.map((h, uid) => ({
    hotkey: encodeAddress(h, 42), coldkey: encodeAddress(value.coldkeys[uid], 42),
    tao_stake_rao: decimal(value.tao_stake[uid] ?? 0), alpha_stake_rao: decimal(value.alpha_stake[uid] ?? 0),
    total_stake_rao: decimal(value.total_stake[uid] ?? 0), validator_permit: value.validator_permit[uid] ?? false,
    axon_port: value.axons[uid].port, axon_ip: ipText(value.axons[uid]),
  })),
});

// Some(value) in SCALE, with the expected fields.
const encodeCase = (value, version) => {
  const encoded = registry.createType(`MetagraphV${version}`, value).toU8a();
  return { scale: hex([1, ...encoded]), expected: expectedOf(value, version) };
};

// A Metagraph value: `pick(name)` gives each scalar, `perUid(make)` each per-uid vector.
const buildValue = ({ version, neurons, withIdentity, emptied, pick, bytes, key, below }) => {
  const perUid = (make) => Array.from({ length: neurons }, (_, uid) => make(uid));
  const hotkeys = perUid(key);
  const value = {
    netuid: Number(pick('netuid') % 65536n), name: bytes(below(8)), symbol: bytes(below(4)),
    identity: withIdentity ? Object.fromEntries(subnetIdentity(version === 3).map((k) => [k, bytes(below(40))])) : null,
    owner_hotkey: key(), owner_coldkey: key(), moving_price: pick('moving_price'),
    hotkeys, coldkeys: perUid(key),
    identities: perUid(() => (below(2) ? null : Object.fromEntries(chainIdentity.map((k) => [k, bytes(below(10))])))),
    axons: perUid(() => ({ block: pick('axon_block'), version: below(2 ** 31), ip: BigInt(below(2 ** 32)), port: below(65536),
                           ip_type: 4, protocol: below(3), placeholder1: below(256), placeholder2: below(256) })),
    active: perUid(() => below(2) === 1), validator_permit: perUid(() => below(2) === 1),
    tao_dividends_per_hotkey: hotkeys.map((h) => [h, pick('dividend')]),
    alpha_dividends_per_hotkey: hotkeys.slice(0, 1).map((h) => [h, pick('dividend')]),
  };
  for (const name of scalarNames) value[name] = pick(name);
  value.num_uids = neurons;  // as on the chain: one uid per hotkey
  for (const name of flagNames) value[name] = below(2) === 1;
  for (const name of perUidNames) value[name] = emptied.includes(name) ? [] : perUid(() => pick(name));
  return value;
};

// A small deterministic generator (xorshift) so that runs are reproducible.
const generator = (seed) => {
  let state = BigInt(seed) || 1n;
  const next = () => { state ^= (state << 13n) & 0xffffffffffffffffn; state ^= state >> 7n; state ^= (state << 17n) & 0xffffffffffffffffn; return state; };
  const below = (n) => Number(next() % BigInt(n));
  // Bytes fields take plain arrays (a Uint8Array would be read as already length-prefixed).
  const bytes = (n) => Array.from({ length: n }, () => below(256));
  const key = () => Uint8Array.from(bytes(32));
  return { next, below, bytes, key };
};

// Edge-case compacts: each mode's boundaries and the largest u64 and u128.
const edges16 = [0n, 63n, 64n, 16383n, 16384n, 65535n];
const edges64 = [0n, 63n, 64n, 16383n, 16384n, 2n ** 30n - 1n, 2n ** 30n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 64n - 1n];
const edges128 = [...edges64, 2n ** 64n, 2n ** 100n, 2n ** 127n, 2n ** 128n - 1n];

const randomCases = (count, seed) => {
  const { next, below, bytes, key } = generator(seed);
  const random64 = () => (below(3) === 0 ? edges64[below(edges64.length)] : next() % (2n ** BigInt(1 + below(63))));
  const pick = (name) => {
    if (name === 'moving_price') return BigInt.asIntN(128, (next() << 64n) | next());
    // A real registration block (over 2^20). The field follows the subnet identity, and read with the
    // wrong identity layout its compact becomes a byte-vector length: a tiny one can make a wrong
    // reading end exactly, a genuine ambiguity of the format that the unit tests cover separately.
    if (name === 'network_registered_at') return 2n ** 20n + BigInt(below(2 ** 30));
    if (u16Names.has(name)) return below(2) === 0 ? edges16[below(edges16.length)] : BigInt(below(65536));
    if (u128Names.has(name)) return below(2) === 0 ? edges128[below(edges128.length)] : (next() << 64n) | next();
    return random64();
  };
  return Array.from({ length: count }, (_, i) => {
    const version = i % 2 === 0 ? 3 : 2;
    const emptied = below(2) === 0 ? ['pruning_score', 'trust', 'rank'] : [];
    const neurons = below(3) === 0 ? 0 : 1 + below(40);
    return encodeCase(buildValue({ version, neurons, withIdentity: below(4) !== 0, emptied, pick, bytes, key, below }), version);
  });
};

// Small answers whose scalars are their field's position in the struct (tempo = 8, ...), except a
// few boundary values, for unit tests that can be checked by reading the hex.
const fixedCases = () => {
  const { below, bytes, key } = generator(44);
  const special = { netuid: 44n, block: 2n ** 30n, subnet_emission: 2n ** 128n - 1n, moving_price: -(2n ** 32n) * 3n / 2n,
                    tao_stake: 1500n * 10n ** 9n, alpha_stake: 2n ** 64n - 1n, total_stake: 16384n };
  const pick = (name) => special[name] ?? BigInt(Math.max(0, layout.findIndex(([n]) => n === name)));
  const emptied = ['pruning_score', 'trust', 'rank'];
  return [
    encodeCase(buildValue({ version: 2, neurons: 1, withIdentity: true, emptied, pick, bytes, key, below }), 2),
    encodeCase(buildValue({ version: 3, neurons: 2, withIdentity: true, emptied: [], pick, bytes, key, below }), 3),
    { scale: '0x00', expected: null },
  ];
};

const cases = process.argv[2] === 'fixed' ? fixedCases() : randomCases(Number(process.argv[2] ?? 10), process.argv[3] ?? 1);
process.stdout.write(JSON.stringify(cases));
