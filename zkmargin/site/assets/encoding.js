// The encodings a receipt check recomputes, mirroring zkmargin.batch.encoding (id hash, account
// commitment, account leaf), zkmargin.batch.statement (statement hash) and zkmargin.hash (sponge, tree nodes). Tags,
// instrument/asset order and the statement's field names come from the site's data (check-<n>.json),
// written by zkmargin.site.data; the browser test checks a receipt made by the Python prover, so
// a change on either side that the other misses fails there.

const RATE = 16; // the sponge's rate: width 17 minus the capacity word
const CHUNK_BYTES = 31;
const MAX_ID_BYTES = 64;

export async function encodings(check) {
  const poseidon = await globalThis.zkVendor.buildPoseidon();
  const F = poseidon.F;
  const P = BigInt(check.field_modulus); // BN254's scalar field, as zkmargin.field.BN254_FR
  // Into the field as the leaf takes a position (a short is p − |q|).
  const mod = (x) => ((x % P) + P) % P;
  const tags = Object.fromEntries(Object.entries(check.tags).map(([k, v]) => [k, BigInt(v)]));

  // zkmargin.hash.poseidon_sponge: capacity starts at 2^64 + length; 16 words absorbed per block.
  function sponge(inputs) {
    let state = [(tags.sponge_domain_base + BigInt(inputs.length)) % P, ...Array(RATE).fill(0n)];
    const blocks = Math.max(1, Math.ceil(inputs.length / RATE));
    for (let b = 0; b < blocks; b++) {
      const rate = state.slice(1).map((s, i) => (s + mod(inputs[b * RATE + i] ?? 0n)) % P);
      state = poseidon(rate, state[0], RATE + 1).map((x) => F.toObject(x));
    }
    return state[1];
  }

  const hashPair = (left, right) => F.toObject(poseidon([left, right]));

  function idHash(id) {
    const bytes = new TextEncoder().encode(id);
    if (bytes.length < 1 || bytes.length > MAX_ID_BYTES) throw new Mismatch("the account id's length");
    const chunks = [];
    for (let i = 0; i < bytes.length; i += CHUNK_BYTES) {
      let x = 0n;
      for (const byte of bytes.slice(i, i + CHUNK_BYTES)) x = (x << 8n) | BigInt(byte);
      chunks.push(x);
    }
    return sponge([tags.id, BigInt(bytes.length), ...chunks]);
  }

  // zkmargin.batch.encoding.account_commitment: the account's pseudonym, [tag, id hash, secret].
  const commitment = (id, secret) => sponge([tags.account, idHash(id), secret]);

  // zkmargin.batch.encoding.leaf_inputs: [tag, K, A, (E,) commitment, salt, (index, quantity) x
  // K, balances x A, extra x E]. The slots hold the non-zero positions by increasing instrument
  // index (the market's order), then (0, 0); the balances are in asset order, zero past the
  // market's. The isolated circuit's extra: per slot its isolation flag, then per slot its
  // isolated margin balance (0 for a cross or unused slot).
  function leaf(account, salt, secret) {
    const layout = check.leaf;
    const scale = check.quantity_decimals;
    const known = (section, names) => {
      for (const name of Object.keys(account[section] ?? {}))
        if (!names.includes(name)) throw new Mismatch(`${section}: ${name} is not in this market`);
    };
    known("positions", layout.instruments);
    known("collateral", layout.assets);
    known("isolated", layout.instruments);
    const held = layout.instruments
      .map((n, j) => [BigInt(j), decimal(account.positions?.[n] ?? "0", scale), n])
      .filter(([, q]) => q !== 0n);
    if (held.length > layout.slots) throw new Mismatch(`more positions than the ${layout.slots} slots`);
    const empty = Array(layout.slots - held.length).fill(0n);
    const slots = [...held.map(([j, q]) => [j, q]), ...empty.map(() => [0n, 0n])];
    const balances = layout.assets.map((n) => decimal(account.collateral?.[n] ?? "0", scale));
    let extra = [];
    if (layout.extra === "isolated") {
      const isolated = account.isolated ?? {};
      extra = [
        ...held.map(([, , n]) => (n in isolated ? 1n : 0n)),
        ...empty,
        ...held.map(([, , n]) => decimal(isolated[n] ?? "0", scale)),
        ...empty,
      ];
    } else if (layout.extra !== null) {
      throw new Mismatch(`an account leaf of kind ${layout.extra}`);
    }
    if (balances.some((b) => b < 0n) || extra.some((x) => x < 0n)) throw new Mismatch("a negative balance");
    const padded = [...balances, ...Array(layout.balances - balances.length).fill(0n)];
    const header = extra.length
      ? [tags.extended_leaf, BigInt(layout.slots), BigInt(layout.balances), BigInt(extra.length)]
      : [tags.leaf, BigInt(layout.slots), BigInt(layout.balances)];
    const slotWords = slots.flatMap(([j, q]) => [j, mod(q)]);
    return sponge([...header, commitment(account.id, secret), salt, ...slotWords, ...padded, ...extra]);
  }

  // zkmargin.batch.statement: Statement.fields(), the fields named in order (each < P).
  function statementFields(statement, fieldNames) {
    return fieldNames.map((name) => {
      const m = /^([a-z_]+)(?:\[(\d+)\])?$/.exec(name);
      const value = m && (m[2] === undefined ? statement[m[1]] : statement[m[1]]?.[Number(m[2])]);
      if (typeof value !== "string") throw new Mismatch(`statement field ${name}`);
      return element(value, `statement field ${name}`);
    });
  }

  // The sponge of [STATEMENT_TAG, *fields()].
  function statementHash(statement, fieldNames) {
    return sponge([tags.statement, ...statementFields(statement, fieldNames)]);
  }

  // zkmargin.hash.merkle.root_from_path: bit h of the index says the node is a right child.
  function rootFromPath(node, index, siblings) {
    siblings.forEach((sibling, h) => {
      node = (index >> h) & 1 ? hashPair(sibling, node) : hashPair(node, sibling);
    });
    return node;
  }

  // A receipt's decimal-string field element (salt, leaf, siblings).
  function element(text, what) {
    if (typeof text !== "string" || !/^\d+$/.test(text) || BigInt(text) >= P)
      throw new Mismatch(`${what} is not a field element`);
    return BigInt(text);
  }

  return { sponge, idHash, commitment, leaf, statementFields, statementHash, rootFromPath, element };
}

// A receipt that cannot be what the report committed; the page says "does not match".
export class Mismatch extends Error {}

// An exact decimal at 10^-decimals as a signed BigInt (zkmargin.margin.fixed.parse_decimal).
export function decimal(text, decimals) {
  const m = typeof text === "string" && /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m || (m[3] ?? "").length > decimals) throw new Mismatch(`the amount ${JSON.stringify(text)}`);
  const value = BigInt(m[2] + (m[3] ?? "").padEnd(decimals, "0"));
  return m[1] ? -value : value;
}
