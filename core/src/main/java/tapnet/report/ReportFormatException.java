package tapnet.report;

import java.io.IOException;

/** A report.json that cannot be read back: not JSON, or a key missing or of the wrong type. */
public final class ReportFormatException extends IOException {
    public ReportFormatException(String message) {
        super(message);
    }

    public ReportFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
