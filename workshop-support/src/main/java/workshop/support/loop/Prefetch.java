package workshop.support.loop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code ./workshop prefetch <folder>}: fills a folder with everything a learner's machine needs to build and run the
 * workshop with no Internet, for a room with poor Wi-Fi. The folder holds the Maven distribution that the wrapper
 * downloads (unpacked under {@code wrapper/dists}, as {@code MAVEN_USER_HOME} lays it out, and as its zip inside the
 * repository, where a served copy's {@code MVNW_REPOURL} points) and a Maven repository ({@code repository/}) with
 * every plugin and library of every build a learner or an instructor runs.
 *
 * <p>It fills the repository by running those builds for real, with tests, labs and the service skipped (except one
 * exercise's tests, which Surefire needs to fetch its JUnit provider): {@code dependency:go-offline} would miss what
 * plugins load only when they run.
 */
final class Prefetch {

    /** One build: what it is for, and the wrapper's arguments (the repository option is added to each). */
    record Step(String why, List<String> args) {
    }

    /** Runs the wrapper with these arguments and extra environment variables; returns its exit status. */
    @FunctionalInterface
    interface Maven {
        int run(List<String> args, Map<String, String> env, PrintStream out) throws IOException, InterruptedException;
    }

    /** Fetches a URL's bytes into a file (the Maven distribution's zip). */
    @FunctionalInterface
    interface Download {
        void to(URI from, Path file) throws IOException, InterruptedException;
    }

    /** The builds, in order; the first one alone makes the wrapper download and unpack Maven. */
    static final List<Step> STEPS = List.of(
            new Step("the Maven distribution (the wrapper unpacks it into <folder>/wrapper/dists)",
                    List.of("--version")),
            new Step("a learner's run: every module compiled, the learner's runner (tests skipped)",
                    List.of("test", "-DskipTests")),
            new Step("one exercise's tests for real through Surefire, which fetches its JUnit provider only then",
                    List.of("verify", "-Psolutions", "-pl", "module-01-goroutines", "-am", "-Dgroups=01.1")),
            new Step("the reference solutions, the labs and the service, packaged (tests, labs and service skipped)",
                    List.of("verify", "-Psolutions,lab,serve", "-DskipTests",
                            "-Dworkshop.lab.skip=true", "-Dworkshop.serve.skip=true")),
            new Step("the starter check and the wrong-answers check (their runs skipped)",
                    List.of("verify", "-Pstarter-check,wrong-answers", "-DskipTests",
                            "-Dworkshop.skipExerciseTools=true")),
            new Step("the learner's loop (./workshop): the launch files of every module",
                    List.of("process-test-classes", "-Ploop")),
            new Step("module 04's jcstress lab, a project of its own (its run skipped)",
                    List.of("verify", "-f", "module-04-gc/lab/jcstress/pom.xml", "-Dexec.skip=true")),
            new Step("clean (the plugin only: nothing is deleted)",
                    List.of("clean", "-Dmaven.clean.skip=true")));

    private Prefetch() {
    }

    static int run(Workshop.Invocation invocation) throws Exception {
        if (invocation.args().size() != 1) {
            invocation.out().println("""
                    Usage: ./workshop prefetch <folder>
                      fills <folder> with Maven and every library and plugin the workshop needs, for a room with no
                      Internet: copy it onto each learner's machine, or serve it on the room's network (INSTRUCTORS.md).""");
            return 2;
        }
        Path root = invocation.root();
        Path folder = root.resolve(invocation.args().getFirst()).toAbsolutePath().normalize();
        return run(root, folder, invocation.out(), wrapper(root), Prefetch::download);
    }

    static int run(Path root, Path folder, PrintStream out, Maven maven, Download download) throws Exception {
        Path repository = Files.createDirectories(folder.resolve("repository"));
        Map<String, String> env = Map.of("MAVEN_USER_HOME", folder.toString());
        out.println("workshop prefetch: filling " + folder + " (" + STEPS.size() + " builds, then Maven's zip).");
        out.println("  Each build runs as a learner's would, with MAVEN_USER_HOME=" + folder
                + " and -Dmaven.repo.local=" + repository + ".");
        int number = 0;
        for (Step step : STEPS) {
            number++;
            out.printf("%n[%d/%d] %s%n      ./mvnw %s%n", number, STEPS.size(), step.why(), String.join(" ", step.args()));
            List<String> args = new ArrayList<>(step.args());
            args.add("-Dmaven.repo.local=" + repository);
            long start = System.nanoTime();
            int status = maven.run(args, env, out);
            if (status != 0) {
                out.printf("workshop prefetch: build %d failed (exit %d): ./mvnw %s%n"
                                + "  Its messages are above. The folder is incomplete: fix the cause (the network? a"
                                + " compile error in your copy of the repository?) and run the same command again;%n"
                                + "  what is already in %s stays and is not fetched twice.%n",
                        number, status, String.join(" ", step.args()), folder);
                return 1;
            }
            out.printf("      done in %s; the folder holds %s%n", seconds(System.nanoTime() - start), size(folder));
        }
        Path zip = distributionZip(root, repository, download, out);
        out.println();
        out.print(usage(folder, zip, size(folder)));
        return 0;
    }

    /**
     * Puts the wrapper's Maven zip where a served repository's {@code MVNW_REPOURL} makes the wrapper look for it
     * (the URL path below {@code /org/apache/maven/}), after checking it against the wrapper's checksum.
     */
    static Path distributionZip(Path root, Path repository, Download download, PrintStream out)
            throws IOException, InterruptedException {
        Properties wrapper = new Properties();
        try (InputStream in = Files.newInputStream(root.resolve(".mvn/wrapper/maven-wrapper.properties"))) {
            wrapper.load(in);
        }
        String url = wrapper.getProperty("distributionUrl");
        String expected = wrapper.getProperty("distributionSha256Sum", "");
        String marker = "/org/apache/maven/";
        Path zip = repository.resolve(url.substring(url.indexOf(marker) + 1));
        if (Files.isRegularFile(zip) && sha256(zip).equalsIgnoreCase(expected)) {
            out.println("\nMaven's zip is already in place: " + zip);
            return zip;
        }
        out.println("\nfetching Maven's zip for a served room (MVNW_REPOURL): " + url);
        Files.createDirectories(zip.getParent());
        Path partial = zip.resolveSibling(zip.getFileName() + ".part");
        download.to(URI.create(url), partial);
        String actual = sha256(partial);
        if (!expected.isEmpty() && !actual.equalsIgnoreCase(expected)) {
            Files.deleteIfExists(partial);
            throw new IOException("the Maven zip from " + url + " has SHA-256 " + actual + ", but the wrapper expects "
                    + expected + " (.mvn/wrapper/maven-wrapper.properties): a proxy that rewrote it, or a broken"
                    + " download. Run the command again; if it persists, fetch the zip by hand and compare.");
        }
        Files.move(partial, zip, StandardCopyOption.REPLACE_EXISTING);
        return zip;
    }

    /** What to do with the folder: copy it, or serve it. */
    static String usage(Path folder, Path zip, String size) {
        String repoUrl = "http://<your-address>:8000";
        return """
                workshop prefetch: done. %1$s holds %2$s.
                Use it in one of two ways (INSTRUCTORS.md, "The room's setup"):
                  (a) copy: copy the folder onto each learner's machine as ~/.m2 (or merge it into an existing ~/.m2:
                      its repository/ and wrapper/ folders). The wrapper then finds Maven, and Maven its libraries,
                      with no network at all (./mvnw -o ... proves it).
                  (b) serve: on your machine, serve the repository with the JDK's own web server:
                        jwebserver -b 0.0.0.0 -p 8000 -d %3$s
                      and on each learner's machine set, before the first ./mvnw or ./workshop,
                        export MVNW_REPOURL=%4$s        (Windows: set MVNW_REPOURL=%4$s)
                      (the wrapper then fetches %5$s from there), and put this mirror in ~/.m2/settings.xml:
                        <settings><mirrors><mirror>
                          <id>room</id><mirrorOf>*</mirrorOf><url>%4$s/</url>
                        </mirror></mirrors></settings>
                """.formatted(folder, size, folder.resolve("repository"), repoUrl, zip.getFileName());
    }

    /** The real wrapper of the repository: mvnw, or mvnw.cmd on Windows, as a child process. */
    static Maven wrapper(Path root) {
        boolean windows = System.getProperty("os.name", "").startsWith("Windows");
        Path script = root.resolve(windows ? "mvnw.cmd" : "mvnw");
        return (args, env, out) -> {
            List<String> command = new ArrayList<>();
            command.add(script.toString());
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process process = builder.start();
            Thread.ofVirtual().name("prefetch progress").start(() -> progress(process, env, out));
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(line -> out.println("      | " + line));
            }
            return process.waitFor();
        };
    }

    /** Maven is quiet for minutes while it downloads (the build runs with --no-transfer-progress): say it is alive. */
    private static void progress(Process process, Map<String, String> env, PrintStream out) {
        String folder = env.get("MAVEN_USER_HOME");
        long start = System.nanoTime();
        try {
            while (!process.waitFor(20, TimeUnit.SECONDS)) {
                out.printf("      ... still working, %s so far%s%n", seconds(System.nanoTime() - start),
                        folder == null ? "" : "; the folder holds " + size(Path.of(folder)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void download(URI from, Path file) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build()) {
            HttpResponse<Path> response = client.send(HttpRequest.newBuilder(from).build(),
                    HttpResponse.BodyHandlers.ofFile(file));
            if (response.statusCode() != 200) {
                throw new IOException("GET " + from + " answered " + response.statusCode());
            }
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** A folder's size in MB, for people. */
    static String size(Path folder) {
        if (!Files.isDirectory(folder)) {
            return "0 MB";
        }
        try (Stream<Path> files = Files.walk(folder)) {
            long bytes = files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    return 0; // a file Maven is just moving into place
                }
            }).sum();
            return "%,d MB".formatted(Math.round(bytes / 1_048_576.0));
        } catch (IOException | UncheckedIOException e) {
            return "(size unknown: " + e.getMessage() + ")";
        }
    }

    private static String seconds(long nanos) {
        long s = TimeUnit.NANOSECONDS.toSeconds(nanos);
        return s < 60 ? s + " s" : s / 60 + " min " + s % 60 + " s";
    }
}
