package org.protoblock.node.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.node.app.NodeApp;
import org.protoblock.node.cli.ProtoblockCommand;
import org.protoblock.node.testing.LocalNet;
import org.protoblock.p2p.identity.IdentityKey;
import org.protoblock.p2p.identity.NodeId;
import picocli.CommandLine;

/** addnode by node id over real RPC: C reaches A knowing only B, from whom it gets A's signed record. */
class AddNodeByIdTest {
    @TempDir
    static Path dir;
    static LocalNet net;
    static NodeApp a;
    static NodeApp b;
    static NodeApp c;

    @BeforeAll
    static void start() throws Exception {
        net = new LocalNet(dir);
        a = net.start();
        b = net.start();
        c = net.start();
        c.p2p().dial(b.p2pAddress()).get(30, TimeUnit.SECONDS);
        a.p2p().dial(b.p2pAddress()).get(30, TimeUnit.SECONDS);
        // A advertised its signed record to B after dialing it.
        await().atMost(Duration.ofSeconds(20)).until(() -> b.p2p().discovery().record(a.p2p().host().nodeId()).isPresent());
    }

    @AfterAll
    static void stop() {
        net.close();
    }

    static RpcClient client(NodeApp node) {
        return new RpcClient(node.rpcUrl(), Optional.empty(), Duration.ofSeconds(30));
    }

    @Test
    void cDialsAByIdThroughTheRecordItGetsFromB() throws Exception {
        NodeId aId = a.p2p().host().nodeId();
        assertThat(c.p2p().host().session(aId)).isEmpty();
        JsonNode added = client(c).call("addnode", aId.hex().toUpperCase(java.util.Locale.ROOT));
        assertThat(added.get("id").asText()).isEqualTo(aId.hex());
        assertThat(added.get("addr").asText()).isEqualTo(a.p2pAddress().toString());
        assertThat(c.p2p().discovery().record(aId)).isPresent();
        assertThat(client(c).call("getpeerinfo")).extracting(p -> p.get("id").asText()).contains(aId.hex());
        // Connected already: the open session answers.
        assertThat(client(c).call("addnode", aId.hex(), "onetry").get("id").asText()).isEqualTo(aId.hex());
    }

    @Test
    void theCliAddsAPeerByNodeId() throws Exception {
        NodeApp d = net.start();
        d.p2p().dial(b.p2pAddress()).get(30, TimeUnit.SECONDS);
        NodeId aId = a.p2p().host().nodeId();
        CommandLine cli = ProtoblockCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("peers", "add", "--rpc", d.rpcUrl().toString(), aId.hex());
        assertThat(code).as(err.toString()).isZero();
        assertThat(new ObjectMapper().readTree(out.toString()).get("id").asText()).isEqualTo(aId.hex());
        assertThat(d.p2p().host().session(aId)).isPresent();

        int failed = cli.execute("peers", "add", "--rpc", d.rpcUrl().toString(), IdentityKey.generate().nodeId().hex());
        assertThat(failed).isNotZero();
        assertThat(err.toString()).contains("no signed record of node");
    }

    @Test
    void aNodeAddedByIdIsKeptLinkedUntilRemoved() throws Exception {
        NodeApp e = net.start();
        e.p2p().dial(b.p2pAddress()).get(30, TimeUnit.SECONDS);
        NodeId aId = a.p2p().host().nodeId();
        RpcClient rpc = client(e);
        assertThat(rpc.call("addnode", aId.hex(), "add").isNull()).isTrue();
        assertThat(rpc.call("addnode", b.p2pAddress().toString(), "add").isNull()).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> e.p2p().host().session(aId).isPresent());
        assertThat(rpc.call("getaddednodeinfo")).extracting(n -> n.get("addednode").asText() + " " + n.get("connected").asBoolean())
                .containsExactly(b.p2pAddress() + " true", aId.hex() + " true");

        // Dropped: the node dials it again by its id.
        rpc.call("disconnectnode", "", aId.hex());
        await().atMost(Duration.ofSeconds(30)).until(() -> e.p2p().host().session(aId).isEmpty());
        await().atMost(Duration.ofSeconds(30)).until(() -> e.p2p().host().session(aId).isPresent());

        assertThat(rpc.call("addnode", aId.hex(), "remove").isNull()).isTrue();
        assertThat(rpc.call("getaddednodeinfo")).extracting(n -> n.get("addednode").asText()).containsExactly(b.p2pAddress().toString());
        assertThatThrownBy(() -> rpc.call("addnode", aId.hex(), "remove"))
                .isInstanceOfSatisfying(RpcClient.RpcCallException.class, x -> assertThat(x.code()).isEqualTo(RpcException.NODE_NOT_ADDED));
        assertThatThrownBy(() -> rpc.call("addnode", aId.hex(), "keep"))
                .isInstanceOfSatisfying(RpcClient.RpcCallException.class, x -> assertThat(x.code()).isEqualTo(RpcException.INVALID_PARAMS));
        e.close();
    }

    @Test
    void anUnknownNodeIdIsAClearError() {
        NodeId nobody = IdentityKey.generate().nodeId();
        assertThatThrownBy(() -> client(c).call("addnode", nobody.hex()))
                .isInstanceOfSatisfying(RpcClient.RpcCallException.class, e -> {
                    assertThat(e.code()).isEqualTo(RpcException.MISC_ERROR);
                    assertThat(e.getMessage()).contains("no signed record of node " + nobody.hex());
                });
        assertThatThrownBy(() -> client(c).call("addnode", c.p2p().host().nodeId().hex()))
                .hasMessageContaining("is this node");
    }

    @Test
    void aKnownNodeThatIsGoneNamesTheAddressesTried() throws Exception {
        NodeApp gone = net.start();
        NodeId goneId = gone.p2p().host().nodeId();
        String goneAddress = gone.p2pAddress().toString();
        gone.p2p().dial(b.p2pAddress()).get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> b.p2p().discovery().record(goneId).isPresent());
        gone.close();
        assertThatThrownBy(() -> client(c).call("addnode", goneId.hex()))
                .isInstanceOfSatisfying(RpcClient.RpcCallException.class, e -> {
                    assertThat(e.code()).isEqualTo(RpcException.MISC_ERROR);
                    assertThat(e.getMessage()).contains("unreachable", goneAddress);
                });
    }
}
