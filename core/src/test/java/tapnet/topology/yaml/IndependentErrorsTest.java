package tapnet.topology.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every independent mistake in a file is reported, and no consequence of one already reported: a link,
 * event or probe that names a host, router or port whose own definition had mistakes is not told that
 * there is no such node; parts read after a mistake (links, ports, the script) are still checked.
 */
class IndependentErrorsTest {

    @Test
    void aLinkToAnInvalidHostIsNotToldThereIsNoSuchHostAndItsOwnMistakesAreStillReported() {
        assertErrors("""
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web: { address: 10.78.0.10, services: [ { port: 80, http: {} } ] }
                  db: { address: 10.77.0.20 }
                links:
                  - { between: [tap, web], delay: 20 }
                  - { from: web, to: tap, loss: 1 }
                  - { between: [tap, db], delay: 20 }
                  - { between: [tap, dbb] }
                """,
                "shop.yaml:3:19: 10.78.0.10 is outside the TAP's subnet 10.77.0.0/24; expected an address from 10.77.0.2"
                        + " to 10.77.0.254",
                "shop.yaml:6:35: '20' is not a duration; write it with a unit, like 20ms or 1.5s",
                "shop.yaml:7:33: '1' is not a percentage; write it with %, like 10% or 0.5%",
                "shop.yaml:8:34: '20' is not a duration; write it with a unit, like 20ms or 1.5s",
                "shop.yaml:9:22: there is no host or router named 'dbb'; expected one of: tap, db, web");
    }

    @Test
    void theScriptOfAFileWithAnInvalidHostIsCheckedWhole() {
        assertErrors("""
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web: { address: 10.77.0.10, mac: 01:00:00:00:00:01, services: [ { port: 80, http: {} } ] }
                  db: { address: 10.77.0.20, services: [ { port: 5432, echo: {} } ] }
                script:
                  duration: 10s
                  probes:
                    w: { connect: 10.77.0.10:80, every: 5, from: web }
                    d: { connect: 10.77.0.20:5432, from: dbx }
                  events:
                    - { at: 1s, down: web }
                    - { at: 2s, stopService: web:80 }
                    - { at: 3s, stop: db }
                    - { at: 4s, partition: [[tap, web], [db]] }
                    - { at: 5s, link: { between: [tap, web], delay: 5 } }
                    - { at: 20s, mark: late }
                  expect:
                    - { probe: w, success: ">= 99%", at: end }
                    - { probe: nope, success: ">= 99%", at: end }
                """,
                "shop.yaml:3:36: 01:00:00:00:00:01 is a multicast MAC (the lowest bit of its first byte is set); expected"
                        + " a unicast MAC like 02:00:00:00:00:10",
                "shop.yaml:8:41: '5' is not a duration; write it with a unit, like 20ms or 1.5s",
                "shop.yaml:9:42: there is no tap, port or host named 'dbx'; expected one of: tap, db, web",
                "shop.yaml:15:53: '5' is not a duration; write it with a unit, like 20ms or 1.5s",
                "shop.yaml:16:13: at 20s is after the end of the run (duration 10s); expected a time from 0s to 10s",
                "shop.yaml:19:16: there is no probe named 'nope'; expected one of: w, d");
    }

    @Test
    void portsAndRoutersAreCheckedEvenWhenTheTapIsWrongAndLinksToThemStaySilent() {
        assertErrors("""
                tap: { address: 10.77.0.0/24 }
                routers:
                  r1: { address: 10.77.0.254, subnet: 10.78.1.1/99 }
                hosts:
                  web: { address: 10.77.0.10 }
                ports:
                  left: { address: 10.77.0.101, device: "eth 0" }
                  right: { address: 10.77.0.102 }
                links:
                  - { between: [tap, left], delay: 1ms }
                  - { between: [tap, r1], delay: 1ms }
                  - { between: [tap, right], delay: 1 }
                """,
                "shop.yaml:1:17: 10.77.0.0 is the network address of 10.77.0.0/24; expected a host address of the subnet"
                        + " for the kernel's side, like 10.77.0.1/24",
                "shop.yaml:3:39: prefix length /99 is out of range; expected a prefix length from 8 to 30, like 10.77.0.1/24",
                "shop.yaml:7:41: 'eth 0' is not an interface name; expected 1 to 15 letters, digits, '-', '_' or '.',"
                        + " like tapnet0",
                "shop.yaml:12:37: '1' is not a duration; write it with a unit, like 20ms or 1.5s");
    }

    @Test
    void aNameThatIsNowhereInTheFileIsStillReportedWhenOtherNodesAreBroken() {
        assertErrors("""
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web: { address: 10.77.0.10, adress: x }
                script:
                  duration: 10s
                  events: [ { at: 1s, down: nowhere }, { at: 2s, partition: [[tap], [web, nowhere]] } ]
                """,
                "shop.yaml:3:31: 'adress' is not a key of a host; expected one of: address, address6, mac, services",
                "shop.yaml:6:29: there is no host, router or port named 'nowhere'; expected one of: web",
                "shop.yaml:6:75: there is no node named 'nowhere'; expected one of: tap, web");
    }

    private static void assertErrors(String text, String... expected) {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.parse("shop.yaml", text));
        assertEquals(List.of(expected), DeepNestingTest.messages(e));
    }
}
