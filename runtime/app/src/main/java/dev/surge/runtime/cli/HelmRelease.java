package dev.surge.runtime.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code helm upgrade --install} of one function with the {@code helm/function} chart, as {@code surge deploy}'s
 * options describe it. Pure: the command line is built, quoted for a shell and checked here, never run.
 *
 * @param namespace   the release's namespace; null: helm's (the kube config's)
 * @param values      values files, in order ({@code -f}); later ones win, as with helm
 * @param image       the function's image ({@code function.image}), or null to take it from the values
 * @param sets        further {@code --set} values, {@code key=value}
 * @param kubeContext the kube config context, or null for the current one
 * @param waitFor     how long to wait for the Function to be Ready, or null not to wait. Not helm's {@code --wait}:
 *                    helm waits for Deployments and the like, and the chart makes a Function and Triggers, which
 *                    helm takes as ready at once; the operator makes the Deployment and sets the Function's Ready
 */
record HelmRelease(String function, String release, String namespace, String chart, List<String> values, String image,
        List<String> sets, String kubeContext, Duration waitFor) {
    /** A Kubernetes name (RFC 1123 label), as Functions and namespaces are named. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** Helm's rule for release names (at most 53 characters, as helm 3 checks). */
    private static final Pattern RELEASE = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=,@%+-]+");

    HelmRelease {
        values = List.copyOf(values);
        sets = List.copyOf(sets);
    }

    /**
     * What is wrong with the options, naming the option, or null when nothing is: the function and namespace must
     * be Kubernetes names, the release a helm release name, each {@code --set} a {@code key=value}.
     */
    String problem() {
        if (!DNS_LABEL.matcher(function).matches()) {
            return "'" + function + "' is not a function name: lower-case letters, digits and '-', at most 63,"
                    + " starting and ending with a letter or digit";
        }
        if (namespace != null && !DNS_LABEL.matcher(namespace).matches()) {
            return "--namespace '" + namespace + "' is not a namespace name: lower-case letters, digits and '-'";
        }
        if (release.length() > 53 || !RELEASE.matcher(release).matches()) {
            return "--release '" + release + "' is not a helm release name: lower-case letters, digits, '-' and '.',"
                    + " at most 53";
        }
        for (String s : sets) {
            if (s.indexOf('=') <= 0) {
                return "--set '" + s + "': write KEY=VALUE, e.g. --set function.scaling.maxReplicas=3";
            }
        }
        return null;
    }

    /** The arguments of the command, {@code helm} first. */
    List<String> command() {
        List<String> c = new ArrayList<>(List.of("helm", "upgrade", "--install", release, chart));
        if (namespace != null) {
            c.addAll(List.of("--namespace", namespace));
        }
        if (kubeContext != null) {
            c.addAll(List.of("--kube-context", kubeContext));
        }
        for (String v : values) {
            c.addAll(List.of("-f", v));
        }
        c.addAll(List.of("--set-string", "function.name=" + function));
        if (image != null) {
            c.addAll(List.of("--set-string", "function.image=" + image));
        }
        for (String s : sets) {
            c.addAll(List.of("--set", s));
        }
        return c;
    }

    /**
     * What waits for the Function to be Ready where helm is run by hand: {@code kubectl wait
     * --for=condition=Ready functions.surge.dev/<function>}; null without {@link #waitFor}.
     */
    List<String> waitCommand() {
        if (waitFor == null) {
            return null;
        }
        List<String> c = new ArrayList<>(List.of("kubectl", "wait", "--for=condition=Ready",
                "functions.surge.dev/" + function));
        if (namespace != null) {
            c.addAll(List.of("--namespace", namespace));
        }
        if (kubeContext != null) {
            c.addAll(List.of("--context", kubeContext));
        }
        c.add("--timeout=" + waitFor.toSeconds() + "s");
        return c;
    }

    /** The command as one line a POSIX shell runs as it is: arguments with other characters in single quotes. */
    static String shell(List<String> args) {
        StringBuilder s = new StringBuilder();
        for (String a : args) {
            if (!s.isEmpty()) {
                s.append(' ');
            }
            s.append(!a.isEmpty() && SAFE.matcher(a).matches() ? a : "'" + a.replace("'", "'\"'\"'") + "'");
        }
        return s.toString();
    }
}
