package workshop.gc;

import workshop.support.NotSolvedYet;

import java.util.function.Consumer;

/**
 * Exercise 04.4: Subscriptions you close
 *
 * <p>Every listener a bus holds is live, with everything it captures: a screen that subscribed and went away leaks
 * itself through the bus. Give every subscription a {@code close()} that lets go of its listener, and keep
 * {@link #publish} safe while other threads subscribe and close.
 *
 * <pre>{@code
 * unsubscribe := bus.Subscribe(func(e Event) { ... })   // the bus's slice keeps each func and what it captures
 * defer unsubscribe()                                    // or the func lives as long as the bus
 * }</pre>
 *
 * <p>Safe for use by several threads at once. Memory consistency effects: actions in a thread before
 * {@link #subscribe} returns happen-before each call of that listener by a {@link #publish} that began after it.
 *
 * @param <E> the type of events
 */
public final class EventBus<E> {

    /** A listener's place on the bus; closing it takes the listener off. */
    public interface Subscription extends AutoCloseable {

        /**
         * Takes the listener off the bus: it receives no event published after this returns, and the bus no longer
         * references it. Closing a subscription that is closed does nothing; it never touches another subscription,
         * even one of the same listener.
         */
        @Override
        void close();
    }

    /**
     * Subscribes {@code listener}: it receives every event published from now on until its subscription is closed.
     * The same listener may be subscribed more than once; each subscription then delivers each event once.
     */
    public Subscription subscribe(Consumer<? super E> listener) {
        // TODO 04.4: what holds a listener, and what makes closing take exactly this subscription off it?
        throw new NotSolvedYet("04.4");
    }

    /**
     * Calls every subscribed listener with {@code event}, on the calling thread, one after the other. Other threads may
     * subscribe and close meanwhile, and a listener may close any subscription, its own included: every listener that
     * was subscribed when this call began and is not closed before it returns receives the event exactly once; one
     * subscribed or closed meanwhile may or may not. A listener's exception propagates to the caller, and the
     * listeners after it then miss this event.
     */
    public void publish(E event) {
        // TODO 04.4: deliver while others subscribe and close, without holding anything they wait for
        throw new NotSolvedYet("04.4");
    }
}
