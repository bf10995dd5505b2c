package dev.mtp.ops;

import java.util.HashMap;
import java.util.Map;

/** A benchmark's {@code --name=value} arguments over its defaults; an unknown name is refused with the known ones. */
final class BenchArgs {
    private BenchArgs() {}

    static Map<String, String> parse(String[] args, Map<String, String> defaults) {
        Map<String, String> o = new HashMap<>(defaults);
        for (String a : args) {
            String[] kv = a.replaceFirst("^--", "").split("=", 2);
            if (kv.length != 2 || !o.containsKey(kv[0])) {
                throw new IllegalArgumentException("unknown argument " + a + "; known: "
                        + String.join(" ", defaults.keySet().stream().sorted().map(k -> "--" + k + "=").toList()));
            }
            o.put(kv[0], kv[1]);
        }
        return o;
    }
}
