package workshop.support.loop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A unified diff of two texts, line by line, as {@code diff -u} prints it: the lines both share come from their
 * longest common subsequence, found after the common head and tail are set aside (a learner's file and its reference
 * differ in a few places, so what is left is small). Line endings do not count: CRLF and LF lines are equal.
 */
final class UnifiedDiff {

    /** Above this many cells, the middle is not searched for common lines: all of it is shown as replaced. */
    private static final long MAX_CELLS = 4_000_000;

    private UnifiedDiff() {
    }

    /** One line of the diff: {@code ' '} both, {@code '-'} only in the old text, {@code '+'} only in the new one. */
    private record Edit(char kind, String line) {
    }

    /** The lines of a text, without their line endings; a final line ending does not start an empty line. */
    static List<String> lines(String text) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\\R", -1)));
        if (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        return lines;
    }

    /**
     * The diff from {@code from} to {@code to} with {@code context} lines of context around each change, headed by
     * {@code ---}/{@code +++} lines with the given names; empty when the lines are equal.
     */
    static String of(String fromName, List<String> from, String toName, List<String> to, int context) {
        List<Edit> edits = edits(from, to);
        StringBuilder out = new StringBuilder();
        int i = 0;
        int oldLine = 0; // lines of each text before edits[i]
        int newLine = 0;
        while (i < edits.size()) {
            if (edits.get(i).kind() == ' ') {
                oldLine++;
                newLine++;
                i++;
                continue;
            }
            // a hunk: from up to `context` equal lines before this change to `context` after the last change that
            // is at most 2 * context equal lines from the one before it
            int start = i;
            while (start > 0 && i - start < context && edits.get(start - 1).kind() == ' ') {
                start--;
            }
            int end = i;
            int equalRun = 0;
            for (int j = i; j < edits.size(); j++) {
                if (edits.get(j).kind() == ' ') {
                    equalRun++;
                    if (equalRun > 2 * context) {
                        break;
                    }
                } else {
                    equalRun = 0;
                    end = j;
                }
            }
            int stop = Math.min(edits.size(), end + 1 + context);
            int oldStart = oldLine - (i - start);
            int newStart = newLine - (i - start);
            int oldCount = 0;
            int newCount = 0;
            StringBuilder body = new StringBuilder();
            for (int j = start; j < stop; j++) {
                Edit edit = edits.get(j);
                oldCount += edit.kind() == '+' ? 0 : 1;
                newCount += edit.kind() == '-' ? 0 : 1;
                body.append(edit.kind()).append(edit.line()).append('\n');
            }
            if (out.isEmpty()) {
                out.append("--- ").append(fromName).append('\n').append("+++ ").append(toName).append('\n');
            }
            out.append("@@ -").append(range(oldStart, oldCount)).append(" +").append(range(newStart, newCount))
                    .append(" @@\n").append(body);
            for (int j = i; j < stop; j++) {
                oldLine += edits.get(j).kind() == '+' ? 0 : 1;
                newLine += edits.get(j).kind() == '-' ? 0 : 1;
            }
            i = stop;
        }
        return out.toString();
    }

    /** A hunk's range as {@code diff -u} writes it: {@code start,count}, the count left out when it is 1. */
    private static String range(int before, int count) {
        int start = count == 0 ? before : before + 1;
        return count == 1 ? Integer.toString(start) : start + "," + count;
    }

    private static List<Edit> edits(List<String> from, List<String> to) {
        int head = 0;
        while (head < from.size() && head < to.size() && from.get(head).equals(to.get(head))) {
            head++;
        }
        int tail = 0;
        while (tail < from.size() - head && tail < to.size() - head
                && from.get(from.size() - 1 - tail).equals(to.get(to.size() - 1 - tail))) {
            tail++;
        }
        List<Edit> edits = new ArrayList<>();
        from.subList(0, head).forEach(line -> edits.add(new Edit(' ', line)));
        middle(from.subList(head, from.size() - tail), to.subList(head, to.size() - tail), edits);
        from.subList(from.size() - tail, from.size()).forEach(line -> edits.add(new Edit(' ', line)));
        return edits;
    }

    /** The edits between two runs of lines, by their longest common subsequence. */
    private static void middle(List<String> a, List<String> b, List<Edit> edits) {
        int n = a.size();
        int m = b.size();
        if ((long) n * m > MAX_CELLS) {
            a.forEach(line -> edits.add(new Edit('-', line)));
            b.forEach(line -> edits.add(new Edit('+', line)));
            return;
        }
        int[][] common = new int[n + 1][m + 1]; // common[i][j]: the LCS length of a[i..] and b[j..]
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                common[i][j] = a.get(i).equals(b.get(j)) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                edits.add(new Edit(' ', a.get(i++)));
                j++;
            } else if (j < m && (i == n || common[i][j + 1] > common[i + 1][j])) {
                edits.add(new Edit('+', b.get(j++)));
            } else {
                edits.add(new Edit('-', a.get(i++)));
            }
        }
    }
}
