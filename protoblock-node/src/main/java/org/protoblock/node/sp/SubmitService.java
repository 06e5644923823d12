package org.protoblock.node.sp;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.protoblock.chain.codec.ChainCodec;
import org.protoblock.chain.service.Chain;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.ValidationException;

/**
 * Transaction submission over SP, a REP endpoint: the request is one serialized
 * {@code SignedTransaction}; the reply is one line of UTF-8 text, readable with
 * {@code nngcat --format=ascii}:
 * <ul>
 *   <li>{@code accepted <txid>} — it entered the mempool (it is then gossiped and published);</li>
 *   <li>{@code rejected <RULE> <detail>} — the validation rule it broke (as {@code sendrawtransaction}
 *       reports it), e.g. {@code rejected BAD_SIGNATURE ...};</li>
 *   <li>{@code busy} — the chain's queue is full, try again.</li>
 * </ul>
 * Rationale: REP rather than PUSH/PULL, because a client needs to know whether its transaction was
 * taken, and PULL has no way back; text rather than a new protobuf message, because the outcome
 * is for people and scripts, and there is no seed message for it.
 *
 * <p>Threads: parsing on the caller's thread (bounded by the transaction size limit), validation on
 * the chain executor.
 */
public final class SubmitService implements SpService {
    private final Chain chain;
    private final ChainCodec codec;

    public SubmitService(Chain chain) {
        this.chain = chain;
        this.codec = new ChainCodec(chain.config().network().limits());
    }

    /** The largest request: one transaction. */
    public int maxRequestBytes() {
        return chain.config().network().limits().maxTransactionBytes();
    }

    @Override
    public CompletableFuture<byte[]> handle(byte[] request, InetAddress from) {
        ChainTransaction tx;
        try {
            tx = codec.parseTransaction(request);
        } catch (ValidationException e) {
            return CompletableFuture.completedFuture(rejected(e));
        }
        return chain.submitTransaction(tx)
                .thenApply(id -> text("accepted " + id.toHex()))
                .exceptionally(SubmitService::outcome);
    }

    private static byte[] outcome(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof ValidationException v ? rejected(v) : text("busy");
    }

    private static byte[] rejected(ValidationException e) {
        return text("rejected " + e.rule().name() + " " + e.detail());
    }

    private static byte[] text(String line) {
        return line.getBytes(StandardCharsets.UTF_8);
    }
}
