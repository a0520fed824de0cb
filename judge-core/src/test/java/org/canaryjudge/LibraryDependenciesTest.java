package org.canaryjudge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.junit.jupiter.api.Test;

/**
 * What a rollout tool gets when it embeds judge-core: only Commons Statistics, Numbers and RNG
 * (README, "Using the library"). The simulator and the benchmarks are modules of their own
 * (judge-simulator, judge-benchmarks); ArchitectureTest in judge-server checks judge-core's
 * classes, this test the dependencies its pom declares, which Maven passes on to every user.
 */
class LibraryDependenciesTest {

    @Test
    void theRuntimeDependenciesAreCommonsStatisticsNumbersAndRngOnly() throws Exception {
        // Surefire runs in the module's folder.
        Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder()
            .parse(Path.of("pom.xml").toFile()).getDocumentElement();
        assertEquals("judge-core", child(project, "artifactId"), "the pom read is judge-core's");
        NodeList dependencies = project.getElementsByTagName("dependency");
        List<String> runtime = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            String scope = child(dependency, "scope");
            if ("test".equals(scope) || "provided".equals(scope)) {
                continue;
            }
            String coordinates = child(dependency, "groupId") + ":" + child(dependency, "artifactId");
            runtime.add(coordinates);
            if (!coordinates.matches("org\\.apache\\.commons:commons-(statistics|numbers|rng)-[a-z-]+")) {
                others.add(coordinates);
            }
        }
        assertFalse(runtime.isEmpty(), "judge-core's runtime dependencies were found");
        assertEquals(List.of(), others, "runtime dependencies besides Commons Statistics, Numbers and RNG");
    }

    @Test
    void theSimulatorIsNotInTheLibrary() {
        ClassLoader loader = LibraryDependenciesTest.class.getClassLoader();
        assertNull(loader.getResource("org/canaryjudge/calibration"),
            "org.canaryjudge.calibration belongs to judge-simulator, not to judge-core");
    }

    private static String child(Element parent, String name) {
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().trim();
            }
        }
        return null;
    }
}
