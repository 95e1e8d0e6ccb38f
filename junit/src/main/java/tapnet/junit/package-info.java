/**
 * A JUnit Jupiter extension for tests that run inside a tapnet run ({@code tapnet run FILE -- mvn test}):
 * {@link tapnet.junit.Tapnet @Tapnet} (or {@link tapnet.junit.TapnetExtension} registered by hand) injects
 * the run's {@link tapnet.client.Network}, resets it after each test, captures each test's frames, and
 * attaches what the network did to a failing test ({@link tapnet.junit.TestWatch}, {@link tapnet.junit.NetworkReport}).
 */
package tapnet.junit;
