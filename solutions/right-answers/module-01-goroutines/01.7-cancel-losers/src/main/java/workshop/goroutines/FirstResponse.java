// Right answer for 01.7: a SynchronousQueue kept, and every thread interrupted after the first answer
package workshop.goroutines;
import java.util.*;
import java.util.concurrent.*;
public final class FirstResponse {
    private FirstResponse() { }
    public static String fastest(List<Callable<String>> mirrors) throws InterruptedException {
        BlockingQueue<String> answers = new SynchronousQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (Callable<String> mirror : mirrors) {
            threads.add(Thread.ofVirtual().start(() -> { try { answers.put(mirror.call()); } catch (Exception e) { } }));
        }
        try { return answers.take(); } finally { threads.forEach(Thread::interrupt); }
    }
}
