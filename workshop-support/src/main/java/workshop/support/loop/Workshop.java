package workshop.support.loop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The learner's loop, as the scripts {@code ./workshop} and {@code workshop.cmd} start it: {@code watch}, {@code hint},
 * {@code reset}, {@code solution} and {@code status}. It runs in the repository's root folder, in a JDK 25 started
 * from the launch files that Maven wrote ({@link LaunchInfo}).
 *
 * <p>Exit status: 0 done, 1 failed, 2 a wrong command line, {@value #STALE} the launch files are older than the
 * support module's sources (the scripts then rebuild them with Maven and run the command once more).
 */
public final class Workshop {

    /** The exit status that asks the scripts to rebuild the launch files and run the command again. */
    public static final int STALE = 3;

    static final String USAGE = """
            Usage: ./workshop <command>          (Windows: workshop.cmd <command>)
              watch [MM | MM.N]   re-checks an exercise each time you save a file: a module (01), one exercise (01.3),
                                  or, with nothing, every module; stop it with ctrl-C
              check MM.N          checks an exercise once, as the watcher does
              hint MM.N [K]       the next hint of an exercise, one at a time (K: hint K again)
              reset MM.N          puts an exercise's starter file back, after saving yours beside it
              solution MM.N       the difference between your file and the reference solution (asks first)
              status [--line]     your progress, without running a test (--line: on one line, for your instructor)
              preflight           the day before: checks the JDK, the IDE settings, the disk and one watch check
              prefetch <folder>   (instructors) fills a folder with Maven and every library, for an offline room
            """;

    private Workshop() {
    }

    /** A command's inputs: the repository root, its arguments (after the command's name), and the terminal. */
    public record Invocation(Path root, List<String> args, PrintStream out, BufferedReader in) {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int status = run(root, List.of(args), System.out, in);
        System.out.flush();
        System.exit(status);
    }

    static int run(Path root, List<String> args, PrintStream out, BufferedReader in) throws Exception {
        if (args.isEmpty() || args.getFirst().equals("help") || args.getFirst().equals("--help")) {
            out.print(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        if (stale(root)) {
            return STALE;
        }
        Invocation invocation = new Invocation(root, args.subList(1, args.size()), out, in);
        return switch (args.getFirst()) {
            case "watch" -> Watch.run(invocation);
            case "check" -> invocation.args().size() == 1 ? Watch.once(root, invocation.args().getFirst(), out)
                    : usage(out);
            case "hint" -> Hints.run(invocation);
            case "reset" -> Reset.run(invocation);
            case "solution" -> SolutionDiff.run(invocation);
            case "status" -> Status.run(invocation);
            case "preflight" -> Preflight.run(invocation);
            case "prefetch" -> Prefetch.run(invocation);
            default -> {
                out.println("workshop: no command " + args.getFirst() + ".");
                out.print(USAGE);
                yield 2;
            }
        };
    }

    private static int usage(PrintStream out) {
        out.print(USAGE);
        return 2;
    }

    /** True when a source of the support module, or a POM, is newer than the launch files: rebuild them first. */
    static boolean stale(Path root) throws IOException {
        Path args = LaunchInfo.folder(root.resolve("workshop-support")).resolve(LaunchInfo.ARGS);
        if (!Files.isRegularFile(args)) {
            return false; // started by hand (an IDE): nothing to compare with
        }
        FileTime built = Files.getLastModifiedTime(args);
        List<Path> inputs = Arrays.asList(root.resolve("pom.xml"), root.resolve("workshop-support/pom.xml"));
        for (Path pom : inputs) {
            if (Files.isRegularFile(pom) && Files.getLastModifiedTime(pom).compareTo(built) > 0) {
                return true;
            }
        }
        Path sources = root.resolve("workshop-support/src/main");
        if (!Files.isDirectory(sources)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(sources)) {
            return files.filter(Files::isRegularFile).anyMatch(f -> {
                try {
                    return Files.getLastModifiedTime(f).compareTo(built) > 0;
                } catch (IOException e) {
                    return true;
                }
            });
        }
    }
}
