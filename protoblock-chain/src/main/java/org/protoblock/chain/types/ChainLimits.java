package org.protoblock.chain.types;

/**
 * Bounds and time windows that blocks and transactions must respect. The nonce and replay windows
 * are the production chain's; the size and drift limits are this node's (the production node had
 * none), chosen well above anything the production chain holds.
 *
 * @param maxBlockBytes           serialized Block; 2 MiB by default so that a largest block fits one
 *                                p2p response (envelopes are capped at 4 MiB)
 * @param maxTransactionsPerBlock signed_transactions count
 * @param maxTransactionBytes     serialized SignedTransaction
 * @param maxFutureDriftSeconds   how far a block's timestamp may be ahead of this node's clock
 * @param nonceMaxAgeSeconds      a version-4 nonce may be this much older than the block time
 * @param nonceMaxAheadSeconds    … and this much newer
 * @param replayWindowSeconds     a version-4 id included this recently (by block time) is a replay;
 *                                longer than age + ahead so no replay passes the nonce window
 */
public record ChainLimits(int maxBlockBytes, int maxTransactionsPerBlock, int maxTransactionBytes,
                          long maxFutureDriftSeconds, long nonceMaxAgeSeconds, long nonceMaxAheadSeconds,
                          long replayWindowSeconds) {
    public static final ChainLimits DEFAULT = new ChainLimits(
            2 * 1024 * 1024, 10_000, 64 * 1024, 120, 48 * 3600, 60 * 60, 50 * 3600);

    public ChainLimits {
        if (maxBlockBytes <= 0 || maxTransactionsPerBlock <= 0 || maxTransactionBytes <= 0 || maxFutureDriftSeconds < 0
                || nonceMaxAgeSeconds < 0 || nonceMaxAheadSeconds < 0 || replayWindowSeconds < 0) {
            throw new IllegalArgumentException("limits must be positive: " + this);
        }
    }
}
