package workshop.support.loop;

/** TODO: the {@code watch} command. */
final class Watch {

    private Watch() {
    }

    static int run(Workshop.Invocation invocation) throws Exception {
        invocation.out().println("not built yet");
        return 1;
    }
}
