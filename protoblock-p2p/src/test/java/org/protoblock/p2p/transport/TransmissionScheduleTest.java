package org.protoblock.p2p.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TransmissionScheduleTest {
    private static final long MS = 1_000_000L;

    @Test
    void idleLinkDeliversAfterLatencyPlusTransfer() {
        TransmissionSchedule link = new TransmissionSchedule(new LinkProfile(Duration.ofMillis(50), 1_000_000));
        // 10,000 bytes at 1 MB/s take 10 ms on the wire, then 50 ms of flight.
        assertThat(link.arrival(0, 10_000)).isEqualTo(60 * MS);
    }

    @Test
    void messagesQueueBehindEachOtherInOrder() {
        TransmissionSchedule link = new TransmissionSchedule(new LinkProfile(Duration.ofMillis(50), 1_000_000));
        long first = link.arrival(0, 100_000);   // wire busy until 100 ms
        long second = link.arrival(1 * MS, 1_000); // waits for the wire: starts at 100 ms, 1 ms long
        assertThat(first).isEqualTo(150 * MS);
        assertThat(second).isEqualTo(151 * MS);
    }

    @Test
    void wireFreesUpWhenIdle() {
        TransmissionSchedule link = new TransmissionSchedule(new LinkProfile(Duration.ofMillis(50), 1_000_000));
        link.arrival(0, 1_000);                  // wire busy until 1 ms
        assertThat(link.arrival(500 * MS, 1_000)).isEqualTo(551 * MS);
    }

    @Test
    void noBandwidthLimitIsLatencyOnly() {
        TransmissionSchedule link = new TransmissionSchedule(new LinkProfile(Duration.ofMillis(20), 0));
        assertThat(link.arrival(0, 10_000_000)).isEqualTo(20 * MS);
        assertThat(link.arrival(0, 10_000_000)).isEqualTo(20 * MS);
    }
}
