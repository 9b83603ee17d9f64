package org.livingevidence.analysis.projections;

import java.util.Collection;
import java.util.Map;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.support.events.GroupCaughtUp;

/**
 * What was already published for questions this service holds no projection of: after a rebuild from the topics (an
 * empty database), a question's numbering and its shift baseline continue from its latest published estimate instead
 * of starting again at 1, which would reuse versions integrators have seen and the shift ids derived from them.
 */
public interface PublishedEstimates {

    /** The latest published estimate of each of {@code questionIds} that has one. */
    Map<String, PooledEstimateComputed> latest(Collection<String> questionIds);

    /**
     * Met once every estimate published before it was first asked is known here; until then {@link #latest} may
     * answer with an older estimate, or none. A new condition each call, to close when done with.
     */
    GroupCaughtUp caughtUp();
}
