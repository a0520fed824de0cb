package org.canaryjudge.server.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.canaryjudge.model.InvalidInputException;

/**
 * The request of a command that reads one JSON request ({@code judge}, {@code plan}): a file, or
 * standard input when none is named or it is {@code -}; and its problems, printed one per line at
 * their JSON Pointers.
 *
 * @param command the command's name, for the messages
 * @param file the file, or null for standard input
 */
record RequestInput(String command, Path file) {

    /**
     * @param err where a file that cannot be read is reported
     * @return the request's bytes, or null when it could not be read (reported)
     */
    byte[] read(PrintWriter err) {
        try {
            return file == null || file.toString().equals("-") ? System.in.readAllBytes() : Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            err.println("canary-judge " + command + ": no such file: " + file);
        } catch (IOException e) {
            err.println("canary-judge " + command + ": cannot read " + (file == null ? "standard input" : file) + ": " + e.getMessage());
        }
        return null;
    }

    /** Prints every problem of an invalid request, each at its JSON Pointer. */
    void printProblems(InvalidInputException e, PrintWriter err) {
        err.println("canary-judge " + command + ": invalid request" + (file == null ? "" : " in " + file) + ":");
        e.violations().forEach(v -> err.println("  " + (v.path().isEmpty() ? "(whole request)" : v.path()) + ": " + v.message()));
    }
}
