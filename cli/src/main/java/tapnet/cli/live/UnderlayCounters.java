package tapnet.cli.live;

import java.util.LinkedHashMap;
import java.util.Map;
import tapnet.tap.VxlanSocket;

/**
 * What the VXLAN underlay's socket counted, beside the engine's counters in {@code tapnet ctl counters}, the
 * control API and the counters at exit: datagrams sent, those the kernel would not take (a full send buffer,
 * no route: lost as on any underlay) and those received. Empty without an underlay. Any thread.
 */
final class UnderlayCounters {
    private UnderlayCounters() {
    }

    static Map<String, Long> of(VxlanSocket underlay) {
        Map<String, Long> counters = new LinkedHashMap<>();
        if (underlay != null) {
            counters.put("vxlan.datagrams_sent", underlay.sent());
            counters.put("vxlan.datagrams_unsent", underlay.unsent());
            counters.put("vxlan.datagrams_received", underlay.received());
        }
        return counters;
    }

    /** {@code first}'s counters, then the underlay's. */
    static Map<String, Long> with(Map<String, Long> first, VxlanSocket underlay) {
        Map<String, Long> all = new LinkedHashMap<>(first);
        all.putAll(of(underlay));
        return all;
    }
}
