package workshop.support.loop;

/** TODO: the {@code hints} command. */
final class Hints {

    private Hints() {
    }

    static int run(Workshop.Invocation invocation) throws Exception {
        invocation.out().println("not built yet");
        return 1;
    }
}
