package workshop.support.loop;

/** TODO: the {@code status} command. */
final class Status {

    private Status() {
    }

    static int run(Workshop.Invocation invocation) throws Exception {
        invocation.out().println("not built yet");
        return 1;
    }
}
