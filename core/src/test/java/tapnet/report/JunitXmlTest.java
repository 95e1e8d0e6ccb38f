package tapnet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tapnet.script.RunReport;

class JunitXmlTest {
    @Test
    void oneTestCasePerExpectationAndAFailureForTheOneThatFailed() throws Exception {
        Element suite = parse(JunitXml.text(ReportFixture.sample())).getDocumentElement();
        assertEquals("testsuite", suite.getTagName());
        assertEquals("tapnet: lab", suite.getAttribute("name"));
        assertEquals("3", suite.getAttribute("tests"));
        assertEquals("1", suite.getAttribute("failures"));
        assertEquals("20.000", suite.getAttribute("time"));
        NodeList cases = suite.getElementsByTagName("testcase");
        assertEquals(3, cases.getLength());
        Element failed = (Element) cases.item(0);
        assertEquals("tapnet.lab", failed.getAttribute("classname"));
        assertEquals("web-ping success >= 99%", failed.getAttribute("name"));
        Element failure = (Element) failed.getElementsByTagName("failure").item(0);
        assertEquals("expected success >= 99%, saw success 82.5% (0s..20s)", failure.getAttribute("message"));
        assertEquals(0, ((Element) cases.item(1)).getElementsByTagName("failure").getLength());
        assertEquals(1, suite.getElementsByTagName("failure").getLength());
    }

    @Test
    void theEventsAndSeedAreInSystemOut() throws Exception {
        Document doc = parse(JunitXml.text(ReportFixture.sample()));
        String out = doc.getElementsByTagName("system-out").item(0).getTextContent();
        assertTrue(out.startsWith("seed 42\n"), out);
        assertTrue(out.contains("8.000s  cut  down web  ok\n"), out);
        assertTrue(out.contains("15.500s  mark \"spike\"  ok  <b>bold & 'quoted'</b>\n"), out);
        assertTrue(out.contains("17.000s  check  run curl -sf http://10.77.1.11/health  FAILED  exit 7 after 2.5s\n"), out);
    }

    @Test
    void markupAndControlCharactersInNamesAreEscaped() throws Exception {
        String name = "a <b> & \"c\" 'd'\nline\u0001";
        RunReport report = new RunReport("t<&>", null, 1, null, null, true, 0, 0, List.of(), List.of(), List.of(), List.of(),
                List.of(new RunReport.Expectation(name, "0s..end", "x < 1", "x 2 & more", false)), Map.of(), List.of());
        Element suite = parse(JunitXml.text(report)).getDocumentElement();
        assertEquals("tapnet: t<&>", suite.getAttribute("name"));
        Element testcase = (Element) suite.getElementsByTagName("testcase").item(0);
        assertEquals("a <b> & \"c\" 'd'\nline\ufffd", testcase.getAttribute("name"));
        assertEquals("expected x < 1, saw x 2 & more (0s..end)",
                ((Element) testcase.getElementsByTagName("failure").item(0)).getAttribute("message"));
    }

    @Test
    void noExpectationsIsASuiteOfNoTests() throws Exception {
        RunReport report = new RunReport("empty", null, 1, null, null, true, 0, 0, List.of(), List.of(), List.of(), List.of(),
                List.of(), Map.of(), List.of());
        Element suite = parse(JunitXml.text(report)).getDocumentElement();
        assertEquals("0", suite.getAttribute("tests"));
        assertEquals("0", suite.getAttribute("failures"));
        assertEquals(0, suite.getElementsByTagName("testcase").getLength());
    }

    @Test
    void theSameReportGivesTheSameBytes() {
        assertEquals(JunitXml.text(ReportFixture.sample()), JunitXml.text(ReportFixture.sample()));
    }

    static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }
}
