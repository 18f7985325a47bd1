package workshop.patterns;

import java.io.IOException;

/**
 * Where orders are kept (exercise 05.9): a port the repository layer of {@link Causes} reads through. Production
 * would talk to a database; the tests pass fakes that fail on purpose.
 */
@FunctionalInterface
public interface OrderStore {

    /**
     * Reads the order with this id.
     *
     * @throws OrderNotFoundException if there is no such order
     * @throws IOException            if the store could not be read (a connection refused, a time-out)
     * @throws InterruptedException   if the calling thread was interrupted while it waited for the store
     */
    String read(int id) throws IOException, OrderNotFoundException, InterruptedException;
}
