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
    /** A file or folder of the repository named in code font, as `judge-core/src/...`; build output aside. */
    private static final Pattern NAMED_PATH = Pattern.compile(
        "`((?:judge-core|judge-simulator|judge-server|judge-benchmarks|docs|deploy|fixtures|notebooks|examples)/[^`\\s]*)`");
    /** A relative Markdown link: [text](target), without a scheme or an in-page anchor only. */
    private static final Pattern LINK = Pattern.compile("\\]\\((?![a-z]+:|#)([^)#\\s]+)(#[^)\\s]*)?\\)");

    private static List<Path> files() throws IOException {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("fixtures/README.md"),
            ROOT.resolve("fixtures/generate.py"), ROOT.resolve("canary-judge")));
        for (String folder : List.of("docs", "judge-core/src", "judge-simulator/src", "judge-server/src", "judge-benchmarks/src",
            "deploy", "notebooks")) {
            try (Stream<Path> walk = Files.walk(ROOT.resolve(folder))) {
                walk.filter(Files::isRegularFile)
                    .filter(p -> p.toString().matches(".*\\.(md|java|json|yaml|yml|py|ipynb|R)$"))
                    .filter(p -> !p.endsWith("StandaloneRepositoryTest.java"))
                    .forEach(files::add);
            }
        }
        return files;
    }

    /** The Markdown pages: the README, the fixtures' and the notebooks' READMEs and docs/*.md. */
    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("fixtures/README.md"),
            ROOT.resolve("fixtures/nab/README.md"), ROOT.resolve("notebooks/README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
        }
        return pages;
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
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path page : pages()) {
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

    /** Files move between modules; the pages that name them must follow. */
    @Test
    void everyRepositoryPathTheDocsNameExists() throws IOException {
        List<String> missing = new ArrayList<>();
        int named = 0;
        for (Path page : pages()) {
            Matcher m = NAMED_PATH.matcher(Files.readString(page));
            while (m.find()) {
                named++;
                if (!m.group(1).contains("/target/") && !Files.exists(ROOT.resolve(m.group(1)))) {
                    missing.add(ROOT.relativize(page) + " → " + m.group(1));
                }
            }
        }
        assertEquals(List.of(), missing);
        assertTrue(named > 20, "paths checked: " + named);
    }

    @Test
    void theReadmeSpeaksToANewReader() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertTrue(!readme.toLowerCase(java.util.Locale.ROOT).contains("seed story"), "an in-house name a newcomer cannot know");
    }
}
