package tapnet.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A node's link: {@link #get()} reads it; the setters gather a change, which {@link #apply()} merges onto the
 * link's current settings (PATCH: keys not given stay as they are) and {@link #replace()} makes the link's
 * whole setting (PUT: keys not given are cleared). Both directions alike. The keys are those of a topology
 * file's {@code links:} entries; {@link #set(String, Object)} takes any of them as the file writes it.
 * {@link #towardNode()} or {@link #fromNode()} make it a change of one direction. Immutable: each setter
 * returns a new change.
 *
 * <pre>net.link("web").delay(Duration.ofMillis(50)).lossPercent(1.0).apply();   // 50 ms, 1 % loss, each way</pre>
 */
public final class LinkChange {
    private final Network network;
    private final String node;
    private final Map<String, Object> settings;
    /** null: both directions; "to": toward the node only; "from": from it only (the API's keys). */
    private final String direction;

    LinkChange(Network network, String node, Map<String, Object> settings) {
        this(network, node, settings, null);
    }

    private LinkChange(Network network, String node, Map<String, Object> settings, String direction) {
        this.network = network;
        this.node = node;
        this.settings = Map.copyOf(settings);
        this.direction = direction;
    }

    /** The change is for what the node receives only; the other direction is kept as it is. */
    public LinkChange towardNode() {
        return new LinkChange(network, node, settings, "to");
    }

    /** The change is for what the node sends only; the other direction is kept as it is. */
    public LinkChange fromNode() {
        return new LinkChange(network, node, settings, "from");
    }

    /** Any key of a link, its value as a file writes it: {@code set("rate", "10mbit")}, {@code set("limit", 100)}. */
    public LinkChange set(String key, Object value) {
        Map<String, Object> next = new LinkedHashMap<>(settings);
        next.put(key, Values.normalized(value));
        return new LinkChange(network, node, next, direction);
    }

    public LinkChange delay(Duration delay) {
        return set("delay", Values.duration(delay));
    }

    public LinkChange jitter(Duration jitter) {
        return set("jitter", Values.duration(jitter));
    }

    /** Random loss in percent, as files write it: {@code lossPercent(1.0)} loses one frame in a hundred, not all. */
    public LinkChange lossPercent(double percent) {
        return set("loss", Values.percent(percent));
    }

    public LinkChange duplicatePercent(double percent) {
        return set("duplicate", Values.percent(percent));
    }

    public LinkChange corruptPercent(double percent) {
        return set("corrupt", Values.percent(percent));
    }

    public LinkChange reorderPercent(double percent) {
        return set("reorder", Values.percent(percent));
    }

    /** A rate as files write it: {@code "10mbit"}, {@code "64kbit"} ({@code mbps} is bytes). */
    public LinkChange rate(String rate) {
        return set("rate", rate);
    }

    /** The largest IP packet the link carries, in bytes. */
    public LinkChange mtu(int bytes) {
        return set("mtu", bytes);
    }

    public LinkChange down(boolean down) {
        return set("down", down);
    }

    /** The settings gathered so far. */
    public Map<String, Object> settings() {
        return settings;
    }

    /** As the API takes it: the settings, or {"to": settings} / {"from": settings} for one direction. */
    private Map<String, Object> body() {
        return direction == null ? settings : Map.of(direction, settings);
    }

    /** Merges the change onto the link's current settings (PATCH); the link as it is now. */
    public Link apply() {
        return Link.from(network.call("PATCH", "/v1/links/" + Network.segment(node), body()));
    }

    /** Makes the change the link's whole setting (PUT): what it does not name is perfect again; the link as it is now. */
    public Link replace() {
        return Link.from(network.call("PUT", "/v1/links/" + Network.segment(node), body()));
    }

    /** The link as it is now (nothing of this change is sent). */
    public Link get() {
        return Link.from(network.call("GET", "/v1/links/" + Network.segment(node), null));
    }
}
