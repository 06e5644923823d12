package org.protoblock.chain.testing;

import com.google.protobuf.ByteString;
import java.util.Optional;
import java.util.function.Consumer;
import org.protoblock.chain.crypto.ChainSigner;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.chain.proto.DataTransition;
import org.protoblock.chain.proto.FantasybitProto;
import org.protoblock.chain.proto.NameTrans;
import org.protoblock.chain.proto.SignedTransaction;
import org.protoblock.chain.proto.TransType;
import org.protoblock.chain.proto.Transaction;
import org.protoblock.chain.types.ChainTransaction;

/**
 * Builds one signed transaction: version 4, a fresh nonce, a payload for NAME and DATA, signed by
 * the name's key (STAMPED: the oracle). Every part can be overridden to break one rule; the
 * signature is made after the overrides unless {@link #signature} or {@link #id} says otherwise.
 */
public final class TxBuilder {
    private final Transaction.Builder trans;
    private String fantasyName;
    private KeyPair signer;
    private Optional<String> idOverride = Optional.empty();
    private Optional<String> sigOverride = Optional.empty();

    private TxBuilder(Transaction.Builder trans, String fantasyName, KeyPair signer) {
        this.trans = trans;
        this.fantasyName = fantasyName;
        this.signer = signer;
    }

    static TxBuilder of(Devnet devnet, String name, TransType type) {
        Transaction.Builder trans = Transaction.newBuilder().setVersion(4).setType(type).setNonce(devnet.nextNonce());
        if (type == TransType.DATA) {
            trans.setExtension(FantasybitProto.dataTrans, DataTransition.newBuilder().setSeason(2024).setWeek(1).build());
        }
        KeyPair signer = type == TransType.STAMPED ? devnet.producer(0) : devnet.key(name);
        return new TxBuilder(trans, name, signer);
    }

    static TxBuilder name(Devnet devnet, String name, KeyPair key) {
        NameTrans nameTrans = NameTrans.newBuilder()
                .setFantasyName(name)
                .setPublicKey(ByteString.copyFromUtf8(key.publicKey().toBase58()))
                .build();
        Transaction.Builder trans = Transaction.newBuilder().setVersion(4).setType(TransType.NAME)
                .setNonce(devnet.nextNonce()).setExtension(FantasybitProto.nameTran, nameTrans);
        return new TxBuilder(trans, name, key);
    }

    /** Edits the inner Transaction (version, type, nonce, extensions) before it is signed. */
    public TxBuilder trans(Consumer<Transaction.Builder> edit) {
        edit.accept(trans);
        return this;
    }

    public TxBuilder version(int version) {
        trans.setVersion(version);
        return this;
    }

    public TxBuilder nonce(long nonce) {
        trans.setNonce(nonce);
        return this;
    }

    /** The signed fantasy_name (not covered by the signature). */
    public TxBuilder fantasyName(String name) {
        this.fantasyName = name;
        return this;
    }

    public TxBuilder signer(KeyPair key) {
        this.signer = key;
        return this;
    }

    /** Writes this text in the id field instead of the computed id. */
    public TxBuilder id(String idText) {
        this.idOverride = Optional.of(idText);
        return this;
    }

    /** Writes this text in the sig field instead of a signature. */
    public TxBuilder signature(String sigText) {
        this.sigOverride = Optional.of(sigText);
        return this;
    }

    public ChainTransaction build() {
        ChainTransaction signed = ChainSigner.signTransaction(trans.build(), fantasyName, signer);
        if (idOverride.isEmpty() && sigOverride.isEmpty()) {
            return signed;
        }
        SignedTransaction.Builder proto = signed.proto().toBuilder();
        idOverride.ifPresent(id -> proto.setId(ByteString.copyFromUtf8(id)));
        sigOverride.ifPresent(sig -> proto.setSig(ByteString.copyFromUtf8(sig)));
        return ChainTransaction.of(proto.build());
    }
}
