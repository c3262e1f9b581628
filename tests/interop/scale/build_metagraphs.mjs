// Builds random Metagraph answers with @polkadot/types (the Polkadot ecosystem's SCALE codec) from
// a type definition of the runtime struct, for the decoder's interoperability test:
//   node build_metagraphs.mjs COUNT SEED   prints [{"scale": hex, "expected": {...}}]
import { TypeRegistry } from '@polkadot/types';
import { encodeAddress } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';

const identity = (withLogo) => Object.fromEntries(
  ['subnet_name', 'github_repo', 'subnet_contact', 'subnet_url', 'discord', 'description',
   ...(withLogo ? ['logo_url'] : []), 'additional'].map((name) => [name, 'Bytes']));

const compacts = (names, type = 'Compact<u64>') => names.map((name) => [name, type]);

const metagraph = (identityType) => Object.fromEntries([
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
]);

const registry = new TypeRegistry();
registry.register({
  SubnetIdentityV3: identity(true),
  SubnetIdentityV2: identity(false),
  ChainIdentityV2: Object.fromEntries(['name', 'url', 'github_repo', 'image', 'discord', 'description', 'additional'].map((n) => [n, 'Bytes'])),
  AxonInfo: { block: 'u64', version: 'u32', ip: 'u128', port: 'u16', ip_type: 'u8', protocol: 'u8', placeholder1: 'u8', placeholder2: 'u8' },
  MetagraphV3: metagraph('SubnetIdentityV3'),
  MetagraphV2: metagraph('SubnetIdentityV2'),
});

// A small deterministic generator (xorshift) so that runs are reproducible.
let state = BigInt(process.argv[3] ?? 1) || 1n;
const next = () => { state ^= (state << 13n) & 0xffffffffffffffffn; state ^= state >> 7n; state ^= (state << 17n) & 0xffffffffffffffffn; return state; };
const below = (n) => Number(next() % BigInt(n));
const bytes = (n) => Uint8Array.from({ length: n }, () => below(256));
const byteList = (n) => Array.from(bytes(n));  // Bytes fields take plain arrays (a Uint8Array would be read as length-prefixed)
// Edge-case compacts: each mode's boundaries and big values.
const edges = [0n, 63n, 64n, 16383n, 16384n, 1073741823n, 1073741824n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 64n - 1n];
const compact64 = () => (below(3) === 0 ? edges[below(edges.length)] : next() % (2n ** BigInt(1 + below(63))));

const count = Number(process.argv[2] ?? 10);
const out = [];
for (let i = 0; i < count; ++i) {
  const version = i % 2 === 0 ? 3 : 2;
  const neurons = below(3) === 0 ? 0 : 1 + below(40);
  const emptied = below(2) === 0;
  const hotkeys = Array.from({ length: neurons }, () => bytes(32));
  const coldkeys = Array.from({ length: neurons }, () => bytes(32));
  const perUid = (f) => Array.from({ length: neurons }, f);
  const taoStake = perUid(compact64);
  const alphaStake = perUid(compact64);
  const totalStake = perUid(compact64);
  const permits = perUid(() => below(2) === 1);
  const axons = perUid(() => ({ block: next() % 2n ** 64n, version: below(2 ** 31), ip: BigInt(below(2 ** 32)), port: below(65536),
                                ip_type: 4, protocol: 4, placeholder1: 0, placeholder2: 0 }));
  const ident = below(2) === 0 ? null : Object.fromEntries(Object.keys(identity(version === 3)).map((k) => [k, byteList(below(40))]));
  const value = {
    netuid: below(1024), name: Array.from(bytes(below(8))), symbol: Array.from(bytes(below(4))), identity: ident,
    network_registered_at: compact64(), owner_hotkey: bytes(32), owner_coldkey: bytes(32), block: compact64(),
    tempo: 360, last_step: compact64(), blocks_since_last_step: compact64(),
    subnet_emission: 2n ** 100n + BigInt(i), alpha_in: compact64(), alpha_out: compact64(), tao_in: compact64(),
    alpha_out_emission: compact64(), alpha_in_emission: compact64(), tao_in_emission: compact64(),
    pending_alpha_emission: compact64(), pending_root_emission: compact64(), subnet_volume: 2n ** 127n,
    moving_price: -(2n ** 90n), rho: 10, kappa: 32767, min_allowed_weights: 1, max_weights_limit: 65535,
    weights_version: compact64(), weights_rate_limit: 100, activity_cutoff: 5000, max_validators: 64, num_uids: neurons,
    max_uids: 256, burn: compact64(), difficulty: compact64(), registration_allowed: true, pow_registration_allowed: false,
    immunity_period: 5000, min_difficulty: compact64(), max_difficulty: compact64(), min_burn: compact64(), max_burn: compact64(),
    adjustment_alpha: compact64(), adjustment_interval: 112, target_regs_per_interval: 2, max_regs_per_block: 1,
    serving_rate_limit: 50, commit_reveal_weights_enabled: true, commit_reveal_period: 1, liquid_alpha_enabled: false,
    alpha_high: 58982, alpha_low: 45875, bonds_moving_avg: 900000,
    hotkeys, coldkeys,
    identities: perUid(() => (below(2) ? null : Object.fromEntries(['name', 'url', 'github_repo', 'image', 'discord', 'description', 'additional'].map((k) => [k, byteList(below(10))])))),
    axons, active: perUid(() => below(2) === 1), validator_permit: permits,
    pruning_score: emptied ? [] : perUid(compact64), last_update: perUid(compact64), emission: perUid(compact64),
    dividends: perUid(compact64), incentives: perUid(compact64), consensus: perUid(compact64),
    trust: emptied ? [] : perUid(compact64), rank: emptied ? [] : perUid(compact64),
    block_at_registration: perUid(compact64), alpha_stake: alphaStake, tao_stake: taoStake, total_stake: totalStake,
    tao_dividends_per_hotkey: hotkeys.map((h) => [h, compact64()]), alpha_dividends_per_hotkey: hotkeys.slice(0, 1).map((h) => [h, compact64()]),
  };
  const encoded = registry.createType(`MetagraphV${version}`, value).toU8a();
  const scale = new Uint8Array(encoded.length + 1);
  scale[0] = 1;  // Some
  scale.set(encoded, 1);
  out.push({
    scale: u8aToHex(scale),
    expected: {
      netuid: value.netuid, block: value.block.toString(), identity_version: ident ? version : 0,
      neurons: hotkeys.map((h, uid) => ({
        hotkey: encodeAddress(h, 42), coldkey: encodeAddress(coldkeys[uid], 42), tao_stake_rao: taoStake[uid].toString(),
        alpha_stake_rao: alphaStake[uid].toString(), total_stake_rao: totalStake[uid].toString(), validator_permit: permits[uid],
        axon_port: axons[uid].port, axon_ip: axons[uid].ip === 0n ? '' : [24, 16, 8, 0].map((s) => (Number(axons[uid].ip) >>> s) & 255).join('.'),
      })),
    },
  });
}
process.stdout.write(JSON.stringify(out));
