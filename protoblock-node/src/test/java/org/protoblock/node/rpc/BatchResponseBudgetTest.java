package org.protoblock.node.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Finding 7 of issue 10: a batch of requests for large answers (a block is up to 4 MiB, twice that
 * as hex) stops running once its answers reach the byte budget, instead of building them all.
 */
class BatchResponseBudgetTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int ANSWER = 256 * 1024;

    /** {@code n} requests and a notification. */
    private static String batch(int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"jsonrpc\":\"2.0\",\"id\":").append(i).append(",\"method\":\"big\"}");
        }
        return b.append(",{\"jsonrpc\":\"2.0\",\"method\":\"big\"}]").toString(); // and a notification
    }

    @Test
    void aBatchStopsRunningOnceItsAnswersReachTheBudget() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String payload = "x".repeat(ANSWER);
        Map<String, RpcMethod> methods = Map.of("big", p -> {
            calls.incrementAndGet();
            return CompletableFuture.supplyAsync(() -> TextNode.valueOf(payload));
        });
        long budget = 2L * 1024 * 1024;
        JsonRpcDispatcher dispatcher = new JsonRpcDispatcher(MAPPER, methods, budget);

        JsonNode reply = dispatcher.handle(batch(JsonRpcDispatcher.MAX_BATCH - 1).getBytes(StandardCharsets.UTF_8))
                .get(30, TimeUnit.SECONDS).orElseThrow();

        int run = (int) Math.ceil((double) budget / (ANSWER + 40)); // each answer: the payload and ~40 bytes of envelope
        assertThat(calls.get()).isBetween(run - 1, run + 1);
        assertThat(MAPPER.writeValueAsBytes(reply).length).isLessThan((int) budget + 2 * ANSWER);
        assertThat(reply.size()).isEqualTo(JsonRpcDispatcher.MAX_BATCH - 1); // every request with an id is answered
        for (int i = 0; i < reply.size(); i++) {
            JsonNode r = reply.get(i);
            assertThat(r.get("id").asInt()).isEqualTo(i); // in order
            if (i < calls.get()) {
                assertThat(r.get("result").asText()).hasSize(ANSWER);
            } else {
                assertThat(r.get("error").get("code").asInt()).isEqualTo(RpcException.RESPONSE_TOO_LARGE);
            }
        }
    }

    @Test
    void aBatchWithinTheBudgetRunsEveryRequest() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Map<String, RpcMethod> methods = Map.of("big", p -> {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture(TextNode.valueOf("small"));
        });
        JsonNode reply = new JsonRpcDispatcher(MAPPER, methods).handle(batch(50).getBytes(StandardCharsets.UTF_8))
                .get(30, TimeUnit.SECONDS).orElseThrow();
        assertThat(calls.get()).isEqualTo(51);
        assertThat(reply.size()).isEqualTo(50);
        assertThat(reply).allSatisfy(r -> assertThat(r.get("result").asText()).isEqualTo("small"));
    }
}
