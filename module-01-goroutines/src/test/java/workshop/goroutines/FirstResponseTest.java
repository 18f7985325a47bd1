package workshop.goroutines;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.testing.Background;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leak this exercise is about is reported by the workshop's leak detector, which fails every test that leaves a
 * thread it started alive: read its report to find the stuck threads and where they wait.
 */
@Tag("01.7")
@DisplayName("01.7 Find and fix a leaked virtual thread")
class FirstResponseTest {

    private static final Duration PATIENCE = Duration.ofSeconds(5);

    @Test
    @DisplayName("returns the first answer, and the slower mirrors' threads end once they answer")
    void returnsTheFirstAnswerAndLeavesNoThreadBehind() throws InterruptedException {
        CountDownLatch slowMayAnswer = new CountDownLatch(1);
        Callable<String> slow = () -> {
            slowMayAnswer.await();
            return "slow";
        };
        Callable<String> fast = () -> "fast";

        Background<String> call = Background.call("fastest", () -> FirstResponse.fastest(List.of(slow, fast, slow)));
        String answer;
        try {
            answer = call.await(PATIENCE);
        } finally {
            slowMayAnswer.countDown(); // the slow mirrors answer now, after fastest returned
        }

        assertThat(answer).as("[01.7] the first answer").isEqualTo("fast");
    }

    @Test
    @DisplayName("leaves no thread behind when every mirror answers at once")
    void leavesNoThreadBehindWhenEveryMirrorAnswersAtOnce() throws InterruptedException {
        List<Callable<String>> mirrors = List.of(() -> "a", () -> "b", () -> "c");

        String answer = Background.call("fastest", () -> FirstResponse.fastest(mirrors)).await(PATIENCE);

        assertThat(answer).as("[01.7] the answer of one of the mirrors").isIn("a", "b", "c");
    }
}
