package tapnet;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The house's rules, as DESIGN.md draws them: core's packages are layers from the wire up, each depending
 * only on layers below it and on the shared basics; the model, its readers, the step from model to engine
 * and the scripted runs sit beside them, in that order; no package cycle anywhere; every package says in a
 * package-info what it holds.
 */
class ArchitectureTest {
    /**
     * The shared basics every layer may use: counters, time, primitive collections, byte buffers, capture,
     * fault rules' selectors.
     */
    private static final List<String> BASICS = List.of("observe", "time", "collections", "buffer", "capture", "select");

    /**
     * Each package (under {@code tapnet.}) and the packages it may depend on besides the basics. The frame
     * path's layers first, bottom up: a layer may use any layer below it.
     */
    private static final Map<String, List<String>> MAY_USE = new LinkedHashMap<>();

    static {
        List<String> stack = List.of("wire", "frame", "link", "node", "segment", "route", "net", "tcp", "service", "engine");
        for (int i = 0; i < stack.size(); i++) {
            MAY_USE.put(stack.get(i), new ArrayList<>(stack.subList(0, i)));
        }
        // DNS's zone and answering read and write messages only; the transports' servers above use it.
        MAY_USE.put("dns", List.of("wire"));
        for (String above : List.of("service", "engine")) {
            MAY_USE.get(above).add("dns");
        }
        // The model holds value types of the layers it describes (addresses, link settings, TCP settings).
        MAY_USE.put("topology", List.of("wire", "link", "tcp", "dns"));
        MAY_USE.put("topology.yaml", List.of("topology", "wire", "link", "tcp", "dns"));
        MAY_USE.put("build", concat(stack, List.of("dns", "topology")));
        MAY_USE.put("script", concat(stack, List.of("dns", "topology", "topology.yaml", "build")));
        MAY_USE.put("report", List.of("topology", "topology.yaml", "script"));
    }

    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("tapnet");
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        slices().matching("tapnet.(**)").should().beFreeOfCycles().check(core);
    }

    @Test
    void eachLayerUsesOnlyTheLayersBelowItAndTheBasics() {
        LayeredArchitecture layers = Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String name : concat(List.copyOf(MAY_USE.keySet()), BASICS)) {
            layers = layers.layer(name).definedBy("tapnet." + name);
        }
        for (Map.Entry<String, List<String>> entry : MAY_USE.entrySet()) {
            layers = layers.whereLayer(entry.getKey()).mayOnlyAccessLayers(concat(entry.getValue(), BASICS).toArray(String[]::new));
        }
        layers = layers.whereLayer("capture").mayOnlyAccessLayers("time");
        for (String basic : List.of("observe", "time", "collections", "buffer", "select")) {
            layers = layers.whereLayer(basic).mayNotAccessAnyLayer();
        }
        layers.check(core);
    }

    @Test
    void everyPackageSaysWhatItHolds() throws IOException {
        Path sources = Path.of("src/main/java/tapnet");
        List<String> silent = new ArrayList<>();
        try (Stream<Path> directories = Files.walk(sources)) {
            directories.filter(Files::isDirectory).filter(ArchitectureTest::holdsClasses)
                    .filter(directory -> !Files.exists(directory.resolve("package-info.java")))
                    .forEach(directory -> silent.add(sources.relativize(directory).toString()));
        }
        assertEquals(List.of(), silent, "packages without a package-info.java");
    }

    @Test
    void everyPackageIsPlacedInTheHouse() {
        List<String> unplaced = new ArrayList<>();
        core.stream().map(c -> c.getPackageName().substring("tapnet.".length())).distinct()
                .filter(name -> !MAY_USE.containsKey(name) && !BASICS.contains(name)).forEach(unplaced::add);
        assertEquals(List.of(), unplaced, "packages this test does not place: give each its layer above");
    }

    private static boolean holdsClasses(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.anyMatch(file -> file.toString().endsWith(".java"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
