package dev.surge.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell commands of one README section's {@code ```sh} blocks, as words the way {@code sh} splits them, so that
 * a test can carry out what the README tells a user to type. It knows what the README uses and no more: single and
 * double quotes, {@code \} line continuations, comments, {@code &} at the end, and a here-string
 * ({@code <<<'...'}), which becomes the command's input.
 */
record ReadmeCommands(List<Command> commands) {
    private static final Pattern SH = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);

    /** One command: its words, and the here-string given to it, or null. */
    record Command(List<String> words, String input) {
        String word(int i) {
            return i < words.size() ? words.get(i) : "";
        }

        /** The value after {@code option} (e.g. {@code -n}), or null. */
        String option(String... names) {
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
    static ReadmeCommands of(String readme, String heading) {
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
            for (String line : block.group(1).replace("\\\n", " ").split("\n")) {
                Command c = parse(line);
                if (!c.words().isEmpty()) {
                    commands.add(c);
                }
            }
        }
        return new ReadmeCommands(List.copyOf(commands));
    }

    static Command parse(String line) {
        List<String> words = new ArrayList<>();
        String input = null;
        StringBuilder word = null;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (word == null && c == '#') {
                break; // a comment: '#' where a word would start
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if (c == '\'' || c == '"') {
                int close = line.indexOf(c, i + 1);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed quote in: " + line);
                }
                word = word == null ? new StringBuilder() : word;
                word.append(line, i + 1, close);
                i = close;
            } else if (word == null && line.startsWith("<<<'", i)) {
                int close = line.indexOf('\'', i + 4);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed here-string in: " + line);
                }
                input = line.substring(i + 4, close);
                i = close;
            } else if (word == null && c == '&' && line.substring(i + 1).isBlank()) {
                break; // runs in the background: the command is the same
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return new Command(List.copyOf(words), input);
    }
}
