package tapnet.cli.probe;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;

/** A failed socket sample's outcome in a word, from what the kernel's stack told Java. */
final class SocketOutcome {
    private SocketOutcome() {
    }

    /**
     * {@code refused} (RST to the SYN), {@code timeout} (the deadline passed, or the kernel gave up on its
     * SYN retries), {@code unreachable} (ICMP unreachable or no ARP answer), else the exception's simple name.
     */
    static String of(Throwable failure, boolean deadlinePassed) {
        if (deadlinePassed || failure instanceof SocketTimeoutException) {
            return "timeout"; // past the deadline the watchdog closed the socket: "Socket closed" means timeout
        }
        if (failure instanceof RejectedExecutionException) {
            return "closed"; // the probes closed while this sample was starting
        }
        String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
        if (failure instanceof ConnectException) {
            if (message.contains("refused")) {
                return "refused";
            }
            if (message.contains("timed out")) {
                return "timeout";
            }
        }
        // EHOSTUNREACH becomes NoRouteToHostException; ENETUNREACH a plain SocketException "Network is unreachable"
        if (failure instanceof NoRouteToHostException
                || (failure instanceof SocketException && (message.contains("unreachable") || message.contains("no route to host")))) {
            return "unreachable";
        }
        return failure.getClass().getSimpleName();
    }
}
