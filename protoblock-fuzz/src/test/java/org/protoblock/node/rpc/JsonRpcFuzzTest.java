package org.protoblock.node.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.protoblock.chain.service.Chain;
import org.protoblock.chain.service.ChainConfig;
import org.protoblock.chain.store.InMemoryChainStore;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.fuzz.AllocationBudget;
import org.protoblock.fuzz.Fixtures;

/**
 * A JSON-RPC request body as the HTTP handler passes it ({@link JsonRpcDispatcher#handle}), with the
 * node's chain methods over a real in-memory devnet chain (getblock, getblockheader,
 * sendrawtransaction, ... reach the codec and the chain's submission path). Properties: handle
 * never throws and its future completes within 10 s; the answer is JSON-RPC 2.0 (one response
 * object or a batch of at most {@value JsonRpcDispatcher#MAX_BATCH}, each with an id and exactly one
 * of result and error); no method ends in an internal error (-32603: an exception nobody
 * declared); the answer serializes; allocation stays bounded.
 */
class JsonRpcFuzzTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonRpcDispatcher DISPATCHER = dispatcher();
    private static final Set<Integer> CODES = Set.of(RpcException.PARSE_ERROR, RpcException.INVALID_REQUEST,
            RpcException.METHOD_NOT_FOUND, RpcException.INVALID_PARAMS, RpcException.RESPONSE_TOO_LARGE,
            RpcException.MISC_ERROR, RpcException.NOT_FOUND, RpcException.VERIFY_REJECTED);

    @FuzzTest(maxDuration = "10s")
    void request(byte[] body) throws Exception {
        AllocationBudget.check(body.length, 1024, () -> {
            Optional<JsonNode> answer = DISPATCHER.handle(body).get(10, TimeUnit.SECONDS);
            if (answer.isEmpty()) {
                return; // notifications only
            }
            JsonNode reply = answer.get();
            if (reply.isArray()) {
                assertThat(reply.size()).isBetween(1, JsonRpcDispatcher.MAX_BATCH);
                reply.forEach(JsonRpcFuzzTest::checkResponse);
            } else {
                checkResponse(reply);
            }
            MAPPER.writeValueAsBytes(reply);
        });
    }

    private static void checkResponse(JsonNode r) {
        assertThat(r.isObject()).isTrue();
        assertThat(r.path("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(r.has("id")).isTrue();
        assertThat(r.has("result") != r.has("error")).as("exactly one of result and error: %s", r).isTrue();
        if (r.has("error")) {
            int code = r.get("error").path("code").asInt();
            assertThat(CODES).as("error %s", r.get("error")).contains(code);
        }
    }

    private static JsonRpcDispatcher dispatcher() {
        try {
            Devnet devnet = Fixtures.devnet();
            Chain chain = Chain.open(ChainConfig.defaults(devnet.params()).withClock(devnet.clock()), new InMemoryChainStore());
            for (var block : Fixtures.devnetChildren(devnet)) {
                chain.submitBlock(block).get(30, TimeUnit.SECONDS);
            }
            return new JsonRpcDispatcher(MAPPER, new ChainRpcMethods(chain, Runnable::run).methods());
        } catch (Exception e) {
            throw new IllegalStateException("cannot open the fuzz chain", e);
        }
    }
}
