package tapnet.topology.yaml;

import tapnet.topology.LinkChange;
import tapnet.topology.Topology;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tapnet.link.Impairments;

/**
 * One link entry on its own, as {@code tapnet ctl link} reads it ({@link TopologyLoader#parseLink}), and
 * written back by {@link LinkYaml}.
 */
class LinkParseTest {
    private static final Topology TOPOLOGY = topology();

    private static Topology topology() {
        try {
            return TopologyLoader.parse("t.yaml", """
                    tap: { address: 10.77.0.1/24 }
                    routers:
                      r1: { address: 10.77.0.254, subnet: 10.78.1.1/24 }
                    hosts:
                      web: { address: 10.77.0.10 }
                      db: { address: 10.78.1.10 }
                    """);
        } catch (TopologyException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void betweenGivesBothDirections() throws Exception {
        LinkChange link = TopologyLoader.parseLink("ctl", "{between: [tap, web], delay: 50ms, loss: 1%}", TOPOLOGY);
        assertEquals(new LinkChange("web", true, true,
                Impairments.NONE.withDelay(Duration.ofMillis(50)).withLoss(0.01)), link);
    }

    @Test
    void fromAndToGiveOneDirectionAndKeepTheOther() throws Exception {
        LinkChange up = TopologyLoader.parseLink("ctl", "{from: db, to: r1, rate: 1mbit}", TOPOLOGY);
        assertEquals("db", up.node());
        assertFalse(up.towardNode());
        assertTrue(up.towardParent());
        Impairments kept = Impairments.NONE.withDelay(Duration.ofMillis(5));
        assertEquals(kept, up.towardNode(kept));
        assertEquals(Impairments.NONE.withRate(1_000_000), up.towardParent(kept));
    }

    @Test
    void onlyTheEndsMakeThePerfectLink() throws Exception {
        assertEquals(new LinkChange("web", true, true, Impairments.NONE),
                TopologyLoader.parseLink("ctl", "{between: [tap, web]}", TOPOLOGY));
    }

    @Test
    void errorsNameTheSourceLineAndColumn() {
        TopologyException e = assertThrows(TopologyException.class,
                () -> TopologyLoader.parseLink("ctl", "{between: [tap, web], dealy: 50ms}", TOPOLOGY));
        assertEquals(List.of("ctl:1:23: 'dealy' is not a key of a link; expected one of: "
                + String.join(", ", TopologyReader.LINK.known())), e.errors().stream().map(Object::toString).toList());
    }

    @Test
    void aNodeThatIsNotThereIsNamedWithTheOnesThatAre() {
        TopologyException e = assertThrows(TopologyException.class,
                () -> TopologyLoader.parseLink("ctl", "{between: [tap, mail]}", TOPOLOGY));
        assertEquals("ctl:1:17: there is no host or router named 'mail'; expected one of: tap, r1, web, db",
                e.errors().get(0).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{between: [r1, web]}", "{delay: 5ms}", "[tap, web]", "{between: [tap, web], loss: 5}",
            "{between: [tap, web]}\n---\n{between: [tap, db]}"})
    void whatIsNotOneLinkIsRefused(String yaml) {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.parseLink("ctl", yaml, TOPOLOGY));
        assertTrue(e.errors().get(0).toString().startsWith("ctl:"), e.errors().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{between: [tap, web]}",
            "{between: [tap, web], down: true, mtu: 1400}",
            "{between: [tap, web], delay: 20ms, jitter: 5ms, delayCorrelation: 25%, distribution: normal}",
            "{between: [tap, web], loss: 0.5%, lossCorrelation: 7%}",
            "{between: [tap, web], gemodel: {p: 1%, r: 10%, lossInBad: 100%, lossInGood: 0%}}",
            "{between: [tap, web], lossState: {p13: 1%, p31: 99%, p32: 0%, p23: 100%, p14: 0%}}",
            "{between: [tap, web], delay: 10ms, duplicate: 1%, duplicateCorrelation: 3%, reorder: 25%,"
                    + " reorderCorrelation: 50%, gap: 5, corrupt: 0.1%, corruptCorrelation: 2%}",
            "{between: [tap, web], rate: 10mbit, overhead: 24, limit: 50, limitBytes: 64KiB}",
            "{between: [tap, web], rate: 1500kbit}",
            "{between: [tap, web], slot: {min: 10ms, max: 20ms, packets: 4}}",
            "{between: [tap, web], delay: 5ms, slot: {min: 800us, bytes: 64KiB}}",
            "{between: [r1, db], delay: 1ms}"})
    void whatLinkYamlWritesReadsBackTheSame(String yaml) throws Exception {
        LinkChange link = TopologyLoader.parseLink("ctl", yaml, TOPOLOGY);
        String parent = link.node().equals("db") ? "r1" : "tap";
        List<String> written = LinkYaml.entries(parent, link.node(), link.impairments(), link.impairments());
        assertEquals(List.of(yaml), written);
        assertEquals(link, TopologyLoader.parseLink("ctl", written.get(0), TOPOLOGY));
    }

    @Test
    void directionsThatDifferAreWrittenApart() {
        assertEquals(List.of("{from: tap, to: web, delay: 5ms}", "{from: web, to: tap}"),
                LinkYaml.entries("tap", "web", Impairments.NONE.withDelay(Duration.ofMillis(5)), Impairments.NONE));
    }
}
