package workshop.scenarios.jobs.application;

import workshop.scenarios.jobs.domain.Job;
import workshop.scenarios.jobs.domain.JobId;
import workshop.scenarios.jobs.domain.JobResult;

import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link JobWorker} that records how it is called, without trusting the code under test: which threads call it
 * ({@code Thread.currentThread()}), how many calls are in flight at once, which jobs started, finished or were
 * interrupted. Each call waits for {@link #finish()} (open from the start with {@link #finishingAtOnce()}); an
 * interrupted call waits, uninterruptibly, for {@link #letInterruptedEnd()} before it throws, as a job that takes a
 * moment to stop would, and then throws {@link InterruptedException}. A finished job is completed in the queue, if
 * one is given.
 */
final class ProbeWorker implements JobWorker {

    private final JobQueue queue;
    private final CountDownLatch finish = new CountDownLatch(1);
    private final CountDownLatch interruptedMayEnd = new CountDownLatch(1);
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final Queue<Job> started = new ConcurrentLinkedQueue<>();
    private final Queue<Job> finished = new ConcurrentLinkedQueue<>();
    private final Queue<Job> interrupted = new ConcurrentLinkedQueue<>();

    /** @param queue where a finished job is completed, or null */
    ProbeWorker(JobQueue queue) {
        this.queue = queue;
    }

    ProbeWorker finishingAtOnce() {
        finish.countDown();
        return this;
    }

    @Override
    public void handle(Job job) throws InterruptedException {
        threads.add(Thread.currentThread());
        peak.accumulateAndGet(running.incrementAndGet(), Math::max);
        started.add(job);
        try {
            finish.await();
            if (queue != null) {
                queue.complete(new JobResult(job.id(), "done " + job.id()));
            }
            finished.add(job);
        } catch (InterruptedException e) {
            interrupted.add(job);
            boolean done = false;
            while (!done) {
                try {
                    interruptedMayEnd.await();
                    done = true;
                } catch (InterruptedException again) {
                    // interrupted twice: it still takes its moment to stop
                }
            }
            throw e;
        } finally {
            running.decrementAndGet();
        }
    }

    /** Lets every call, running or to come, finish. */
    void finish() {
        finish.countDown();
    }

    /** Lets every interrupted call, now or to come, throw its InterruptedException. */
    void letInterruptedEnd() {
        interruptedMayEnd.countDown();
    }

    int running() {
        return running.get();
    }

    int peak() {
        return peak.get();
    }

    Set<Thread> threads() {
        return Set.copyOf(threads);
    }

    List<JobId> started() {
        return started.stream().map(Job::id).toList();
    }

    List<JobId> finished() {
        return finished.stream().map(Job::id).toList();
    }

    List<JobId> interrupted() {
        return interrupted.stream().map(Job::id).toList();
    }
}
