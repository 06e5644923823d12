package org.protoblock.p2p.gossip;

import org.protoblock.chain.types.Rule;

/**
 * What a transaction's rejection by our chain says about the peer that sent it.
 *
 * <ul>
 *   <li>{@link #PEER_FAULT}: the transaction is invalid whatever the chain state (encoding, id,
 *       version, signature, payload): the sender could have checked before relaying, so it is
 *       scored {@code INVALID_TRANSACTION}.</li>
 *   <li>{@link #STATE}: invalid against our state (name taken, replay, nonce window): an honest
 *       peer on another branch or clock may relay it, so no score, but the id is not fetched again
 *       until our chain reorganises.</li>
 *   <li>{@link #DUPLICATE}: we already have it.</li>
 *   <li>{@link #RETRY}: may become valid soon (its name registration has not reached us yet, our
 *       mempool is full): neither scored nor remembered.</li>
 * </ul>
 *
 * <p>Which copies a verdict condemns ({@link #specificToCopy}): the id hashes the inner
 * {@code Transaction} only, not the signature, the outer fantasy name or the encoding, so a
 * rejection for one of those condemns that copy's bytes, not the id. Rationale: otherwise a peer
 * that announces an id first and serves a bad-signature copy censors the honest copy for free (as
 * witness malleation did before Bitcoin Core's wtxid relay).
 */
enum TxRejection {
    PEER_FAULT, STATE, DUPLICATE, RETRY;

    static TxRejection of(Rule rule) {
        return switch (rule) {
            case MALFORMED_ENCODING, OVERSIZED, MISSING_FIELD, BAD_TX_ID, BAD_TX_VERSION, EMPTY_FANTASY_NAME,
                    BAD_SIGNATURE_ENCODING, HIGH_S_SIGNATURE, BAD_PUBLIC_KEY, BAD_TX_SIGNATURE, NAME_MISMATCH,
                    MISSING_PAYLOAD, NOT_ORACLE -> PEER_FAULT;
            case ALREADY_IN_MEMPOOL, REPLAYED -> DUPLICATE;
            case UNKNOWN_NAME, MEMPOOL_FULL -> RETRY;
            default -> STATE;
        };
    }

    /** True when the rule reads what the id does not hash (signature, outer name, encoding): only this copy is condemned. */
    static boolean specificToCopy(Rule rule) {
        return switch (rule) {
            case MALFORMED_ENCODING, OVERSIZED, MISSING_FIELD, BAD_TX_ID, EMPTY_FANTASY_NAME, BAD_SIGNATURE_ENCODING,
                    HIGH_S_SIGNATURE, BAD_PUBLIC_KEY, BAD_TX_SIGNATURE, NAME_MISMATCH, NOT_ORACLE, UNKNOWN_NAME -> true;
            default -> false;
        };
    }
}
