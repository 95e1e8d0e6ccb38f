package tapnet.client;

/**
 * One change the run made: {@code seq} counts them from 1; {@code time} is seconds since the run started,
 * {@code at} the wall-clock instant (ISO 8601); {@code source} who asked (api, ctl, script, reset);
 * {@code action} what changed, as ctl prints it ({@code link web: {delay: 50ms}}).
 */
public record Event(long seq, double time, String at, String source, String action) {
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "#%d %.3fs %s: %s", seq, time, source, action);
    }
}
