package org.protoblock.node.sp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpRequestTest {

    private static ByteBuf hex(String h) {
        return Unpooled.wrappedBuffer(HexFormat.of().parseHex(h));
    }

    private static String hex(ByteBuf b) {
        return HexFormat.of().formatHex(ByteBufUtil.getBytes(b));
    }

    @Test
    void aDirectRequestHasTheRequestIdAsItsWholeBacktrace() {
        SpRequest r = SpRequest.parse(hex("800000075003"), SpRequest.MAX_HOPS).orElseThrow();

        assertThat(hex(r.backtrace())).isEqualTo("80000007");
        assertThat(hex(r.body())).isEqualTo("5003");
    }

    @Test
    void hopsInFrontOfTheRequestIdStayInTheBacktrace() {
        SpRequest r = SpRequest.parse(hex("00000001000000028000abcd" + "f00100"), SpRequest.MAX_HOPS).orElseThrow();

        assertThat(hex(r.backtrace())).isEqualTo("00000001000000028000abcd");
        assertThat(hex(r.body())).isEqualTo("f00100");
    }

    @Test
    void anEmptyBodyIsARequestToo() {
        SpRequest r = SpRequest.parse(hex("80000001"), SpRequest.MAX_HOPS).orElseThrow();

        assertThat(r.body().readableBytes()).isZero();
    }

    @Test
    void moreHopsThanTheLimitAreDropped() {
        String hops = "00000001".repeat(SpRequest.MAX_HOPS);

        Optional<SpRequest> r = SpRequest.parse(hex(hops + "80000001"), SpRequest.MAX_HOPS);

        assertThat(r).isEmpty();
    }

    @Test
    void aMessageWithoutARequestIdIsDropped() {
        assertThat(SpRequest.parse(hex(""), SpRequest.MAX_HOPS)).isEmpty();
        assertThat(SpRequest.parse(hex("800000"), SpRequest.MAX_HOPS)).isEmpty();
        assertThat(SpRequest.parse(hex("0000000100"), SpRequest.MAX_HOPS)).isEmpty();
    }
}
