package org.protoblock.p2p.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.identity.IdentityKey;
import org.protoblock.p2p.transport.PeerAddress;

class RecordBookTest {
    private final IdentityKey alice = IdentityKey.generate();
    private final RecordBook book = new RecordBook(3);

    private SignedRecord record(IdentityKey key, long sequence, int port) {
        return SignedRecord.sign(key, List.of(SignedRecord.Address.direct(PeerAddress.tcp("203.0.113.5", port))), sequence);
    }

    @Test
    void theNewestValidRecordWinsAndCannotBeRolledBack() {
        assertThat(book.offer(record(alice, 10, 1))).isEqualTo(RecordBook.Outcome.ACCEPTED);
        assertThat(book.offer(record(alice, 20, 2))).isEqualTo(RecordBook.Outcome.ACCEPTED);
        assertThat(book.offer(record(alice, 15, 3))).isEqualTo(RecordBook.Outcome.ROLLED_BACK);
        assertThat(book.offer(record(alice, 20, 4))).isEqualTo(RecordBook.Outcome.DUPLICATE);
        assertThat(book.get(alice.nodeId())).hasValueSatisfying(r -> {
            assertThat(r.sequence()).isEqualTo(20);
            assertThat(r.directAddresses()).containsExactly(PeerAddress.tcp("203.0.113.5", 2));
        });
        assertThat(book.sanityCheck()).isEmpty();
    }

    @Test
    void aForgedRecordChangesNothingEvenWithAHigherSequence() {
        book.offer(record(alice, 10, 1));
        SignedRecord mallory = record(IdentityKey.generate(), 99, 6);
        SignedRecord forged = new SignedRecord(alice.nodeId(), mallory.addresses(), 99, mallory.signature());
        assertThat(book.offer(forged)).isEqualTo(RecordBook.Outcome.FORGED);
        assertThat(book.get(alice.nodeId()).orElseThrow().sequence()).isEqualTo(10);
        SignedRecord stranger = record(IdentityKey.generate(), 1, 1);
        assertThat(book.offer(new SignedRecord(stranger.nodeId(), stranger.addresses(), 2, stranger.signature())))
                .as("unknown node, tampered sequence").isEqualTo(RecordBook.Outcome.FORGED);
        assertThat(book.get(stranger.nodeId())).isEmpty();
    }

    @Test
    void theBookIsBoundedAndDropsTheLeastRecentlyUsed() {
        IdentityKey[] keys = {IdentityKey.generate(), IdentityKey.generate(), IdentityKey.generate(), IdentityKey.generate()};
        for (int i = 0; i < 3; i++) {
            book.offer(record(keys[i], 1, 1));
        }
        assertThat(book.get(keys[0].nodeId())).isPresent(); // read: now the most recent
        book.offer(record(keys[3], 1, 1));
        assertThat(book.size()).isEqualTo(3);
        assertThat(book.get(keys[1].nodeId())).isEmpty();
        assertThat(book.get(keys[0].nodeId())).isPresent();
        assertThat(book.sanityCheck()).isEmpty();
    }
}
