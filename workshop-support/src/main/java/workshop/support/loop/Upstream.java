package workshop.support.loop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A file as the upstream repository has it, read with {@code git} (a child process; git on the {@code PATH}): at the
 * first of {@code origin/HEAD}, {@code origin/main} and {@code HEAD} that names a commit. The learner's own commits
 * do not change what it reads as long as the clone's {@code origin} refs are there.
 */
final class Upstream {

    /** Where to look for the starter, the upstream commit the learner cloned first. */
    static final List<String> REVISIONS = List.of("origin/HEAD", "origin/main", "HEAD");

    /** The file's bytes as the working tree would have them after a checkout (line endings included), and where from. */
    record Starter(byte[] bytes, String revision) {
    }

    /** Why no starter could be read: for the learner, with what to do. */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    private Upstream() {
    }

    /** {@code path} (relative to {@code root}, forward slashes) at the first revision of {@link #REVISIONS}. */
    static Starter starter(Path root, String path) throws Unavailable {
        String revision = null;
        for (String candidate : REVISIONS) {
            if (git(root, "rev-parse", "--verify", "--quiet", candidate + "^{commit}").status() == 0) {
                revision = candidate;
                break;
            }
        }
        if (revision == null) {
            throw new Unavailable("git finds no commit here (none of " + String.join(", ", REVISIONS) + "): is "
                    + root + " the folder you cloned? Reset takes the starter from the commit you cloned.");
        }
        // --filters: the bytes a checkout would write (CRLF on a Windows clone that converts line endings)
        Result show = git(root, "cat-file", "--filters", revision + ":./" + path);
        if (show.status() != 0) {
            throw new Unavailable("git has no " + path + " at " + revision + " (git says: "
                    + new String(show.error(), StandardCharsets.UTF_8).strip() + ").");
        }
        return new Starter(show.output(), revision);
    }

    private record Result(int status, byte[] output, byte[] error) {
    }

    private static Result git(Path root, String... args) throws Unavailable {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process git;
        try {
            git = new ProcessBuilder(command).directory(root.toFile()).start();
        } catch (IOException e) {
            throw new Unavailable("reset needs git, and there is no git on the PATH (" + e.getMessage() + "). Install"
                    + " git (https://git-scm.com) or put it on the PATH, then run the command again.");
        }
        try {
            git.getOutputStream().close();
            // read both streams at once, so that a full error pipe cannot stall git
            byte[][] error = new byte[1][];
            Thread errors = Thread.ofVirtual().start(() -> error[0] = readAll(git.getErrorStream()));
            byte[] output = readAll(git.getInputStream());
            int status = git.waitFor();
            errors.join();
            return new Result(status, output, error[0]);
        } catch (IOException | InterruptedException e) {
            git.destroy();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new Unavailable("git did not answer (" + e + ").");
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** The commit a revision names, short, for messages; empty when git cannot say. */
    static Optional<String> shortCommit(Path root, String revision) {
        try {
            Result result = git(root, "rev-parse", "--short", revision);
            return result.status() == 0 ? Optional.of(new String(result.output(), StandardCharsets.UTF_8).strip())
                    : Optional.empty();
        } catch (Unavailable e) {
            return Optional.empty();
        }
    }
}
