package org.protoblock.p2p.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;
import org.protoblock.chain.proto.BlockHeader;
import org.protoblock.chain.proto.SignedBlockHeader;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.chain.types.ValidationException;
import org.protoblock.chain.validation.BlockValidator;

/**
 * Header-chain validation for headers-first sync: a batch of headers must extend a known parent
 * ({@link Link}), each header the one before it: num + 1, prev_id = the previous id, timestamp not
 * before the parent's and not too far in the future, a producer key of the network, and a valid
 * producer signature ({@link BlockValidator#validateHeader}). Pure and thread-safe.
 *
 * <p>Each header is checked against its predecessor only, so the checks (dominated by the
 * signature) run in parallel; the first failing header, in order, is reported.
 */
final class HeaderChain {
    private HeaderChain() {
    }

    /** A header-chain position: a block id, its num and header timestamp (unsigned seconds). */
    record Link(BlockId id, int num, long timestamp) {
        Link {
            Objects.requireNonNull(id, "id");
        }

        ChainHead asHead() {
            return new ChainHead(id, num);
        }

        static Link of(BlockHeader header) {
            return new Link(ChainBlock.idOf(header), header.getNum(), Integer.toUnsignedLong(header.getTimestamp()));
        }
    }

    /** Validates {@code headers} as the chain after {@code parent}; returns their links, in order. */
    static List<Link> validate(BlockValidator validator, Link parent, List<SignedBlockHeader> headers)
            throws ValidationException {
        List<Link> links = new ArrayList<>(headers.size());
        for (SignedBlockHeader h : headers) {
            links.add(Link.of(h.getHead()));
        }
        Optional<IndexedFailure> failure = IntStream.range(0, headers.size()).parallel()
                .mapToObj(i -> check(validator, i == 0 ? parent : links.get(i - 1), headers.get(i), i))
                .flatMap(Optional::stream)
                .min((a, b) -> Integer.compare(a.index(), b.index()));
        if (failure.isPresent()) {
            ValidationException e = failure.get().error();
            throw new ValidationException(e.rule(), "header #" + failure.get().index() + " of "
                    + headers.size() + ": " + e.detail());
        }
        return links;
    }

    private record IndexedFailure(int index, ValidationException error) {
    }

    private static Optional<IndexedFailure> check(BlockValidator validator, Link parent, SignedBlockHeader header, int index) {
        try {
            validator.validateHeader(header, parent.asHead(), parent.timestamp());
            return Optional.empty();
        } catch (ValidationException e) {
            return Optional.of(new IndexedFailure(index, e));
        }
    }
}
