package dev.mtp.ingest.application;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The order a batch is sent in: round r holds the r-th write of every session, in request order. A session's write is
 * sent only once the one before it was acknowledged (so a failed write stops the writes of its session behind it),
 * while the writes of different sessions in one round are sent together.
 */
final class BatchRounds {
    private BatchRounds() {}

    /** @return per round, the indexes into {@code sessionIds} of the writes sent in it */
    static List<List<Integer>> of(List<String> sessionIds) {
        Map<String, Integer> seen = new HashMap<>();
        List<List<Integer>> rounds = new ArrayList<>();
        for (int i = 0; i < sessionIds.size(); i++) {
            int round = seen.merge(sessionIds.get(i), 1, Integer::sum) - 1;
            if (round == rounds.size()) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(round).add(i);
        }
        return rounds;
    }
}
