package org.protoblock.p2p.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.protoblock.chain.proto.SignedBlockHeader;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.Rule;
import org.protoblock.chain.types.ValidationException;
import org.protoblock.chain.validation.BlockValidator;
import org.protoblock.p2p.sync.HeaderChain.Link;

/** Headers are checked (linkage, height, producer, signature) before any body is asked for. */
class HeaderChainTest {
    private final Devnet devnet = Devnet.create(1);
    private final BlockValidator validator = devnet.blockValidator();
    private final List<ChainBlock> blocks = SyncFixtures.chain(devnet, devnet.genesis(), 50, 5);
    private final Link genesis = Link.of(devnet.genesis().header());

    private List<SignedBlockHeader> headers() {
        List<SignedBlockHeader> out = new ArrayList<>();
        blocks.forEach(b -> out.add(b.proto().getSignedhead()));
        return out;
    }

    private Rule ruleOf(Link parent, List<SignedBlockHeader> headers) {
        try {
            HeaderChain.validate(validator, parent, headers);
        } catch (ValidationException e) {
            return e.rule();
        }
        throw new AssertionError("headers passed");
    }

    @Test
    void aLinkedSignedChainPassesWithItsIds() throws Exception {
        List<Link> links = HeaderChain.validate(validator, genesis, headers());
        assertThat(links).extracting(Link::id).containsExactlyElementsOf(blocks.stream().map(ChainBlock::id).toList());
        assertThat(links.get(49).num()).isEqualTo(50);
    }

    @Test
    void aHeaderThatDoesNotFollowItsPredecessorIsRefused() {
        List<SignedBlockHeader> h = headers();
        h.remove(10);
        assertThat(ruleOf(genesis, h)).isEqualTo(Rule.BAD_HEIGHT);
        assertThat(ruleOf(Link.of(blocks.get(3).header()), headers())).isEqualTo(Rule.BAD_HEIGHT);
    }

    @Test
    void aHeaderNamingAnotherParentIsRefused() {
        ChainBlock other = devnet.advance(1).childOf(devnet.genesis());
        List<SignedBlockHeader> h = headers();
        h.set(0, other.proto().getSignedhead());
        assertThat(ruleOf(genesis, h)).isEqualTo(Rule.UNKNOWN_PARENT); // header 1 does not name `other`
    }

    @Test
    void anAlteredHeaderFailsItsSignature() {
        List<SignedBlockHeader> h = headers();
        SignedBlockHeader s = h.get(20);
        h.set(20, s.toBuilder().setHead(s.getHead().toBuilder().setTimestamp(s.getHead().getTimestamp() + 1)).build());
        assertThat(ruleOf(genesis, h)).isEqualTo(Rule.BAD_BLOCK_SIGNATURE);
    }

    @Test
    void aHeaderByAKeyThatIsNotAProducerIsRefused() {
        ChainBlock forged = devnet.block(devnet.genesis()).producer(devnet.newKey()).build();
        assertThat(ruleOf(genesis, List.of(forged.proto().getSignedhead()))).isEqualTo(Rule.BAD_GENERATOR);
    }

    @Test
    void theFirstBadHeaderInOrderIsReported() {
        List<SignedBlockHeader> h = headers();
        SignedBlockHeader s = h.get(30);
        h.set(30, s.toBuilder().setHead(s.getHead().toBuilder().setTimestamp(s.getHead().getTimestamp() + 1)).build());
        assertThatThrownBy(() -> HeaderChain.validate(validator, genesis, h))
                .isInstanceOf(ValidationException.class).hasMessageContaining("header #30");
    }
}
