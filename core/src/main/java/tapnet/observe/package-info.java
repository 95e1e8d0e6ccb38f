/**
 * Counting, a basic every layer uses: named counters and drop reasons ({@link tapnet.observe.Counter},
 * {@link tapnet.observe.DropReason}) kept as plain longs with one writer, published for readers as
 * snapshots ({@link tapnet.observe.Counters}): measurement that costs nothing on the hot path.
 *
 * <p>Depends on nothing in tapnet. Written by the engine thread; read from any thread.
 */
package tapnet.observe;
