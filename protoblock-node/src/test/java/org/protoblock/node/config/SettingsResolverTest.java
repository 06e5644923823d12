package org.protoblock.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsResolverTest {
    @TempDir
    Path dir;

    static SettingsResolver resolver(Map<String, String> flags, List<String> seeds, Map<String, String> env) {
        return new SettingsResolver(new SettingsResolver.Flags(flags, seeds), env);
    }

    @Test
    void defaultsWithNothingGiven() throws Exception {
        NodeSettings s = resolver(Map.of(), List.of(), Map.of()).resolve(dir, Map.of());
        assertThat(s.listen()).isEqualTo(new HostPort("0.0.0.0", 8125));
        assertThat(s.rpc()).isEqualTo(new HostPort("127.0.0.1", 8080));
        assertThat(s.seeds()).isEmpty();
        assertThat(s.producerKey()).isEmpty();
        assertThat(s.genesis()).isEmpty();
        assertThat(s.logLevel()).isEqualTo("INFO");
        assertThat(s.rpcHosts()).isEmpty();
        assertThat(s.rpcOrigins()).isEmpty();
        assertThat(s.portMapping()).as("nat = auto").isTrue();
    }

    @Test
    void natIsAutoOrOffFromFlagsEnvironmentOrFile() throws Exception {
        assertThat(resolver(Map.of("nat", "off"), List.of(), Map.of()).resolve(dir, Map.of()).portMapping()).isFalse();
        assertThat(resolver(Map.of(), List.of(), Map.of("PROTOBLOCK_NAT", "OFF")).resolve(dir, Map.of()).portMapping()).isFalse();
        assertThat(resolver(Map.of(), List.of(), Map.of()).resolve(dir, Map.of("nat", "off")).portMapping()).isFalse();
        assertThat(resolver(Map.of("nat", "auto"), List.of(), Map.of()).resolve(dir, Map.of("nat", "off")).portMapping()).isTrue();
        assertThatThrownBy(() -> resolver(Map.of("nat", "upnp"), List.of(), Map.of()).resolve(dir, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nat: expected auto or off");
    }

    @Test
    void rpcHostsAndOriginsAreListsFromFlagsEnvironmentOrFile() throws Exception {
        Map<String, String> file = Map.of("rpc-hosts", "a.example, b.example", "rpc-origins", "https://x.example");
        Map<String, String> env = Map.of("PROTOBLOCK_RPC_ORIGINS", "https://y.example https://z.example");
        NodeSettings s = resolver(Map.of("rpc-hosts", "*"), List.of(), env).resolve(dir, file);
        assertThat(s.rpcHosts()).containsExactly("*");
        assertThat(s.rpcOrigins()).containsExactly("https://y.example", "https://z.example");
        NodeSettings fromFile = resolver(Map.of(), List.of(), Map.of()).resolve(dir, file);
        assertThat(fromFile.rpcHosts()).containsExactly("a.example", "b.example");
        assertThat(fromFile.rpcOrigins()).containsExactly("https://x.example");
    }

    @Test
    void flagsBeatEnvironmentBeatsFileBeatsDefaults() throws Exception {
        Map<String, String> file = Map.of("listen", "1.1.1.1:1", "rpc", "1.1.1.1:2", "seed", "a:1, b:2", "log-level", "debug");
        Map<String, String> env = Map.of("PROTOBLOCK_RPC", "2.2.2.2:2", "PROTOBLOCK_SEED", "c:3", "PROTOBLOCK_LOG_LEVEL", "warn");
        SettingsResolver r = resolver(Map.of("log-level", "error"), List.of(), env);
        NodeSettings s = r.resolve(dir, file);
        assertThat(s.listen()).isEqualTo(new HostPort("1.1.1.1", 1));
        assertThat(s.rpc()).isEqualTo(new HostPort("2.2.2.2", 2));
        assertThat(s.seeds()).containsExactly(new HostPort("c", 3));
        assertThat(s.logLevel()).isEqualTo("ERROR");
        assertThat(r.sourceOf("listen", file)).isEqualTo(SettingSource.FILE);
        assertThat(r.sourceOf("rpc", file)).isEqualTo(SettingSource.ENVIRONMENT);
        assertThat(r.sourceOf("log-level", file)).isEqualTo(SettingSource.FLAG);
        assertThat(r.sourceOf("producer-key", file)).isEqualTo(SettingSource.DEFAULT);

        NodeSettings fromFile = resolver(Map.of(), List.of(), Map.of()).resolve(dir, file);
        assertThat(fromFile.seeds()).containsExactly(new HostPort("a", 1), new HostPort("b", 2));
        NodeSettings fromFlags = resolver(Map.of(), List.of("d:4", "e:5"), env).resolve(dir, file);
        assertThat(fromFlags.seeds()).containsExactly(new HostPort("d", 4), new HostPort("e", 5));
    }

    @Test
    void dataDirAndGenesisComeFromFlagsOrEnvironmentOnly() {
        SettingsResolver r = resolver(Map.of(), List.of(), Map.of("PROTOBLOCK_DATA_DIR", "/x", "PROTOBLOCK_GENESIS", "/g.block"));
        assertThat(r.explicitDataDir()).contains(Path.of("/x"));
        assertThat(r.genesis()).contains(Path.of("/g.block"));
        SettingsResolver flagged = resolver(Map.of("data-dir", "/y"), List.of(), Map.of("PROTOBLOCK_DATA_DIR", "/x"));
        assertThat(flagged.explicitDataDir()).contains(Path.of("/y"));
        assertThatThrownBy(() -> resolver(Map.of(), List.of(), Map.of()).resolve(dir, Map.of("data-dir", "/z")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key 'data-dir'");
    }

    @Test
    void malformedValuesAreConfigErrors() {
        assertThatThrownBy(() -> resolver(Map.of("listen", "nope"), List.of(), Map.of()).resolve(dir, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("listen");
        assertThatThrownBy(() -> resolver(Map.of(), List.of("x"), Map.of()).resolve(dir, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("seed");
        assertThatThrownBy(() -> resolver(Map.of("log-level", "loud"), List.of(), Map.of()).resolve(dir, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("log-level");
        assertThatThrownBy(() -> resolver(Map.of(), List.of(), Map.of("PROTOBLOCK_RPC", "1.2.3.4:99999")).resolve(dir, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("rpc");
    }

    @Test
    void theTemplateIsWrittenOnceAndReadsAsNoSettings() throws Exception {
        Path file = dir.resolve(ConfigFile.FILE_NAME);
        assertThat(ConfigFile.writeTemplateIfAbsent(file)).isTrue();
        assertThat(ConfigFile.writeTemplateIfAbsent(file)).isFalse();
        assertThat(ConfigFile.read(file)).isEmpty();
        Files.writeString(file, "# mine\nrpc = 127.0.0.1:9999\nseed=h:1\n");
        assertThat(ConfigFile.read(file)).containsEntry("rpc", "127.0.0.1:9999").containsEntry("seed", "h:1");
        assertThat(ConfigFile.read(dir.resolve("absent.conf"))).isEmpty();
    }

    @Test
    void hostPortForms() {
        assertThat(HostPort.parse("example.org:8125")).isEqualTo(new HostPort("example.org", 8125));
        assertThat(HostPort.parse("[::1]:80")).isEqualTo(new HostPort("::1", 80));
        assertThat(HostPort.parse(":9")).isEqualTo(new HostPort("0.0.0.0", 9));
        assertThat(HostPort.parse("tcp://h:1")).isEqualTo(new HostPort("h", 1));
        assertThat(HostPort.tryParse("::1:80")).isEmpty();
        assertThat(HostPort.tryParse("h:")).isEmpty();
        assertThat(HostPort.tryParse("h:-1")).isEmpty();
        assertThat(new HostPort("::1", 5).toString()).isEqualTo("[::1]:5");
    }
}
