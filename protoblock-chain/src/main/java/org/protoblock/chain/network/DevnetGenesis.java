package org.protoblock.chain.network;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.protoblock.chain.crypto.ChainSigner;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.chain.crypto.PublicKey;
import org.protoblock.chain.crypto.Secp256k1Verifier;
import org.protoblock.chain.proto.BlockHeader;
import org.protoblock.chain.proto.Data;
import org.protoblock.chain.proto.DataTransition;
import org.protoblock.chain.proto.FantasybitProto;
import org.protoblock.chain.proto.MessageData;
import org.protoblock.chain.proto.NameTrans;
import org.protoblock.chain.proto.TrType;
import org.protoblock.chain.proto.TransType;
import org.protoblock.chain.proto.Transaction;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainLimits;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.Rule;
import org.protoblock.chain.types.Sha256;
import org.protoblock.chain.types.ValidationException;

/**
 * Makes and reads the genesis of a private network (devnet), shaped like mainnet's.
 *
 * <p>Layout (a DATA block, num 0, prev_id 64 × "0", version 1, signed by producer 1):
 * <ol>
 *   <li>tx 0: DATA, SEASONSTART of the genesis year, week 0, signed by producer 1 as
 *       {@value #AGENT_NAME}. Its {@code Data} items are MESSAGEs: the first
 *       {@code "Protoblock devnet <name>"}, then one {@code "producer:<base58 key>"} per producer,
 *       in order. <b>These messages are the network's producer list</b>: a node rebuilds the
 *       {@link NetworkParams} from the genesis alone. Producer 1 is also the oracle.</li>
 *   <li>tx 1..n: the NAME registration of each producer (am_agent), signed by its own key:
 *       {@value #AGENT_NAME} for producer 1 (as on mainnet), {@value #AGENT_NAME}2, 3… for the
 *       others, so every producer can sign DATA and other transactions under a name.</li>
 * </ol>
 * The network id is {@code "devnet-"} + the first 8 hex characters of the genesis id, so two
 * devnets made with different keys, names or times never mix.
 */
public final class DevnetGenesis {
    public static final String AGENT_NAME = "FantasyAgent";
    public static final String NAME_PREFIX = "Protoblock devnet ";
    public static final String PRODUCER_PREFIX = "producer:";
    public static final int MAX_PRODUCERS = 32;
    public static final int MAX_NAME_CHARS = 64;
    /** Mainnet genesis's value; nothing checks it. */
    private static final long BASETARGET = 230584300921369395L;
    private static final String ZERO_ID = "0".repeat(64);

    private DevnetGenesis() {
    }

    /** A new devnet genesis signed by {@code producers.get(0)}, with {@link ChainLimits#DEFAULT}. */
    public static NetworkParams create(String name, List<KeyPair> producers, long timestampSeconds) {
        if (name.isBlank() || name.length() > MAX_NAME_CHARS) {
            throw new IllegalArgumentException("devnet name must be 1.." + MAX_NAME_CHARS + " chars");
        }
        if (producers.isEmpty() || producers.size() > MAX_PRODUCERS
                || new HashSet<>(producers.stream().map(KeyPair::publicKey).toList()).size() != producers.size()) {
            throw new IllegalArgumentException("need 1.." + MAX_PRODUCERS + " distinct producer keys");
        }
        if (timestampSeconds < 0 || timestampSeconds > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("timestamp out of int32 range: " + timestampSeconds);
        }
        KeyPair oracle = producers.get(0);
        List<ChainTransaction> txs = new ArrayList<>();
        txs.add(ChainSigner.signTransaction(seasonStart(name, producers, timestampSeconds), AGENT_NAME, oracle));
        for (int i = 0; i < producers.size(); i++) {
            txs.add(nameRegistration(agentName(i), producers.get(i)));
        }
        String generator = oracle.publicKey().toBase58();
        BlockHeader header = BlockHeader.newBuilder()
                .setVersion(1)
                .setNum(0)
                .setPrevId(ByteString.copyFromUtf8(ZERO_ID))
                .setTimestamp((int) timestampSeconds)
                .setGeneratorPk(ByteString.copyFromUtf8(generator))
                .setGeneratingSig(ByteString.copyFromUtf8(Sha256.hashAscii(generator).toHex()))
                .setBasetarget(BASETARGET)
                .setBlocktype(BlockHeader.Type.DATA)
                .build();
        ChainBlock genesis = ChainSigner.sealBlock(header, txs, oracle);
        return new NetworkParams(name, networkId(genesis.id()), genesis,
                producers.stream().map(KeyPair::publicKey).toList(), oracle.publicKey(), ChainLimits.DEFAULT);
    }

    /** The name producer {@code index} (0-based) registers in the genesis. */
    public static String agentName(int index) {
        return index == 0 ? AGENT_NAME : AGENT_NAME + (index + 1);
    }

    public static String networkId(BlockId genesisId) {
        return "devnet-" + genesisId.shortHex();
    }

    /**
     * Rebuilds a devnet's params from its genesis: the producer list from tx 0's messages, checked
     * against the header (generator = producer 1, header signature valid under it).
     *
     * @throws ValidationException BAD_GENESIS when the block is not a devnet genesis of this layout
     */
    public static NetworkParams params(ChainBlock genesis, ChainLimits limits) throws ValidationException {
        BlockHeader header = genesis.header();
        if (header.getNum() != 0 || !ZERO_ID.equals(header.getPrevId().toStringUtf8()) || genesis.transactions().isEmpty()) {
            throw notGenesis("not block 0 with transactions");
        }
        Transaction first = genesis.transactions().get(0).proto().getTrans();
        if (first.getType() != TransType.DATA || !first.hasExtension(FantasybitProto.dataTrans)) {
            throw notGenesis("tx 0 is not DATA");
        }
        String name = "devnet";
        List<PublicKey> producers = new ArrayList<>();
        for (Data data : first.getExtension(FantasybitProto.dataTrans).getDataList()) {
            String msg = data.getExtension(FantasybitProto.messageData).getMsg();
            if (msg.startsWith(NAME_PREFIX)) {
                name = msg.substring(NAME_PREFIX.length());
            } else if (msg.startsWith(PRODUCER_PREFIX) && producers.size() < MAX_PRODUCERS) {
                Optional<PublicKey> key = PublicKey.tryFromBase58(msg.substring(PRODUCER_PREFIX.length()));
                producers.add(key.orElseThrow(() -> notGenesis("bad producer key " + abbreviate(msg))));
            }
        }
        if (producers.isEmpty()) {
            throw notGenesis("no producer keys in tx 0");
        }
        PublicKey oracle = producers.get(0);
        if (!oracle.toBase58().equals(header.getGeneratorPk().toStringUtf8())) {
            throw notGenesis("generator_pk is not the first producer");
        }
        if (!Secp256k1Verifier.INSTANCE.verify(oracle, genesis.id().hash(), genesis.proto().getSignedhead().getSig())) {
            throw notGenesis("header signature does not verify under the first producer");
        }
        return new NetworkParams(name, networkId(genesis.id()), genesis, producers, oracle, limits);
    }

    private static Transaction seasonStart(String name, List<KeyPair> producers, long timestampSeconds) {
        DataTransition.Builder data = DataTransition.newBuilder()
                .setType(TrType.SEASONSTART_VALUE)
                .setSeason(Instant.ofEpochSecond(timestampSeconds).atZone(ZoneOffset.UTC).getYear())
                .setWeek(0)
                .addData(message(NAME_PREFIX + name));
        for (KeyPair producer : producers) {
            data.addData(message(PRODUCER_PREFIX + producer.publicKey().toBase58()));
        }
        return Transaction.newBuilder()
                .setVersion(1)
                .setType(TransType.DATA)
                .setExtension(FantasybitProto.dataTrans, data.build())
                .build();
    }

    private static Data message(String msg) {
        return Data.newBuilder()
                .setType(Data.Type.MESSAGE_VALUE)
                .setExtension(FantasybitProto.messageData, MessageData.newBuilder().setMsg(msg).build())
                .build();
    }

    private static ChainTransaction nameRegistration(String name, KeyPair key) {
        NameTrans nameTrans = NameTrans.newBuilder()
                .setFantasyName(name)
                .setPublicKey(ByteString.copyFromUtf8(key.publicKey().toBase58()))
                .setAmAgent(true)
                .build();
        Transaction trans = Transaction.newBuilder()
                .setVersion(1)
                .setType(TransType.NAME)
                .setExtension(FantasybitProto.nameTran, nameTrans)
                .build();
        return ChainSigner.signTransaction(trans, name, key);
    }

    private static ValidationException notGenesis(String detail) {
        return new ValidationException(Rule.BAD_GENESIS, "devnet genesis: " + detail);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
