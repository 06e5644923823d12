/**
 * The chain's values and the rules that define them: hashes ({@link org.protoblock.chain.types.Hash256},
 * {@link org.protoblock.chain.types.Sha256}), ids, blocks and transactions, the head, the limits
 * every block and transaction must respect, and the {@link org.protoblock.chain.types.Rule} a
 * rejection names.
 *
 * <p>The bottom layer of the chain module: it imports only the generated protobuf types, so that
 * every other package may use it. The packages above it, each importing only those below:
 * <ol>
 *   <li>{@code types}</li>
 *   <li>{@code crypto} (keys, signatures, merkle root), {@code codec} (bytes to values under the
 *       limits), {@code store} (the chain store and its records)</li>
 *   <li>{@code network} (parameters and genesis of each network)</li>
 *   <li>{@code validation} (block and transaction rules over a chain state), then {@code verify}
 *       (parallel and cached signature checks)</li>
 *   <li>{@code mempool}, {@code producer}, {@code tree} (the block tree and fork choice)</li>
 *   <li>{@code service} (the {@code Chain} that runs them on its own thread)</li>
 * </ol>
 * {@code concurrent} stands apart: it imports nothing of the chain. The node's
 * {@code PackageCycleTest} fails the build on any import cycle between packages.
 */
package org.protoblock.chain.types;
