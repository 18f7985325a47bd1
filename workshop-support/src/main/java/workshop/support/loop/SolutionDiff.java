package workshop.support.loop;

/** TODO: the {@code solutiondiff} command. */
final class SolutionDiff {

    private SolutionDiff() {
    }

    static int run(Workshop.Invocation invocation) throws Exception {
        invocation.out().println("not built yet");
        return 1;
    }
}
