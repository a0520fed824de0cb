package org.canaryjudge.server.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A clone of the repository stands on its own: nothing points outside it, and the docs' links resolve. */
class StandaloneRepositoryTest {

    /** The folder beside the repository that a clone does not have, spelled so this file does not name it. */
    private static final String SHARED = "sha" + "red";
    private static final String OUTSIDE_FOLDER = "../" + SHARED;

    private static final Path ROOT = Path.of("..");
    /** A relative Markdown link: [text](target), without a scheme or an in-page anchor only. */
    private static final Pattern LINK = Pattern.compile("\\]\\((?![a-z]+:|#)([^)#\\s]+)(#[^)\\s]*)?\\)");

    private static List<Path> files() throws IOException {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("fixtures/README.md"),
            ROOT.resolve("fixtures/generate.py"), ROOT.resolve("canary-judge")));
        for (String folder : List.of("docs", "judge-core/src", "judge-server/src", "deploy", "notebooks")) {
            try (Stream<Path> walk = Files.walk(ROOT.resolve(folder))) {
                walk.filter(Files::isRegularFile)
                    .filter(p -> p.toString().matches(".*\\.(md|java|json|yaml|yml|py|ipynb|R)$"))
                    .filter(p -> !p.endsWith("StandaloneRepositoryTest.java"))
                    .forEach(files::add);
            }
        }
        return files;
    }

    @Test
    void nothingReadsOrLinksOutsideTheRepository() throws IOException {
        List<String> outside = new ArrayList<>();
        for (Path file : files()) {
            String text = Files.readString(file);
            if (text.contains(OUTSIDE_FOLDER) || text.contains("/work/" + SHARED)) {
                outside.add(ROOT.relativize(file).toString());
            }
        }
        assertEquals(List.of(), outside, "files that point at a folder a clone does not have");
    }

    @Test
    void everyRelativeLinkInTheDocsResolves() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("fixtures/README.md"),
            ROOT.resolve("fixtures/nab/README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
        }
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path page : pages) {
            Matcher m = LINK.matcher(Files.readString(page));
            while (m.find()) {
                links++;
                if (!Files.exists(page.getParent().resolve(m.group(1)))) {
                    broken.add(ROOT.relativize(page) + " → " + m.group(1));
                }
            }
        }
        assertEquals(List.of(), broken);
        assertTrue(links > 20, "links checked: " + links);
        assertTrue(Files.readString(ROOT.resolve("README.md")).contains("(docs/contract.md)"), "the README links the contract");
        assertTrue(Files.readString(ROOT.resolve("README.md")).contains("(docs/statistics.md)"), "and the statistics");
    }

    @Test
    void theReadmeSpeaksToANewReader() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertTrue(!readme.toLowerCase(java.util.Locale.ROOT).contains("seed story"), "an in-house name a newcomer cannot know");
    }
}
