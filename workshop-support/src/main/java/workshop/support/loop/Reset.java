package workshop.support.loop;

/** TODO: the {@code reset} command. */
final class Reset {

    private Reset() {
    }

    static int run(Workshop.Invocation invocation) throws Exception {
        invocation.out().println("not built yet");
        return 1;
    }
}
