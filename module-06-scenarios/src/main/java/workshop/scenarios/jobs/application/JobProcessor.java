package workshop.scenarios.jobs.application;

import workshop.scenarios.jobs.domain.Job;
import workshop.scenarios.jobs.domain.JobId;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** TEMPORARY STAND-IN of J1's JobProcessor (branch i13-j1), so that Main compiles and runs: to be replaced. */
public final class JobProcessor implements AutoCloseable {

    public record Settings(int workers, int buffer, Duration visibility, Duration idlePoll) {
        public static Settings of(int workers) {
            return new Settings(workers, 2 * workers, Duration.ofSeconds(60), Duration.ofMillis(50));
        }
    }

    public record Stopped(int released, boolean drainedInTime) {
    }

    private final JobQueue queue;
    private final JobWorker worker;
    private final Settings settings;
    private final BlockingQueue<Job> buffer;
    private final Set<JobId> leased = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final List<Thread> workers = new ArrayList<>();
    private Thread reader;
    private volatile boolean stopping;
    private Stopped stopped;

    public JobProcessor(JobQueue queue, JobWorker worker, Settings settings) {
        this.queue = queue;
        this.worker = worker;
        this.settings = settings;
        this.buffer = new ArrayBlockingQueue<>(settings.buffer());
    }

    public synchronized void start() {
        reader = Thread.ofPlatform().name("jobs-reader").start(this::read);
        for (int i = 0; i < settings.workers(); i++) {
            workers.add(Thread.ofVirtual().name("jobs-worker-" + i).start(this::work));
        }
    }

    private void read() {
        try {
            while (!stopping) {
                int room = buffer.remainingCapacity();
                List<Job> jobs = room == 0 ? List.of() : queue.lease(room, settings.visibility());
                if (jobs.isEmpty()) {
                    Thread.sleep(settings.idlePoll());
                    continue;
                }
                for (Job job : jobs) {
                    leased.add(job.id());
                    buffer.put(job);
                }
            }
        } catch (InterruptedException e) {
            // stopping
        }
    }

    private void work() {
        try {
            while (true) {
                Job job = buffer.take();
                inFlight.incrementAndGet();
                try {
                    worker.handle(job);
                    leased.remove(job.id());
                } finally {
                    inFlight.decrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            // stopping
        }
    }

    public int inFlight() {
        return inFlight.get();
    }

    public synchronized Stopped stop(Duration deadline) throws InterruptedException {
        if (stopped != null) {
            return stopped;
        }
        stopping = true;
        if (reader != null) {
            reader.interrupt();
            reader.join();
        }
        long end = System.nanoTime() + deadline.toNanos();
        boolean inTime = true;
        while (!buffer.isEmpty() || inFlight.get() > 0) {
            if (System.nanoTime() > end) {
                inTime = false;
                break;
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
        for (Thread t : workers) {
            t.interrupt();
        }
        for (Thread t : workers) {
            t.join();
        }
        List<JobId> left = new ArrayList<>(leased);
        if (!left.isEmpty()) {
            queue.release(left);
        }
        stopped = new Stopped(left.size(), inTime);
        return stopped;
    }

    @Override
    public void close() throws InterruptedException {
        stop(Duration.ZERO);
    }
}
