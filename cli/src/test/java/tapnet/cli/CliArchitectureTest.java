package tapnet.cli;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The command line's house: commands on top hand work to a live run, to the control socket or to a relaunch
 * in namespaces of tapnet's own; a live run uses the control API (which uses the socket's file and serves the
 * metrics), the kernel probes and the relaunch's process helpers; those stand alone. Only the API knows Jetty. No cycles; each package says in a
 * package-info what it holds.
 */
class CliArchitectureTest {
    private static JavaClasses cli;

    @BeforeAll
    static void importCli() {
        cli = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("tapnet.cli");
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        slices().matching("tapnet.cli.(*)..").should().beFreeOfCycles().check(cli);
    }

    @Test
    void commandsOnTopThenTheLiveRunThenItsParts() {
        Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("command").definedBy("tapnet.cli.command")
                .layer("live").definedBy("tapnet.cli.live")
                .layer("api").definedBy("tapnet.cli.api")
                .layer("metrics").definedBy("tapnet.cli.metrics")
                .layer("control").definedBy("tapnet.cli.control")
                .layer("probe").definedBy("tapnet.cli.probe")
                .layer("relaunch").definedBy("tapnet.cli.relaunch")
                .whereLayer("command").mayNotBeAccessedByAnyLayer()
                .whereLayer("live").mayOnlyAccessLayers("api", "control", "probe", "relaunch")
                .whereLayer("api").mayOnlyAccessLayers("control", "metrics")
                .whereLayer("metrics").mayNotAccessAnyLayer()
                .whereLayer("control").mayNotAccessAnyLayer()
                .whereLayer("probe").mayNotAccessAnyLayer()
                .whereLayer("relaunch").mayNotAccessAnyLayer()
                .check(cli);
    }

    @Test
    void onlyTheControlApiKnowsTheHttpServer() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses().that().resideOutsideOfPackage("tapnet.cli.api..")
                .should().dependOnClassesThat().resideInAPackage("org.eclipse.jetty..").check(cli);
    }

    @Test
    void everyPackageSaysWhatItHolds() throws IOException {
        Path sources = Path.of("src/main/java/tapnet/cli");
        List<String> silent;
        try (Stream<Path> packages = Files.list(sources)) {
            silent = packages.filter(Files::isDirectory).filter(p -> !Files.exists(p.resolve("package-info.java")))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of(), silent, "packages without a package-info.java");
    }
}
