package org.livingevidence.metaanalysis.sensitivity;

import java.util.ArrayList;
import java.util.List;
import org.livingevidence.metaanalysis.pooling.RandomEffectsResult;
import org.livingevidence.metaanalysis.pooling.StudyEffect;

/** The analysis refitted without each study in turn (metafor's {@code leave1out}). */
public final class LeaveOneOut {

    /** The result without the study {@code omitted}. */
    public record Omission(String omitted, RandomEffectsResult result) {
    }

    private LeaveOneOut() {
    }

    /** Needs at least 2 studies. */
    public static List<Omission> run(List<StudyEffect> studies, Refit model) {
        if (studies.size() < 2) {
            throw new IllegalArgumentException("leave-one-out needs at least 2 studies, got " + studies.size());
        }
        List<Omission> omissions = new ArrayList<>(studies.size());
        for (int i = 0; i < studies.size(); i++) {
            List<StudyEffect> rest = new ArrayList<>(studies);
            StudyEffect omitted = rest.remove(i);
            omissions.add(new Omission(omitted.id(), model.fit(rest)));
        }
        return omissions;
    }
}
