import java.util.ArrayList;
import java.util.List;
import org.protoblock.chain.codec.ChainCodec;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.p2p.gossip.CompactBlock;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.NewBlock;

/** ns per duplicate NewBlock: envelope decode + what BlockGossip does before it finds the block known. */
public class DupCost {
    public static void main(String[] args) throws Exception {
        boolean isNew = args[0].equals("new");
        Devnet devnet = Devnet.create(1);
        List<ChainTransaction> txs = new ArrayList<>();
        for (int i = 0; i < 50; i++) txs.add(devnet.nameTx("sim" + i));
        ChainBlock block = devnet.childOf(devnet.genesis(), 0, txs);
        ChainCodec codec = new ChainCodec(devnet.params().limits());
        NewBlock msg = isNew ? (NewBlock) CompactBlock.class.getMethod("of", ChainBlock.class, long.class).invoke(null, block, 42L).getClass().getMethod("toMessage").invoke(CompactBlock.class.getMethod("of", ChainBlock.class, long.class).invoke(null, block, 42L))
                             : (NewBlock) CompactBlock.class.getMethod("toMessage").invoke(CompactBlock.class.getMethod("of", ChainBlock.class).invoke(null, block));
        byte[] env = Envelope.newBuilder().setNewBlock(msg).build().toByteArray();
        var announcedId = isNew ? CompactBlock.class.getMethod("announcedId", NewBlock.class) : null;
        long sink = 0;
        for (int round = 0; round < 5; round++) {
            int n = 20_000;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                NewBlock m = Envelope.parseFrom(env).getNewBlock();
                Object r = isNew ? announcedId.invoke(null, m) : CompactBlock.parse(m, codec, devnet.params().limits());
                sink += r.hashCode();
            }
            long t1 = System.nanoTime();
            int full = 0;
            for (int i = 0; i < n; i++) {
                NewBlock m = Envelope.parseFrom(env).getNewBlock();
                sink += CompactBlock.parse(m, codec, devnet.params().limits()).hashCode();
            }
            long t2 = System.nanoTime();
            System.out.printf("%s: envelope %d B; duplicate path %.2f us; decode+parse %.2f us%n", args[0], env.length,
                    (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n);
        }
        System.out.println(sink == 42 ? "" : ".");
    }
}
