package tapnet.topology;

import java.util.Objects;
import tapnet.link.Impairments;

/**
 * The emulated link between the TAP (the kernel's side) and one host: what it does to frames going to
 * the host and to frames coming back.
 */
public record LinkSpec(String host, Impairments towardHost, Impairments towardTap) {
    public LinkSpec {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(towardHost, "towardHost");
        Objects.requireNonNull(towardTap, "towardTap");
    }
}
