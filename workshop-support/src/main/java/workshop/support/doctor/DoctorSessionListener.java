package workshop.support.doctor;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.util.List;

/** Prints the doctor's report once, before any test runs, when the JVM is not fit for the workshop. */
public final class DoctorSessionListener implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        List<String> problems = Doctor.problems();
        if (!problems.isEmpty()) {
            System.err.println("\n" + Doctor.report(problems));
        }
    }
}
