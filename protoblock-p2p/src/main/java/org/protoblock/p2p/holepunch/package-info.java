/**
 * Hole punching over relayed links (issue 12), after libp2p's DCUtR: two nodes joined by a
 * circuit through a relay coordinate over it and open a direct TCP connection by dialing each other
 * at the same moment from their listening ports (a TCP simultaneous open through both NATs).
 *
 * <ul>
 *   <li>{@link org.protoblock.p2p.holepunch.HolePunchService}: the protocol (who coordinates, the
 *       Connect/Sync exchange, attempts, backoff, metrics, log lines).</li>
 *   <li>{@link org.protoblock.p2p.holepunch.PunchAddresses}: the HolePunchConnect codec, with its bounds.</li>
 *   <li>{@link org.protoblock.p2p.holepunch.OwnCandidates}: which addresses of ours to offer.</li>
 *   <li>{@link org.protoblock.p2p.holepunch.PunchDials}: dials every address of the peer, first link wins.</li>
 *   <li>{@link org.protoblock.p2p.holepunch.PunchRound}: one round's state.</li>
 *   <li>{@link org.protoblock.p2p.holepunch.PunchBackoff}: when a peer that could not be punched is tried again.</li>
 * </ul>
 */
package org.protoblock.p2p.holepunch;
