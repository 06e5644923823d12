package org.protoblock.p2p.peer;

import java.util.List;

/** Where bans persist. Writes sync to disk: called from the peer manager's thread, never an event loop. */
public interface BanStore {
    /** Every stored ban, active or not (the caller drops expired ones); unreadable records are skipped. */
    List<Ban> loadBans();

    void saveBan(Ban ban);

    void deleteBans(List<BanTarget> targets);
}
