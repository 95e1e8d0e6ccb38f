/**
 * Topologies: the immutable model of a network to emulate ({@link tapnet.topology.Topology},
 * {@link tapnet.topology.TapSpec}, {@link tapnet.topology.HostSpec}, {@link tapnet.topology.ServiceSpec}),
 * the loader of topology files that reports every problem as {@code file:line:column}
 * ({@link tapnet.topology.yaml.TopologyLoader}), units as files write them ({@link tapnet.topology.yaml.Units}), and
 * the step from a topology to a running {@link tapnet.engine.Engine} ({@link tapnet.build.EngineBuilder}).
 * Cold path throughout: plain, readable Java.
 */
package tapnet.topology;
