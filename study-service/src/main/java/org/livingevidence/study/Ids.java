package org.livingevidence.study;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Short, unguessable, URL- and field-name-safe identifiers with a readable kind prefix. */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String newQuestionId() {
        return "q_" + random();
    }

    public static String newRecordId() {
        return "r_" + random();
    }

    public static String newStudyId() {
        return "s_" + random();
    }

    private static String random() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
