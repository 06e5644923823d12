package org.protoblock.node.wallet;

import com.google.protobuf.ByteString;
import java.util.Objects;
import org.protoblock.chain.crypto.ChainSigner;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.chain.proto.DataTransition;
import org.protoblock.chain.proto.FantasybitProto;
import org.protoblock.chain.proto.NameTrans;
import org.protoblock.chain.proto.TransType;
import org.protoblock.chain.proto.Transaction;
import org.protoblock.chain.types.ChainTransaction;

/**
 * Builds and signs client transactions the way the chain validates them: version 4 with a
 * nanosecond nonce; a NAME registration signed by the key it registers; a DATA transaction signed
 * by the registered name's key. Thread-safe.
 */
public final class TxFactory {
    public static final int VERSION = 4;
    /** What a client DATA transaction carries (an empty data transition of a season week). */
    private static final int DATA_SEASON = 2024;
    private static final int DATA_WEEK = 1;

    private final NonceSource nonces;

    public TxFactory(NonceSource nonces) {
        this.nonces = Objects.requireNonNull(nonces);
    }

    /** Registers {@code name} to {@code key}'s public key. */
    public ChainTransaction nameRegistration(String name, KeyPair key) {
        NameTrans nameTrans = NameTrans.newBuilder()
                .setFantasyName(name)
                .setPublicKey(ByteString.copyFromUtf8(key.publicKey().toBase58()))
                .build();
        Transaction trans = Transaction.newBuilder()
                .setVersion(VERSION)
                .setType(TransType.NAME)
                .setNonce(nonces.next())
                .setExtension(FantasybitProto.nameTran, nameTrans)
                .build();
        return ChainSigner.signTransaction(trans, name, key);
    }

    /** A DATA transaction by registered name {@code name}, signed by its key. */
    public ChainTransaction data(String name, KeyPair key) {
        Transaction trans = Transaction.newBuilder()
                .setVersion(VERSION)
                .setType(TransType.DATA)
                .setNonce(nonces.next())
                .setExtension(FantasybitProto.dataTrans,
                        DataTransition.newBuilder().setSeason(DATA_SEASON).setWeek(DATA_WEEK).build())
                .build();
        return ChainSigner.signTransaction(trans, name, key);
    }
}
