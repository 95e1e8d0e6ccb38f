package tapnet.topology.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tapnet.tcp.ConnectionFaults;
import tapnet.topology.Topology;

/** Each fault a file can hold is written back as the file wrote it, and reads back the same. */
class FaultYamlTest {
    @ParameterizedTest
    @ValueSource(strings = {"{synDrop: {}}", "{refuse: {}, first: 2}", "{unreachable: {}, probability: 10%}",
            "{stall: {}}", "{halfOpen: {}}", "{synAckDrop: 3}", "{ackDrop: 1, probability: 0.5%}", "{synAckDelay: 300ms}",
            "{resetAfter: 2s, first: 1}", "{resetAfter: 16KiB}", "{resetAfterSent: 128B, first: 1}", "{window: 1500B}",
            "{slowClose: 1500ms}", "{corruptAt: 0}", "{corruptAt: 64KiB}"})
    void aFaultIsWrittenAsTheFileWroteIt(String fault) throws Exception {
        List<ConnectionFaults.Rule> rules = faultsOf(fault);
        assertEquals("[" + fault + "]", FaultYaml.list(rules));
        assertEquals(rules, faultsOf(FaultYaml.entry(rules.get(0))));
    }

    private static List<ConnectionFaults.Rule> faultsOf(String fault) throws Exception {
        Topology topology = TopologyLoader.parse("t.yaml", """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web: { address: 10.77.0.10, services: [ { port: 80, http: {}, faults: [ %s ] } ] }
                """.formatted(fault));
        return topology.hosts().get(0).services().get(0).faults();
    }
}
