/**
 * Topology files: the YAML readers that make the model ({@link tapnet.topology.yaml.TopologyLoader}),
 * reporting every problem at once as {@code file:line:column: what is wrong; how to fix it}
 * ({@link tapnet.topology.yaml.TopologyException}), units as files write them
 * ({@link tapnet.topology.yaml.Units}), and the writers of the same syntax: a link as its {@code links:}
 * entry, an action as a script line, a topology's summary. Cold path: plain, readable Java.
 *
 * <p>Depends on the model and the value types it holds. Any thread.
 */
package tapnet.topology.yaml;
