package org.protoblock.p2p.gossip;

import org.protoblock.chain.types.Rule;

/**
 * What a transaction's rejection by our chain says about the peer that sent it.
 *
 * <ul>
 *   <li>{@link #PEER_FAULT}: the transaction is invalid whatever the chain state (encoding, id,
 *       version, signature encoding, payload): the sender could have checked before relaying, so
 *       it is scored {@code INVALID_TRANSACTION}, and the id is not fetched again.</li>
 *   <li>{@link #STATE}: invalid against our state (name taken, replay, nonce window, signature under
 *       the key our registry holds): an honest peer on another branch or clock may relay it, so no
 *       score, but the id is not fetched again until our chain reorganises.</li>
 *   <li>{@link #DUPLICATE}: we already have it.</li>
 *   <li>{@link #RETRY}: may become valid soon (its name registration has not reached us yet, our
 *       mempool is full): neither scored nor remembered.</li>
 * </ul>
 */
enum TxRejection {
    PEER_FAULT, STATE, DUPLICATE, RETRY;

    static TxRejection of(Rule rule) {
        return switch (rule) {
            case MALFORMED_ENCODING, OVERSIZED, MISSING_FIELD, BAD_TX_ID, BAD_TX_VERSION, EMPTY_FANTASY_NAME,
                    BAD_SIGNATURE_ENCODING, HIGH_S_SIGNATURE, BAD_PUBLIC_KEY, NAME_MISMATCH, MISSING_PAYLOAD,
                    NOT_ORACLE -> PEER_FAULT;
            case ALREADY_IN_MEMPOOL, REPLAYED -> DUPLICATE;
            case UNKNOWN_NAME, MEMPOOL_FULL -> RETRY;
            default -> STATE;
        };
    }
}
