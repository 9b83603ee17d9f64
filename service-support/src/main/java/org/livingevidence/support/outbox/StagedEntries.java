package org.livingevidence.support.outbox;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The pending entries this instance staged and its relay has not yet seen retired, by lane, oldest staging first:
 * what a relay pass reads by id instead of scanning {@value Outbox#PENDING} (the embedded MongoDB server uses no index
 * for the lane reads, and scanned the whole backlog of an import on every pass). Only a hint: an id may name an entry
 * already retired or now in the other lane, and the relay looks each one up; entries staged elsewhere (another instance,
 * before a restart) and ids dropped beyond {@link #LIMIT} are found by the relay's periodic scan.
 */
final class StagedEntries {

    /** Ids kept per lane; beyond it new ones are dropped (and found by the next scan). */
    static final int LIMIT = 100_000;

    private final LinkedHashSet<String> interactive = new LinkedHashSet<>();
    private final LinkedHashSet<String> bulk = new LinkedHashSet<>();
    private boolean dropped;

    /**
     * An entry staged in {@code lane}. As in the entry itself, an interactive staging moves it to the interactive lane
     * and a bulk one leaves it where it waits.
     */
    synchronized void staged(String pendingId, Outbox.Lane lane) {
        if (lane == Outbox.Lane.INTERACTIVE) {
            bulk.remove(pendingId);
            add(interactive, pendingId);
        } else if (!interactive.contains(pendingId)) {
            add(bulk, pendingId);
        }
    }

    /**
     * Puts back an entry a pass read and did not retire, at the end of the lane it was found in, unless it was staged
     * again since (then that staging's lane holds).
     */
    synchronized void keep(String pendingId, boolean inBulkLane) {
        if (!interactive.contains(pendingId) && !bulk.contains(pendingId)) {
            add(inBulkLane ? bulk : interactive, pendingId);
        }
    }

    private void add(LinkedHashSet<String> lane, String pendingId) {
        if (!lane.contains(pendingId) && lane.size() >= LIMIT) {
            dropped = true;
            return;
        }
        lane.add(pendingId);
    }

    /** Takes up to {@code max} of the lane's oldest ids out of it (a pass puts back what it does not retire). */
    synchronized List<String> take(Outbox.Lane lane, int max) {
        List<String> taken = new ArrayList<>(Math.min(max, size(lane)));
        Iterator<String> ids = (lane == Outbox.Lane.INTERACTIVE ? interactive : bulk).iterator();
        while (taken.size() < max && ids.hasNext()) {
            taken.add(ids.next());
            ids.remove();
        }
        return taken;
    }

    /** Forgets every id (a relay that owns only some shards scans on every pass, and needs none). */
    synchronized void clear() {
        interactive.clear();
        bulk.clear();
    }

    /** Whether the id waits in either lane. */
    synchronized boolean knows(String pendingId) {
        return interactive.contains(pendingId) || bulk.contains(pendingId);
    }

    synchronized int size(Outbox.Lane lane) {
        return (lane == Outbox.Lane.INTERACTIVE ? interactive : bulk).size();
    }

    /** Whether ids were dropped since the last call: then only a scan finds them. */
    synchronized boolean droppedSinceAsked() {
        boolean was = dropped;
        dropped = false;
        return was;
    }
}
