package tapnet.topology;

import java.util.Objects;
import tapnet.link.Impairments;

/**
 * One entry of a topology's {@code links:}, as read: the node whose link to its parent it is about, the
 * directions it gives, and what those directions do. A {@code between} entry gives both directions; a
 * {@code from}/{@code to} entry one. {@code tapnet ctl link} applies one to a running link.
 *
 * @param towardNode   whether it gives the direction from the parent down to the node
 * @param towardParent whether it gives the direction from the node up to its parent
 */
public record LinkChange(String node, boolean towardNode, boolean towardParent, Impairments impairments) {
    public LinkChange {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(impairments, "impairments");
        if (!towardNode && !towardParent) {
            throw new IllegalArgumentException("a link change gives at least one direction");
        }
    }

    /** The direction toward the node after the change, given what it is now: replaced, or kept when not given. */
    public Impairments towardNode(Impairments current) {
        return towardNode ? impairments : current;
    }

    /** The direction toward the parent after the change, given what it is now. */
    public Impairments towardParent(Impairments current) {
        return towardParent ? impairments : current;
    }
}
