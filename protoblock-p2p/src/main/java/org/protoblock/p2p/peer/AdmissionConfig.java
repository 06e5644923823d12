package org.protoblock.p2p.peer;

/**
 * Settings of {@link InboundAdmission}.
 *
 * @param maxInbound inbound links; one more makes us evict (keep it below P2pConfig.maxSessions minus the outbound targets)
 */
public record AdmissionConfig(int maxInbound) {
    public AdmissionConfig {
        if (maxInbound < 0) {
            throw new IllegalArgumentException("maxInbound must not be negative");
        }
    }
}
