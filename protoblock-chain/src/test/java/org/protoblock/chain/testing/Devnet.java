package org.protoblock.chain.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.chain.network.DevnetGenesis;
import org.protoblock.chain.network.NetworkParams;
import org.protoblock.chain.proto.TransType;
import org.protoblock.chain.store.NameEntry;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainLimits;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.ValidationException;
import org.protoblock.chain.validation.BlockValidator;
import org.protoblock.chain.validation.ChainState;
import org.protoblock.chain.validation.TransactionValidator;

/**
 * A devnet for tests: seeded producer keys, its genesis and params, a settable clock, a registry of
 * the keys of names it created, and builders for signed transactions and child blocks.
 *
 * <pre>{@code
 * Devnet devnet = Devnet.create(2);
 * ChainTransaction alice = devnet.nameTx("alice");          // fresh key, kept as devnet.key("alice")
 * ChainBlock b1 = devnet.childOf(devnet.genesis(), alice);   // producer 0, timestamp max(now, parent)
 * ChainBlock b2 = devnet.childOf(b1, 1, devnet.dataTx("alice"));
 * devnet.advance(60);                                        // time moves for nonces and timestamps
 * }</pre>
 * The genesis registers {@link #producerName(int)} for each producer, so producers can sign
 * transactions by name right away. Not thread-safe.
 */
public final class Devnet {
    /** Genesis time of every fixture devnet (2023-11-14). */
    public static final long GENESIS_TIME = 1_700_000_000L;
    public static final long DEFAULT_SEED = 42;

    private final NetworkParams params;
    private final List<KeyPair> producers;
    private final Map<String, KeyPair> keys = new HashMap<>();
    private final Random random;
    private long now;
    private long nonceCounter;

    private Devnet(NetworkParams params, List<KeyPair> producers, Random random) {
        this.params = params;
        this.producers = List.copyOf(producers);
        this.random = random;
        this.now = GENESIS_TIME;
        for (int i = 0; i < producers.size(); i++) {
            keys.put(NameEntry.fold(producerName(i)), producers.get(i));
        }
    }

    public static Devnet create(int producerCount) {
        return create(producerCount, DEFAULT_SEED);
    }

    public static Devnet create(int producerCount, long seed) {
        return create("test", producerCount, seed, ChainLimits.DEFAULT);
    }

    public static Devnet create(String name, int producerCount, long seed, ChainLimits limits) {
        Random random = new Random(seed);
        List<KeyPair> producers = IntStream.range(0, producerCount).mapToObj(i -> KeyPair.fromRandom(random)).toList();
        NetworkParams params = DevnetGenesis.create(name, producers, GENESIS_TIME).withLimits(limits);
        return new Devnet(params, producers, random);
    }

    /** Wraps existing params and producer keys (e.g. loaded from files). */
    public static Devnet of(NetworkParams params, List<KeyPair> producers, long seed) {
        return new Devnet(params, producers, new Random(seed));
    }

    // ---- network

    public NetworkParams params() {
        return params;
    }

    public ChainBlock genesis() {
        return params.genesis();
    }

    public KeyPair producer(int index) {
        return producers.get(index);
    }

    public List<KeyPair> producers() {
        return producers;
    }

    /** The name producer {@code index} registered in the genesis ("FantasyAgent", "FantasyAgent2", …). */
    public String producerName(int index) {
        return DevnetGenesis.agentName(index);
    }

    public BlockValidator blockValidator() {
        return new BlockValidator(params, clock());
    }

    public TransactionValidator txValidator() {
        return new TransactionValidator(params);
    }

    // ---- time

    /** Current fixture time, seconds: default child timestamp and nonce base. */
    public long now() {
        return now;
    }

    public Devnet at(long seconds) {
        now = seconds;
        return this;
    }

    public Devnet advance(long seconds) {
        now += seconds;
        return this;
    }

    /** A clock reading {@link #now()} (follows later changes). */
    public Clock clock() {
        return new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochSecond(now);
            }
        };
    }

    /** A fresh nonce at {@link #now()}: unique, so equal transactions get different ids. */
    public long nextNonce() {
        return now * 1_000_000_000L + (nonceCounter++ % 1_000_000_000L);
    }

    // ---- keys and transactions

    /** The key of a name this devnet registered (case-folded, like the registry). */
    public KeyPair key(String name) {
        KeyPair key = keys.get(NameEntry.fold(name));
        if (key == null) {
            throw new IllegalArgumentException("no key for name " + name + " (make it with nameTx)");
        }
        return key;
    }

    public boolean hasKey(String name) {
        return keys.containsKey(NameEntry.fold(name));
    }

    /** A fresh seeded key pair (not registered to any name). */
    public KeyPair newKey() {
        return KeyPair.fromRandom(random);
    }

    /** A NAME registration of {@code name} with a fresh key, signed by it; the key is kept (the first one, if the name was used before). */
    public ChainTransaction nameTx(String name) {
        KeyPair key = newKey();
        keys.putIfAbsent(NameEntry.fold(name), key); // a taken name keeps its first key
        return TxBuilder.name(this, name, key).build();
    }

    /** A NAME registration builder with a fresh key (kept as {@code key(name)}), signed by it. */
    public TxBuilder nameTxBuilder(String name) {
        KeyPair key = newKey();
        keys.putIfAbsent(NameEntry.fold(name), key); // a taken name keeps its first key
        return TxBuilder.name(this, name, key);
    }

    /** A NAME registration builder for {@code key} (not remembered), signed by it. */
    public TxBuilder nameTxBuilder(String name, KeyPair key) {
        return TxBuilder.name(this, name, key);
    }

    /** A version-4 DATA transaction signed by {@code name}'s key. */
    public ChainTransaction dataTx(String name) {
        return tx(name, TransType.DATA);
    }

    /** A version-4 transaction of {@code type} signed by {@code name}'s key (STAMPED: by the oracle). */
    public ChainTransaction tx(String name, TransType type) {
        return txBuilder(name, type).build();
    }

    /** For transactions that break a rule: every field can be overridden before signing. */
    public TxBuilder txBuilder(String name, TransType type) {
        return TxBuilder.of(this, name, type);
    }

    /** {@code count} version-4 DATA transactions by {@code name}. */
    public List<ChainTransaction> dataTxs(String name, int count) {
        List<ChainTransaction> txs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            txs.add(dataTx(name));
        }
        return txs;
    }

    // ---- blocks

    public ChainBlock childOf(ChainBlock parent, ChainTransaction... txs) {
        return childOf(parent, 0, txs);
    }

    public ChainBlock childOf(ChainBlock parent, int producerIndex, ChainTransaction... txs) {
        return block(parent).producer(producerIndex).txs(List.of(txs)).build();
    }

    public ChainBlock childOf(ChainBlock parent, int producerIndex, List<ChainTransaction> txs) {
        return block(parent).producer(producerIndex).txs(txs).build();
    }

    /** {@code count} empty blocks on top of {@code parent}, by producer 0; returns them in order. */
    public List<ChainBlock> emptyChain(ChainBlock parent, int count) {
        List<ChainBlock> chain = new ArrayList<>();
        ChainBlock tip = parent;
        for (int i = 0; i < count; i++) {
            tip = childOf(tip);
            chain.add(tip);
        }
        return chain;
    }

    /** The state right after genesis: the producers' names registered. */
    public MemoryChainState genesisState() {
        try {
            return new MemoryChainState().apply(genesis(), txValidator().validateBlock(genesis(), ChainState.empty()));
        } catch (ValidationException e) {
            throw new IllegalStateException("fixture genesis is invalid: " + e.getMessage(), e);
        }
    }

    /**
     * Runs every block and transaction rule on {@code block} as a child of {@code parent} and, if
     * valid, applies its effects to {@code state}.
     */
    public void validateAndApply(ChainBlock block, ChainBlock parent, MemoryChainState state) throws ValidationException {
        blockValidator().validate(block, parent);
        List<NameEntry> names = txValidator().validateBlock(block, state);
        state.apply(block, names);
    }

    /** A builder for a child of {@code parent}: producer 0, timestamp max(now, parent's), no txs. */
    public BlockBuilder block(ChainBlock parent) {
        return new BlockBuilder(this, parent);
    }
}
