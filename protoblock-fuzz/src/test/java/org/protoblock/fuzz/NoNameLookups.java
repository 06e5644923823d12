package org.protoblock.fuzz;

import com.code_intelligence.jazzer.api.FuzzerSecurityIssueHigh;
import com.code_intelligence.jazzer.api.HookType;
import com.code_intelligence.jazzer.api.Jazzer;
import com.code_intelligence.jazzer.api.MethodHook;
import java.lang.invoke.MethodHandle;

/**
 * Jazzer hooks on the project's calls of {@code InetAddress.getByName}/{@code getAllByName}: a
 * host that the JDK would not parse as a literal (so it would ask DNS) is a finding. Rationale: the
 * node must never look up a name that a peer, a client or a LAN device chose (a lookup leaks that we
 * talk to it, blocks a thread for the resolver's timeout, and follows the attacker's DNS). Active in
 * both modes through the {@code jazzer.custom_hooks} property the module's Surefire sets.
 */
public final class NoNameLookups {
    private NoNameLookups() {
    }

    @MethodHook(type = HookType.BEFORE, targetClassName = "java.net.InetAddress", targetMethod = "getByName")
    public static void getByName(MethodHandle method, Object thisObject, Object[] arguments, int hookId) {
        check(arguments);
    }

    @MethodHook(type = HookType.BEFORE, targetClassName = "java.net.InetAddress", targetMethod = "getAllByName")
    public static void getAllByName(MethodHandle method, Object thisObject, Object[] arguments, int hookId) {
        check(arguments);
    }

    private static void check(Object[] arguments) {
        if (arguments.length > 0 && arguments[0] instanceof String host && wouldLookUp(host)) {
            Jazzer.reportFindingFromHook(new FuzzerSecurityIssueHigh("name lookup of \"" + host + "\""));
        }
    }

    /**
     * JDK 17's rule (InetAddress.getAllByName): null/empty is the loopback, a bracketed or ':'
     * host is parsed as IPv6 and never looked up, a numeric IPv4 form ("a.b.c.d", "a.b.c", "a.b",
     * "a") is parsed; anything else goes to the resolver.
     */
    static boolean wouldLookUp(String host) {
        if (host.isEmpty() || host.charAt(0) == '[' || host.indexOf(':') >= 0) {
            return false;
        }
        return !numericIpv4(host);
    }

    private static boolean numericIpv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4) {
            return false;
        }
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 10 || !p.chars().allMatch(Character::isDigit)) {
                return false;
            }
            long value = Long.parseLong(p);
            long max = i == parts.length - 1 ? (1L << (8 * (4 - i))) - 1 : 255;
            if (value > max) {
                return false;
            }
        }
        return true;
    }
}
