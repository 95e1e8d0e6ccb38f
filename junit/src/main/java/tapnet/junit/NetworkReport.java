package tapnet.junit;

/**
 * What the network did during a failed test, attached to its failure as a suppressed exception, so that
 * the report (surefire's, an IDE's) shows it under the failure itself. It carries no stack trace: the
 * message is all of it.
 */
public final class NetworkReport extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NetworkReport(String report) {
        super(report, null, false, false);
    }
}
