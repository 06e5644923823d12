package org.protoblock.p2p.nat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class GatewaysTest {
    private static final String HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";

    @Test
    void readsTheDefaultRouteInKernelByteOrder() throws Exception {
        String table = HEADER
                + "eth0\t00000000\t014DA8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
                + "eth0\t004DA8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";
        assertThat(Gateways.parseDefaultIpv4(table)).contains(InetAddress.getByName("192.168.77.1"));
    }

    @Test
    void lowestMetricWinsAndRoutesWithoutGatewayFlagDoNot() throws Exception {
        String table = HEADER
                + "wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
                + "tun0\t00000000\t00000000\t0001\t0\t0\t0\t00000000\t0\t0\t0\n"
                + "eth0\t00000000\t014DA8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n";
        assertThat(Gateways.parseDefaultIpv4(table)).contains(InetAddress.getByName("192.168.77.1"));
    }

    @Test
    void noDefaultRouteOrGarbageIsEmpty() {
        assertThat(Gateways.parseDefaultIpv4(HEADER + "eth0\t004DA8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n")).isEmpty();
        assertThat(Gateways.parseDefaultIpv4("")).isEmpty();
        assertThat(Gateways.parseDefaultIpv4(HEADER + "eth0 zz zz zz 0 0 0 zz\n")).isEmpty();
    }
}
