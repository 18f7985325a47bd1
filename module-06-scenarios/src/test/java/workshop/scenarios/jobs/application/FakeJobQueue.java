package workshop.scenarios.jobs.application;

import workshop.scenarios.jobs.domain.Job;
import workshop.scenarios.jobs.domain.JobId;
import workshop.scenarios.jobs.domain.JobResult;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An in-memory {@link JobQueue} that records what the code under test did with it: every lease (how many jobs it
 * asked for, when), every release and completion, and anything a real queue would refuse (releasing a job that is not
 * leased). Leases never expire: a job leased and never completed nor released stays leased, so that a test sees it.
 * Thread-safe: every method is synchronized, so a thread inside it is RUNNABLE or BLOCKED, never parked.
 */
final class FakeJobQueue implements JobQueue {

    private final Deque<Job> ready = new ArrayDeque<>();
    private final Map<JobId, Job> leased = new LinkedHashMap<>();
    private final List<JobId> released = new ArrayList<>();
    private final List<JobId> completed = new ArrayList<>();
    private final List<String> anomalies = new ArrayList<>();
    private final List<Long> leaseCallNanos = new ArrayList<>();
    private final java.util.Set<Thread> leasingThreads = new java.util.LinkedHashSet<>();
    private int leasedTotal;
    private int peakLeased;

    /** Adds {@code count} ready jobs, {@code prefix-1} to {@code prefix-count}, and returns them. */
    synchronized List<Job> add(String prefix, int count) {
        List<Job> jobs = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            Job job = new Job(new JobId(prefix + "-" + i), "payload of " + prefix + "-" + i, 0);
            jobs.add(job);
            ready.add(job);
        }
        return jobs;
    }

    @Override
    public synchronized List<Job> lease(int max, Duration visibility) {
        Objects.requireNonNull(visibility, "visibility");
        if (max < 1 || !visibility.isPositive()) {
            throw new IllegalArgumentException("lease(" + max + ", " + visibility + ")");
        }
        leaseCallNanos.add(System.nanoTime());
        leasingThreads.add(Thread.currentThread());
        List<Job> out = new ArrayList<>();
        while (out.size() < max && !ready.isEmpty()) {
            Job job = ready.poll();
            leased.put(job.id(), job);
            out.add(job);
        }
        leasedTotal += out.size();
        peakLeased = Math.max(peakLeased, leased.size());
        return out;
    }

    @Override
    public synchronized void complete(JobResult result) {
        if (leased.remove(result.id()) == null) {
            anomalies.add("completed " + result.id() + ", which was not leased");
        }
        completed.add(result.id());
    }

    @Override
    public synchronized void retryLater(JobId id, Duration delay, String error) {
        anomalies.add("retryLater(" + id + ") called: no test of the processor's core fails a job");
    }

    @Override
    public synchronized void deadLetter(JobId id, String error) {
        anomalies.add("deadLetter(" + id + ") called: no test of the processor's core fails a job");
    }

    @Override
    public synchronized void release(Collection<JobId> ids) {
        for (JobId id : ids) {
            Job job = leased.remove(id);
            if (job == null) {
                anomalies.add("released " + id + ", which was not leased (released twice, or never leased?)");
                continue;
            }
            ready.addFirst(job);
            released.add(id);
        }
    }

    @Override
    public synchronized int depth() {
        return ready.size();
    }

    /** How many jobs are leased now: neither completed nor released. */
    synchronized int leasedNow() {
        return leased.size();
    }

    /** The ids of the jobs leased now. */
    synchronized List<JobId> leasedIds() {
        return List.copyOf(leased.keySet());
    }

    /** How many jobs were leased in all, counting a job leased again after a release again. */
    synchronized int leasedTotal() {
        return leasedTotal;
    }

    /** The most jobs that were leased at once. */
    synchronized int peakLeased() {
        return peakLeased;
    }

    synchronized int leaseCalls() {
        return leaseCallNanos.size();
    }

    /** When each lease call came, in {@link System#nanoTime()}. */
    synchronized List<Long> leaseCallNanos() {
        return List.copyOf(leaseCallNanos);
    }

    /** The threads that called {@link #lease}: the reader's. */
    synchronized List<Thread> leasingThreads() {
        return List.copyOf(leasingThreads);
    }

    synchronized List<JobId> released() {
        return List.copyOf(released);
    }

    synchronized List<JobId> completed() {
        return List.copyOf(completed);
    }

    /** What a real queue would have refused. */
    synchronized List<String> anomalies() {
        return List.copyOf(anomalies);
    }
}
