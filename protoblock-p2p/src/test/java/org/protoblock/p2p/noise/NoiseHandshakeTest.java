package org.protoblock.p2p.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.identity.NodeKey;

class NoiseHandshakeTest {
    private final NodeKey alice = NodeKey.generate();
    private final NodeKey bob = NodeKey.generate();

    @Test
    void freshKeysAgreeOnTransportCiphers() throws Exception {
        byte[] prologue = new NoisePrologue(1, "devnet").toBytes();
        NoiseHandshake i = NoiseHandshake.initiator(alice.staticPrivateKey(), prologue);
        NoiseHandshake r = NoiseHandshake.responder(bob.staticPrivateKey(), prologue);
        r.readMessage(i.writeMessage(new byte[0]));
        i.readMessage(r.writeMessage(new byte[0]));
        r.readMessage(i.writeMessage(new byte[0]));
        NoiseCiphers ic = i.split();
        NoiseCiphers rc = r.split();
        byte[] msg = "hello".getBytes(StandardCharsets.UTF_8);
        byte[] buf = new byte[msg.length + 16];
        int n = ic.encrypt(msg, 0, msg.length, buf, 0);
        assertThat(rc.decrypt(buf, 0, n)).isEqualTo(msg.length);
        assertThat(new String(buf, 0, msg.length, StandardCharsets.UTF_8)).isEqualTo("hello");
        // Tampering is detected.
        n = rc.encrypt(msg, 0, msg.length, buf, 0);
        buf[0] ^= 1;
        int len = n;
        assertThatThrownBy(() -> ic.decrypt(buf, 0, len)).isInstanceOf(NoiseException.class);
    }

    @Test
    void differentProloguesFailTheHandshake() throws Exception {
        NoiseHandshake i = NoiseHandshake.initiator(alice.staticPrivateKey(), new NoisePrologue(1, "devnet").toBytes());
        NoiseHandshake r = NoiseHandshake.responder(bob.staticPrivateKey(), new NoisePrologue(1, "mainnet").toBytes());
        r.readMessage(i.writeMessage(new byte[0]));
        byte[] second = r.writeMessage(new byte[0]);
        assertThatThrownBy(() -> i.readMessage(second)).isInstanceOf(NoiseException.class);
    }

    @Test
    void outOfTurnMessagesAreRefused() {
        NoiseHandshake r = NoiseHandshake.responder(bob.staticPrivateKey(), new byte[0]);
        assertThatThrownBy(() -> r.writeMessage(new byte[0])).isInstanceOf(NoiseException.class);
        assertThatThrownBy(() -> r.readMessage(new byte[5])).isInstanceOf(NoiseException.class);
    }

    @Test
    void prologueRoundTripsAndRejectsForeignBytes() {
        NoisePrologue p = new NoisePrologue(3, "testnet-7");
        assertThat(NoisePrologue.parse(p.toBytes())).contains(p);
        assertThat(NoisePrologue.parse("GET / HTTP/1.1".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(NoisePrologue.parse("protoblock/x\0net".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(NoisePrologue.parse(new byte[500])).isEqualTo(Optional.empty());
    }
}
