package workshop.support.doctor;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks that the JVM running the tests is a JDK 25 with preview features on, and says in plain words how to fix it
 * when it is not: in the build, in IntelliJ IDEA and in VS Code. The test extension fails every test class with this
 * report, and a session listener prints it once at the start of a run.
 */
public final class Doctor {

    /** The Java feature release the workshop is written for. */
    public static final int REQUIRED_FEATURE = 25;

    private Doctor() {
    }

    /** What is wrong with this JVM for the workshop; empty when nothing is. */
    public static List<String> problems() {
        return problems(Runtime.version().feature(), previewEnabled());
    }

    static List<String> problems(int feature, boolean previewEnabled) {
        List<String> problems = new ArrayList<>();
        if (feature != REQUIRED_FEATURE) {
            problems.add("These tests run on Java " + feature + ", but the workshop needs JDK " + REQUIRED_FEATURE + ".\n"
                    + "    Command line: install a JDK 25 (README, Prerequisites); ./mvnw finds it by itself, "
                    + "or set JAVA25_HOME to its folder.\n"
                    + "    IntelliJ IDEA: File > Project Structure > Project > SDK: 25, Language level: "
                    + "'25 (Preview)'; Settings > Build Tools > Maven > Runner > JRE: 25.\n"
                    + "    VS Code: set \"java.configuration.runtimes\" to a JDK 25 marked \"default\": true "
                    + "(see README, IDE setup).");
        }
        if (!previewEnabled) {
            problems.add("Preview features are off in the JVM that runs these tests, and the workshop uses "
                    + "StructuredTaskScope, a preview API of Java 25.\n"
                    + "    Command line: run through ./mvnw, which passes --enable-preview.\n"
                    + "    IntelliJ IDEA: Run > Edit Configurations > Edit configuration templates > JUnit > VM options: "
                    + "--enable-preview (and re-import the Maven project so the compiler uses it too).\n"
                    + "    VS Code: in .vscode/settings.json, \"java.test.config\": { \"vmArgs\": [\"--enable-preview\"] }.");
        }
        return problems;
    }

    /** Whether this JVM loads classes that depend on preview features. */
    public static boolean previewEnabled() {
        try {
            Class.forName("workshop.support.doctor.PreviewProbe", true, Doctor.class.getClassLoader());
            return true;
        } catch (UnsupportedClassVersionError | ClassNotFoundException e) {
            return false;
        }
    }

    /** The report a learner sees: every problem, each with its fix. */
    public static String report(List<String> problems) {
        StringBuilder out = new StringBuilder("Workshop doctor: this JVM cannot run the workshop's tests.\n");
        for (String problem : problems) {
            out.append("  * ").append(problem).append('\n');
        }
        return out.toString();
    }
}
