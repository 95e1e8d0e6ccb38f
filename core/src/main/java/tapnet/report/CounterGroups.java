package tapnet.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tapnet.script.RunReport;

/**
 * A run's counters in the groups a report shows them in: DNS ({@code dns_*}), UDP ({@code udp_*}), HTTP routes
 * (the counters {@code http.HOST.PORT.route.N.requests|status.S} and {@code http.HOST.PORT.unmatched.requests},
 * a row per route) and the others.
 */
final class CounterGroups {
    private static final Pattern ROUTE_COUNTER =
            Pattern.compile("http\\.(.+)\\.([0-9]+)\\.(?:route\\.([0-9]+)\\.(?:requests|status\\.([0-9]+))|unmatched\\.requests)");

    /** Requests route {@code route} (0: none matched) of {@code host:port} took, and its answers by status. */
    record RouteRow(String host, int port, int route, String name, long requests, Map<Integer, Long> statuses) {
        /** {@code 200: 5, 503: 2}. */
        String statusText() {
            List<String> parts = new ArrayList<>();
            statuses.forEach((status, n) -> parts.add(status + ": " + n));
            return String.join(", ", parts);
        }
    }

    final Map<String, Long> dns = new LinkedHashMap<>();
    final Map<String, Long> udp = new LinkedHashMap<>();
    final List<RouteRow> routes;
    final Map<String, Long> others = new LinkedHashMap<>();

    private CounterGroups(List<RouteRow> routes) {
        this.routes = routes;
    }

    /** Which route a counter is of: route 0 for the requests no route matched. */
    private record Key(String host, int port, int route) {
    }

    static CounterGroups of(RunReport r) {
        Map<Key, String> names = new LinkedHashMap<>();
        Map<Key, Long> requests = new LinkedHashMap<>();
        Map<Key, Map<Integer, Long>> statuses = new LinkedHashMap<>();
        for (RunReport.HttpRouteName n : r.httpRoutes()) {
            Key key = new Key(n.host(), n.port(), n.route());
            names.put(key, n.name());
            requests.put(key, 0L);
        }
        Map<String, Long> rest = new LinkedHashMap<>();
        r.counters().forEach((name, value) -> {
            Matcher m = ROUTE_COUNTER.matcher(name);
            if (!m.matches()) {
                rest.put(name, value);
                return;
            }
            Key key = new Key(m.group(1), Integer.parseInt(m.group(2)), m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
            requests.putIfAbsent(key, 0L);
            if (m.group(4) != null) {
                statuses.computeIfAbsent(key, k -> new TreeMap<>()).put(Integer.parseInt(m.group(4)), value);
            } else {
                requests.put(key, value);
            }
        });
        List<RouteRow> rows = new ArrayList<>();
        requests.forEach((key, n) -> rows.add(new RouteRow(key.host(), key.port(), key.route(),
                key.route() == 0 ? "(none matched: 404)" : names.getOrDefault(key, ""), n, statuses.getOrDefault(key, Map.of()))));
        // each service's routes in order, the unmatched after them
        rows.sort(java.util.Comparator.comparing(RouteRow::host).thenComparingInt(RouteRow::port)
                .thenComparingInt(row -> row.route() == 0 ? Integer.MAX_VALUE : row.route()));
        CounterGroups groups = new CounterGroups(rows);
        rest.forEach((name, value) -> (name.startsWith("dns_") ? groups.dns : name.startsWith("udp_") ? groups.udp
                : groups.others).put(name, value));
        return groups;
    }
}
