package workshop.support.doctor;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The doctor")
class DoctorTest {

    @Test
    @DisplayName("finds nothing wrong with the JVM the build runs the tests on")
    void findsNothingWrongHere() {
        assertThat(Doctor.problems()).as(Doctor.report(Doctor.problems())).isEmpty();
        assertThat(Doctor.previewEnabled()).isTrue();
    }

    @Test
    @DisplayName("says which JDK to install and how to pick it in each tool when the JVM is not 25")
    void explainsAWrongJdk() {
        assertThat(String.join("\n", Doctor.problems(21, true)))
                .contains("run on Java 21", "needs JDK 25", "JAVA25_HOME", "IntelliJ IDEA", "VS Code");
    }

    @Test
    @DisplayName("says how to turn preview features on when they are off")
    void explainsPreviewOff() {
        assertThat(String.join("\n", Doctor.problems(25, false)))
                .contains("Preview features are off", "--enable-preview", "IntelliJ IDEA", "java.test.config");
    }
}
