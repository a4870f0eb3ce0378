package dev.surge.kubetest;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell commands of one README section's {@code ```sh} blocks, as words the way {@code sh} splits them, so that
 * a test can carry out what the README tells a user to type. It knows what the README uses and no more: single and
 * double quotes, {@code \} line continuations, comments, {@code &} at the end, and a here-string
 * ({@code <<<'...'}), which becomes the command's input. (In this test-support module because the tests of
 * runtime/app and operator/e2e both walk through the README.)
 */
public record ReadmeCommands(List<Command> commands) {
    private static final Pattern SH = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);

    /** One command: its words, and the here-string given to it, or null. */
    public record Command(List<String> words, String input) {
        public String word(int i) {
            return i < words.size() ? words.get(i) : "";
        }

        /** The value after {@code option} (e.g. {@code -n}), or null. */
        public String option(String... names) {
            for (int i = 0; i < words.size() - 1; i++) {
                if (List.of(names).contains(words.get(i))) {
                    return words.get(i + 1);
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return String.join(" ", words);
        }
    }

    /** The commands of the section that starts with {@code heading} (a whole line, e.g. {@code ## Install ...}). */
    public static ReadmeCommands of(String readme, String heading) {
        int start = readme.indexOf("\n" + heading + "\n");
        if (start < 0) {
            throw new IllegalArgumentException("no section '" + heading + "' in the README");
        }
        int level = heading.indexOf(' ');
        int end = readme.length();
        Matcher next = Pattern.compile("\n#{1," + level + "} ").matcher(readme);
        if (next.find(start + heading.length() + 1)) {
            end = next.start();
        }
        List<Command> commands = new ArrayList<>();
        Matcher block = SH.matcher(readme.substring(start, end));
        while (block.find()) {
            commands.addAll(parse(block.group(1)));
        }
        return new ReadmeCommands(List.copyOf(commands));
    }

    /** The commands of a script: a line ends one unless the line ends in {@code \} or a quote is open. */
    public static List<Command> parse(String script) {
        List<Command> commands = new ArrayList<>();
        List<String> words = new ArrayList<>();
        String input = null;
        StringBuilder word = null;
        boolean comment = false;
        String text = script.replace("\\\n", " ") + "\n";
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                if (!words.isEmpty()) {
                    commands.add(new Command(List.copyOf(words), input));
                }
                words.clear();
                input = null;
                comment = false;
            } else if (comment) {
                continue;
            } else if (word == null && c == '#') {
                comment = true; // '#' where a word would start
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if (word == null && text.startsWith("<<<'", i)) {
                int close = closing(text, '\'', i + 4);
                input = text.substring(i + 4, close);
                i = close;
            } else if (c == '\'' || c == '"') {
                int close = closing(text, c, i + 1);
                word = word == null ? new StringBuilder() : word;
                word.append(text, i + 1, close);
                i = close;
            } else if (word == null && c == '&' && text.indexOf('\n', i) == i + 1 + countBlanks(text, i + 1)) {
                continue; // runs in the background: the command is the same
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        return commands;
    }

    private static int closing(String text, char quote, int from) {
        int close = text.indexOf(quote, from);
        if (close < 0) {
            throw new IllegalArgumentException("unclosed quote in: " + text.substring(from - 1));
        }
        return close;
    }

    private static int countBlanks(String text, int from) {
        int n = 0;
        while (from + n < text.length() && (text.charAt(from + n) == ' ' || text.charAt(from + n) == '\t')) {
            n++;
        }
        return n;
    }
}
