// Wrong answer for 02.6: play joins only the ping thread, so it can return while pong still runs
package workshop.channels;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.function.Consumer;

/**
 * Exercise 02.6: Ping-pong over a SynchronousQueue
 *
 * <p>Two virtual threads hit a ball back and forth: each waits for the ball, hits it, and hands it over. A
 * {@code SynchronousQueue} is Go's unbuffered channel: a {@code put} waits until another thread {@code take}s.
 *
 * <pre>{@code
 * ping, pong := make(chan int), make(chan int)
 * go func() { for i := 1; i <= rounds; i++ { hit("ping", i); pong <- i; <-ping } }()
 * go func() { for range rounds { i := <-pong; hit("pong", i); ping <- i } }()
 * }</pre>
 */
public final class PingPong {

    private PingPong() {
    }

    /**
     * Plays {@code rounds} rounds: "ping 1", "pong 1", "ping 2", "pong 2", ... Each hit is reported to {@code hit} by
     * the thread that hits: every ping by one virtual thread, every pong by another, never both at once. Blocks until
     * the last pong and until both threads have ended. With {@code rounds} 0 nobody hits, and it returns at once.
     * {@code hit} should not throw.
     *
     * <p>Memory consistency effects: actions in a hit happen-before the next hit, and every hit happens-before the
     * return of this method.
     *
     * @throws IllegalArgumentException if {@code rounds} is negative
     * @throws InterruptedException     if interrupted while waiting; both threads are then interrupted and end
     */
    public static void play(int rounds, Consumer<String> hit) throws InterruptedException {
        if (rounds < 0) {
            throw new IllegalArgumentException("rounds must not be negative: " + rounds);
        }
        BlockingQueue<Integer> toPing = new SynchronousQueue<>(); // two unbuffered channels
        BlockingQueue<Integer> toPong = new SynchronousQueue<>();
        Thread ping = Thread.ofVirtual().name("ping").start(() -> {
            try {
                for (int ball = 1; ball <= rounds; ball++) {
                    hit.accept("ping " + ball);
                    toPong.put(ball); // waits until pong takes the ball
                    toPing.take();    // and until it comes back
                }
            } catch (InterruptedException e) {
                // play was interrupted: stop playing
            }
        });
        Thread pong = Thread.ofVirtual().name("pong").start(() -> {
            try {
                for (int round = 1; round <= rounds; round++) {
                    int ball = toPong.take();
                    hit.accept("pong " + ball);
                    toPing.put(ball);
                }
            } catch (InterruptedException e) {
                // play was interrupted: stop playing
            }
        });
        try {
            ping.join(); // wrong: pong may still be running
        } catch (InterruptedException e) {
            ping.interrupt();
            pong.interrupt();
            throw e;
        }
    }
}
