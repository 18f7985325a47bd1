package workshop.support.threads;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.support.testing.Patience;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@DisplayName("Thread dumps")
class ThreadDumpsTest {

    @Test
    @DisplayName("walk the JDK's thread containers in the workshop's test JVMs, which are started with the export")
    void walkTheThreadContainers() {
        assertThat(ThreadContainerWalk.available())
                .as("--add-exports java.base/jdk.internal.vm=ALL-UNNAMED reached this JVM (root pom, workshop.test.exports)")
                .isTrue();
    }

    @Test
    @DisplayName("see a parked virtual thread in an executor the same way as the JDK's JSON dump does")
    void agreeWithTheJsonDump() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        try (var executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("dumped").factory())) {
            executor.execute(() -> {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException ignored) {
                    // ends
                }
            });
            started.await();
            try {
                check();
            } finally {
                release.countDown(); // before the executor's close() waits for the task
            }
        }
    }

    private static void check() {
        // it counts down before it parks: wait until a dump sees it parked
        Predicate<ThreadSnapshot> parkedTask = t -> t.name().equals("dumped") && t.state().equals("WAITING");
        await("the task to park").atMost(Patience.seconds(10)).until(() -> ThreadDumps.take(parkedTask, 10).matched() == 1);

        ThreadSnapshot walked = only(ThreadDumps.take(parkedTask, 10));
        ThreadSnapshot dumped = only(ThreadDumps.takeJson(parkedTask, 10));

        assertThat(walked.id()).isEqualTo(dumped.id());
        assertThat(walked.virtual()).isTrue();
        assertThat(walked.container()).isEqualTo(dumped.container()).contains("ThreadPerTaskExecutor");
        assertThat(walked.whereInUserCode()).isEqualTo(dumped.whereInUserCode()).contains("ThreadDumpsTest");
        assertThat(walked.stack()).anyMatch(frame -> frame.startsWith("java.base/java.util.concurrent.CountDownLatch.await"));
    }

    private static ThreadSnapshot only(ThreadDumps.Sample sample) {
        assertThat(sample.threads()).as("threads found").hasSize(1);
        return sample.threads().getFirst();
    }
}
