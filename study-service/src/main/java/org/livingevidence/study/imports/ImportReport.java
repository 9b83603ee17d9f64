package org.livingevidence.study.imports;

import java.util.List;
import org.livingevidence.support.problems.Problem.FieldError;

/**
 * What an import did, row by row. Each row was stored on its own (or not at all): ACCEPTED rows are new records,
 * UNCHANGED rows were accepted by an earlier upload of the same row, REJECTED rows say why.
 */
public record ImportReport(int accepted, int unchanged, int rejected, List<RowResult> rows) {

    public enum RowStatus { ACCEPTED, UNCHANGED, REJECTED }

    public record RowResult(int row, RowStatus status, String recordId, List<FieldError> errors) {
    }

    static ImportReport of(List<RowResult> rows) {
        return new ImportReport(count(rows, RowStatus.ACCEPTED), count(rows, RowStatus.UNCHANGED), count(rows, RowStatus.REJECTED), rows);
    }

    private static int count(List<RowResult> rows, RowStatus status) {
        return (int) rows.stream().filter(r -> r.status() == status).count();
    }
}
