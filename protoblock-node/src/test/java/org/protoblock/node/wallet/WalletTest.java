package org.protoblock.node.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.chain.proto.TransType;
import org.protoblock.chain.types.ChainTransaction;

class WalletTest {
    @TempDir
    Path dir;

    @Test
    void aNameKeepsItsKeyAcrossCaseAndRuns() throws Exception {
        Wallet wallet = new Wallet(dir);
        KeyPair first = wallet.keyFor("Alice Smith");
        assertThat(wallet.keyFor("alice smith")).isEqualTo(first);
        assertThat(new Wallet(dir).find("ALICE SMITH")).contains(first);
        assertThat(wallet.keyFile("Alice Smith").getFileName().toString()).isEqualTo("alice%20smith.key");
        assertThat(wallet.find("bob")).isEmpty();
        assertThat(wallet.keyFile("../x").getParent()).isEqualTo(dir);
        assertThatThrownBy(() -> wallet.keyFor(" padded")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noncesAreNanosecondsAndStrictlyIncreasing() {
        NonceSource nonces = new NonceSource(Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC));
        long a = nonces.next();
        assertThat(a).isEqualTo(1_700_000_000L * 1_000_000_000L);
        assertThat(nonces.next()).isEqualTo(a + 1);
    }

    @Test
    void transactionsAreVersionFourAndSignedUnderTheName() {
        TxFactory factory = new TxFactory(NonceSource.system());
        KeyPair key = KeyPair.generate();
        ChainTransaction name = factory.nameRegistration("carol", key);
        ChainTransaction data = factory.data("carol", key);
        assertThat(name.proto().getTrans().getType()).isEqualTo(TransType.NAME);
        assertThat(data.proto().getTrans().getType()).isEqualTo(TransType.DATA);
        assertThat(name.proto().getTrans().getVersion()).isEqualTo(4);
        assertThat(data.fantasyName()).isEqualTo("carol");
        assertThat(name.id()).isNotEqualTo(factory.nameRegistration("carol", key).id());
    }
}
