package org.protoblock.p2p.discovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.protoblock.p2p.identity.IdentityKey;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * Our own {@link SignedRecord}, signed again whenever the addresses in it change. Its sequence is
 * the clock's Unix ms, but always above the previous one (a clock stepping back cannot roll our
 * record back in others' books within one run; across restarts the clock is trusted).
 *
 * <p>What goes in ({@link #addressesFor}): the addresses others verified they can dial us at, and
 * listen addresses that need no verification because only their own host or process can use them
 * (loopback hosts, in-process names). A node nobody verified and listening only on a wildcard or
 * public host signs a record without addresses: it is known, not yet reachable.
 *
 * <p>Threads: any; guarded by its own lock.
 */
public final class OwnRecord {
    private final IdentityKey key;
    private final LongSupplier unixMillis;
    private SignedRecord current;

    /** @param unixMillis the wall clock in Unix ms ({@code clock::millis}) */
    public OwnRecord(IdentityKey key, LongSupplier unixMillis) {
        this.key = key;
        this.unixMillis = unixMillis;
    }

    /** The record with {@code addresses}: the current one, or a new one signed now. */
    public synchronized SignedRecord with(List<SignedRecord.Address> addresses) {
        List<SignedRecord.Address> bounded = addresses.stream().distinct().limit(SignedRecord.MAX_ADDRESSES).toList();
        if (current == null || !current.addresses().equals(bounded)) {
            long sequence = Math.max(unixMillis.getAsLong(), current == null ? 0 : current.sequence() + 1);
            current = SignedRecord.sign(key, bounded, sequence);
        }
        return current;
    }

    /** The last record signed, if any. */
    public synchronized Optional<SignedRecord> current() {
        return Optional.ofNullable(current);
    }

    /** Verified addresses first, then listen addresses only this host can use. */
    public static List<SignedRecord.Address> addressesFor(List<PeerAddress> verified, List<PeerAddress> listening) {
        ArrayList<SignedRecord.Address> out = new ArrayList<>();
        verified.forEach(a -> out.add(SignedRecord.Address.direct(a)));
        for (PeerAddress a : listening) {
            boolean hostOnly = !PeerAddress.TCP.equals(a.scheme()) || AddressRules.isLoopbackHost(a.host());
            if (hostOnly) {
                out.add(SignedRecord.Address.direct(a));
            }
        }
        return out.stream().distinct().toList();
    }
}
