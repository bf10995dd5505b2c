package dev.mtp.mongowriter.write;

import dev.mtp.runtime.consume.SourcedEvent;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a batch writes to session documents, by session id: the sessions-topic events folded into its fields, and its
 * share of the interaction and evaluation summaries. The lanes are open to the summary window, which puts in front of a
 * lane what it held back for that session.
 *
 * @param erasing sessions whose fold deletes them: their summaries are written after the deletion
 */
public record SessionWork(Map<String, List<SourcedEvent>> folds,
                          Map<String, List<LaneEvent>> interactionLanes, Map<String, List<LaneEvent>> evaluationLanes,
                          Set<String> erasing) {}
