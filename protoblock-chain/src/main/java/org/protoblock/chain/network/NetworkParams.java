package org.protoblock.chain.network;

import java.util.List;
import java.util.Objects;
import org.protoblock.chain.crypto.PublicKey;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainLimits;

/**
 * What defines a network: its genesis, the keys allowed to produce blocks, the oracle key (signs
 * STAMPED transactions, may sign any NAME registration, signs the producer's DATA) and the limits.
 * Two nodes talk only when networkId and genesis id both match.
 *
 * @param name         human name ("mainnet", or the devnet's name)
 * @param networkId    "mainnet", or "devnet-" + the first 8 hex characters of the genesis id
 * @param producerKeys mainnet: exactly the oracle key; a devnet may list several (first = oracle)
 */
public record NetworkParams(String name, String networkId, ChainBlock genesis, List<PublicKey> producerKeys,
                            PublicKey oracleKey, ChainLimits limits) {
    public NetworkParams {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(networkId, "networkId");
        Objects.requireNonNull(genesis, "genesis");
        Objects.requireNonNull(oracleKey, "oracleKey");
        Objects.requireNonNull(limits, "limits");
        producerKeys = List.copyOf(producerKeys);
        if (producerKeys.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one producer key");
        }
    }

    public BlockId genesisId() {
        return genesis.id();
    }

    public boolean isProducer(PublicKey key) {
        return producerKeys.contains(key);
    }

    public boolean isMainnet() {
        return genesis.id().equals(Networks.MAINNET_GENESIS_ID);
    }

    public NetworkParams withLimits(ChainLimits newLimits) {
        return new NetworkParams(name, networkId, genesis, producerKeys, oracleKey, newLimits);
    }

    @Override
    public String toString() {
        return networkId + " (genesis " + genesis.id().shortHex() + ", " + producerKeys.size() + " producer(s))";
    }
}
