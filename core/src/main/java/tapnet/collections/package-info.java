/**
 * Primitive collections for the hot path (open addressing, no boxing): a basic every layer may use.
 *
 * <p>Depends on nothing in tapnet. Not thread-safe: each instance belongs to one thread.
 */
package tapnet.collections;
