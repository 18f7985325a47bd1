// Wrong answer for 01.7: take() is retried when interrupted
package workshop.goroutines;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;

/**
 * Exercise 01.7: Find and fix a leaked virtual thread
 *
 * <p>Ask every mirror at once and return the first answer. It works, and every slower mirror's thread is stuck
 * forever: run the tests, read the leak report, fix the leak.
 *
 * <pre>{@code
 * answers := make(chan string)          // unbuffered: every loser blocks forever on its send
 * for _, m := range mirrors { go func() { answers <- m() }() }
 * return <-answers
 * }</pre>
 */
public final class FirstResponse {

    private FirstResponse() {
    }

    /**
     * Calls every mirror concurrently, each on its own virtual thread, and returns the first answer. Blocks until
     * one mirror has answered (forever, if every mirror fails). Every thread it starts ends once its mirror has
     * answered or failed.
     *
     * <p>Memory consistency effects: actions of the mirror whose answer is returned happen-before the return.
     *
     * @throws InterruptedException if interrupted while waiting for an answer
     */
    public static String fastest(List<Callable<String>> mirrors) throws InterruptedException {
        // Room for every answer (Go: make(chan string, len(mirrors))): a late mirror's put never blocks, so its
        // thread ends. Cancelling the losers (interrupting them) would end them sooner, if mirrors answer interrupts.
        BlockingQueue<String> answers = new ArrayBlockingQueue<>(Math.max(1, mirrors.size()));
        for (Callable<String> mirror : mirrors) {
            Thread.ofVirtual().start(() -> {
                try {
                    answers.put(mirror.call());
                } catch (Exception e) {
                    // a failed mirror does not answer
                }
            });
        }
        while (true) {
            try {
                return answers.take();
            } catch (InterruptedException e) {
                // keep waiting for an answer
            }
        }
    }
}
