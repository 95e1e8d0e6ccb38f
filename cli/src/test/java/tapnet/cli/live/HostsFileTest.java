package tapnet.cli.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tapnet.topology.Topology;
import tapnet.topology.yaml.TopologyLoader;

/** The /etc/hosts COMMAND sees: localhost, the machine's name, then hosts, routers and ports by name. */
class HostsFileTest {
    @Test
    void listsLocalhostTheMachineAndEveryHostRouterAndPort() throws Exception {
        Topology topology = TopologyLoader.parse("t.yaml", """
                tap: { address: 10.77.0.1/24, address6: fd77::1/64 }
                routers:
                  edge: { address: 10.77.0.254, subnet: 10.77.1.1/24 }
                ports:
                  left: { address: 10.77.0.101 }
                hosts:
                  web: { address: 10.77.0.10, address6: fd77::10 }
                  deep: { address: 10.77.1.10 }
                """);
        assertEquals("""
                # written by tapnet for this run: the topology t's nodes by name
                127.0.0.1\tlocalhost
                ::1\tlocalhost ip6-localhost ip6-loopback
                127.0.1.1\tbox
                10.77.0.10\tweb
                fd77::10\tweb
                10.77.1.10\tdeep
                10.77.0.254\tedge
                10.77.0.101\tleft
                """, HostsFile.of(topology, "box\n"));
    }

    @Test
    void aMachineCalledLocalhostOrNothingAddsNoLine() throws Exception {
        Topology topology = TopologyLoader.loadDefault();
        String hosts = HostsFile.of(topology, "localhost");
        assertEquals(hosts, HostsFile.of(topology, null));
        assertEquals(7, hosts.lines().count(), "a comment, localhost twice, web and mail on both families: " + hosts);
    }
}
