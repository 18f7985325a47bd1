package workshop.scenarios.deploy.application;

/**
 * Ends the process with a status: the last step of a shutdown. {@code Main} ends the JVM (see its Javadoc for why
 * with {@code Runtime.halt}); a test records the call instead of ending the test JVM.
 */
@FunctionalInterface
public interface ProcessExit {

    /** Ends the process with {@code status} (0: stopped clean); in the service it does not return. */
    void exit(int status);
}
