package org.protoblock.p2p.peer;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.protoblock.chain.store.ChainStore;
import org.protoblock.chain.store.Column;
import org.protoblock.chain.store.StoreBatch;
import org.protoblock.p2p.discovery.proto.StoredBan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bans in the store's {@link Column#BANS}: key = target text (UTF-8), value = {@link StoredBan}.
 * Each change is its own small durable batch (bans are rare). Call from the peer manager's thread
 * (never an event loop: writes sync to disk).
 */
public final class BanStore {
    private static final Logger log = LoggerFactory.getLogger(BanStore.class);

    private final ChainStore store;

    public BanStore(ChainStore store) {
        this.store = store;
    }

    /** Every stored ban, active or not (the caller drops expired ones); undecodable records are skipped. */
    public List<Ban> load() {
        List<Ban> out = new ArrayList<>();
        store.forEach(Column.BANS, (key, value) -> {
            try {
                StoredBan b = StoredBan.parseFrom(value);
                out.add(new Ban(new BanTarget(b.getTarget()), Instant.ofEpochMilli(b.getCreatedMs()),
                        Instant.ofEpochMilli(b.getUntilMs()), b.getReason()));
            } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
                log.warn("Skipping unreadable ban record {}: {}", new String(key, StandardCharsets.UTF_8), e.getMessage());
            }
        });
        return out;
    }

    public void save(Ban ban) {
        StoredBan record = StoredBan.newBuilder().setTarget(ban.target().text()).setCreatedMs(ban.created().toEpochMilli())
                .setUntilMs(ban.until().toEpochMilli()).setReason(ban.reason()).build();
        store.write(store.newBatch().put(Column.BANS, key(ban.target()), record.toByteArray()));
    }

    public void delete(List<BanTarget> targets) {
        if (targets.isEmpty()) {
            return;
        }
        StoreBatch batch = store.newBatch();
        targets.forEach(t -> batch.delete(Column.BANS, key(t)));
        store.write(batch);
    }

    private static byte[] key(BanTarget target) {
        return target.text().getBytes(StandardCharsets.UTF_8);
    }
}
