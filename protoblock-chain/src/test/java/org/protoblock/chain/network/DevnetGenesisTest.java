package org.protoblock.chain.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.chain.proto.Block;
import org.protoblock.chain.proto.TransType;
import org.protoblock.chain.store.NameEntry;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.testing.MemoryChainState;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainLimits;
import org.protoblock.chain.types.Rule;
import org.protoblock.chain.types.ValidationException;
import org.protoblock.chain.validation.ChainState;

class DevnetGenesisTest {
    @TempDir
    Path dir;

    @Test
    void createdGenesisValidatesUnderItsOwnParams() throws ValidationException {
        Devnet devnet = Devnet.create(3);
        NetworkParams params = devnet.params();
        devnet.blockValidator().validateGenesis(params.genesis());
        List<NameEntry> names = devnet.txValidator().validateBlock(params.genesis(), ChainState.empty());
        assertThat(names).extracting(NameEntry::name).containsExactly("FantasyAgent", "FantasyAgent2", "FantasyAgent3");
        assertThat(names).extracting(NameEntry::publicKey)
                .containsExactlyElementsOf(devnet.producers().stream().map(k -> k.publicKey().toBase58()).toList());
        assertThat(params.producerKeys()).containsExactlyElementsOf(devnet.producers().stream().map(KeyPair::publicKey).toList());
        assertThat(params.oracleKey()).isEqualTo(devnet.producer(0).publicKey());
        assertThat(params.networkId()).isEqualTo("devnet-" + params.genesisId().toHex().substring(0, 8));
        assertThat(params.name()).isEqualTo("test");
        assertThat(params.genesis().header().getBlocktype()).isEqualTo(org.protoblock.chain.proto.BlockHeader.Type.DATA);
        assertThat(params.genesis().transactions().get(0).proto().getTrans().getType()).isEqualTo(TransType.DATA);
        assertThat(params.isMainnet()).isFalse();
    }

    @Test
    void paramsAreRecoverableFromTheGenesisAlone() throws ValidationException {
        NetworkParams params = Devnet.create(2).params();
        assertThat(DevnetGenesis.params(params.genesis(), ChainLimits.DEFAULT)).isEqualTo(params);
        assertThat(Networks.fromGenesis(params.genesis(), ChainLimits.DEFAULT)).isEqualTo(params);
    }

    @Test
    void savingAndLoadingGenesisAndKeysRebuildsIdenticalParams() throws IOException, ValidationException {
        Random random = new Random(9);
        List<KeyPair> producers = List.of(KeyPair.fromRandom(random), KeyPair.fromRandom(random));
        NetworkParams params = DevnetGenesis.create("lan-party", producers, 1_710_000_000L);
        Path genesisFile = dir.resolve(GenesisFile.FILE_NAME);
        GenesisFile.write(genesisFile, params.genesis());
        for (int i = 0; i < producers.size(); i++) {
            producers.get(i).save(dir.resolve("producer" + i + ".key"));
        }
        assertThat(Files.readAllBytes(genesisFile)).isEqualTo(params.genesis().proto().toByteArray());

        NetworkParams loaded = GenesisFile.read(genesisFile, ChainLimits.DEFAULT);
        assertThat(loaded).isEqualTo(params);
        assertThat(loaded.name()).isEqualTo("lan-party");
        assertThat(KeyPair.load(dir.resolve("producer1.key"))).isEqualTo(producers.get(1));

        Devnet reloaded = Devnet.of(loaded, List.of(KeyPair.load(dir.resolve("producer0.key")),
                KeyPair.load(dir.resolve("producer1.key"))), 1);
        reloaded.at(1_710_000_100L);
        ChainBlock child = reloaded.childOf(loaded.genesis(), 1);
        reloaded.blockValidator().validate(child, loaded.genesis());
    }

    @Test
    void eitherOfTwoProducersMaySignButNoOneElse() throws ValidationException {
        Devnet devnet = Devnet.create(2);
        MemoryChainState state = devnet.genesisState();
        ChainBlock byFirst = devnet.childOf(devnet.genesis(), 0, devnet.dataTx("FantasyAgent2"));
        devnet.validateAndApply(byFirst, devnet.genesis(), state);
        ChainBlock bySecond = devnet.childOf(byFirst, 1, devnet.dataTx("FantasyAgent"));
        devnet.validateAndApply(bySecond, byFirst, state);
        ChainBlock competing = devnet.childOf(byFirst, 0); // a sibling of bySecond: competing branches
        devnet.blockValidator().validate(competing, byFirst);

        ChainBlock byOutsider = devnet.block(bySecond).producer(devnet.newKey()).build();
        assertThatThrownBy(() -> devnet.blockValidator().validate(byOutsider, bySecond))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.BAD_GENERATOR));
    }

    @Test
    void differentNamesKeysOrTimesMakeDifferentNetworks() {
        Random random = new Random(1);
        List<KeyPair> keys = List.of(KeyPair.fromRandom(random));
        NetworkParams a = DevnetGenesis.create("a", keys, 1_700_000_000L);
        NetworkParams b = DevnetGenesis.create("b", keys, 1_700_000_000L);
        NetworkParams c = DevnetGenesis.create("a", keys, 1_700_000_001L);
        NetworkParams d = DevnetGenesis.create("a", List.of(KeyPair.fromRandom(random)), 1_700_000_000L);
        assertThat(List.of(a, b, c, d)).extracting(NetworkParams::networkId).doesNotHaveDuplicates();
        assertThat(DevnetGenesis.create("a", keys, 1_700_000_000L)).isEqualTo(a); // deterministic (RFC 6979)
    }

    @Test
    void aBlockThatIsNotADevnetGenesisIsRejected() {
        Devnet devnet = Devnet.create(1);
        ChainBlock child = devnet.childOf(devnet.genesis());
        assertRule(() -> DevnetGenesis.params(child, ChainLimits.DEFAULT), Rule.BAD_GENESIS);
        Block noTxs = devnet.genesis().proto().toBuilder().clearSignedTransactions().build();
        assertRule(() -> DevnetGenesis.params(ChainBlock.of(noTxs), ChainLimits.DEFAULT), Rule.BAD_GENESIS);
        Block badSig = devnet.genesis().proto().toBuilder()
                .setSignedhead(devnet.genesis().proto().getSignedhead().toBuilder().setSig(devnet.producer(0).sign(new byte[32])))
                .build();
        assertRule(() -> DevnetGenesis.params(ChainBlock.of(badSig), ChainLimits.DEFAULT), Rule.BAD_GENESIS);
        assertThatThrownBy(() -> DevnetGenesis.create("x", List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mainnetIsTheOracleAloneAndIsRecognizedByGenesisId() throws ValidationException {
        NetworkParams mainnet = Networks.mainnet();
        assertThat(mainnet.networkId()).isEqualTo("mainnet");
        assertThat(mainnet.producerKeys()).containsExactly(Networks.MAINNET_ORACLE_KEY);
        assertThat(mainnet.oracleKey()).isEqualTo(Networks.MAINNET_ORACLE_KEY);
        assertThat(mainnet.genesisId()).isEqualTo(Networks.MAINNET_GENESIS_ID);
        assertThat(mainnet.isMainnet()).isTrue();
        assertThat(Networks.fromGenesis(mainnet.genesis(), ChainLimits.DEFAULT)).isEqualTo(mainnet);
    }

    @Test
    void mainnetGenesisFileRoundTrips() throws IOException, ValidationException {
        Path file = dir.resolve("genesis.block");
        GenesisFile.write(file, Networks.mainnet().genesis());
        assertThat(GenesisFile.read(file, ChainLimits.DEFAULT)).isEqualTo(Networks.mainnet());
    }

    interface Call {
        Object run() throws ValidationException;
    }

    private static void assertRule(Call call, Rule rule) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).isEqualTo(rule));
    }
}
