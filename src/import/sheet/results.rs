//! Rows to [`ResultRecord`]s: one row per test, or one row per step.
//!
//! When the sheet has a step number column, the rows of one test (its reference repeated or
//! left blank below the first row, and the same data set) are grouped; the status on a step
//! row is that step's status and the test status follows from its steps by the domain's rule
//! (`crate::execution::status_from_steps`, applied when recorded), unless a row without step
//! number (or a separate step status column) gives the test status explicitly. A test whose
//! rows carry no status at all has not been run and yields no record: offline sheets are
//! exported blank.

use super::cells::{tr, SheetCtx};
use super::grid::Row;
use super::mapping::Field;
use crate::import::records::{Origin, RecordSink, ResultRecord, StepResultRecord};
use crate::model::ExecStatus;

/// The rows of one test being gathered.
struct Group {
    origin: Origin,
    test_ref: String,
    campaign: Option<String>,
    dataset: Option<String>,
    assignee: Option<String>,
    status: Option<ExecStatus>,
    steps: Vec<StepResultRecord>,
    step_rows: u32,
    tester: Option<String>,
    executed_at: Option<String>,
    comments: Vec<String>,
    anomalies: Vec<String>,
    base_attempt: Option<u32>,
    attempt: Option<u32>,
}

impl Group {
    fn finish(self) -> Option<ResultRecord> {
        // No status and no step status: not run, nothing to record.
        if self.status.is_none() && self.steps.is_empty() {
            return None;
        }
        let status = self.status;
        Some(ResultRecord {
            origin: self.origin,
            test_ref: self.test_ref,
            dataset: self.dataset,
            assignee: self.assignee,
            status,
            step_results: self.steps,
            tester: self.tester,
            executed_at: self.executed_at,
            comment: (!self.comments.is_empty()).then(|| self.comments.join("\n")),
            anomaly_refs: self.anomalies,
            campaign_ref: self.campaign,
            base_attempt: self.base_attempt,
            attempt: self.attempt,
        })
    }
}

/// Reads a results sheet.
pub(crate) fn read_results(
    ctx: &mut SheetCtx,
    rows: &mut dyn Iterator<Item = Row>,
    batch: &mut dyn RecordSink,
) -> u64 {
    let separate_step_status = ctx.has(Field::StepStatus);
    let per_step = ctx.has(Field::StepNumber) || separate_step_status;
    let mut current: Option<Group> = None;
    let mut n = 0;
    for row in rows {
        n += 1;
        if !ctx.has_data(&row) {
            continue;
        }
        let test_ref = ctx.string(&row, Field::TestRef);
        let campaign = ctx.string(&row, Field::Campaign);
        let dataset = ctx.string(&row, Field::Dataset);
        // Every attempt of a test in a project workbook is a group of its own.
        let attempt = ctx.number(&row, Field::Attempt);
        let same = match (&test_ref, &current) {
            (None, Some(_)) => per_step,
            (Some(t), Some(g)) => {
                per_step
                    && *t == g.test_ref
                    && (campaign.is_none() || campaign == g.campaign)
                    && (dataset.is_none() || dataset == g.dataset)
                    && (attempt.is_none() || attempt == g.attempt)
            }
            _ => false,
        };
        if !same {
            let Some(test_ref) = test_ref else {
                let msg = if per_step && current.is_none() {
                    tr!(
                        ctx.lang,
                        "étape sans cas de test au-dessus",
                        "step without a test case above"
                    )
                } else {
                    tr!(
                        ctx.lang,
                        "ligne sans référence de cas de test",
                        "row without a test case reference"
                    )
                };
                ctx.issue(row.number, Some(Field::TestRef), msg);
                continue;
            };
            if let Some(r) = current.take().and_then(Group::finish) {
                batch.result(r);
            }
            current = Some(Group {
                origin: ctx.at(row.number, None),
                test_ref,
                campaign,
                dataset,
                assignee: None,
                status: None,
                steps: Vec::new(),
                step_rows: 0,
                tester: None,
                executed_at: None,
                comments: Vec::new(),
                anomalies: Vec::new(),
                base_attempt: None,
                attempt,
            });
        }
        if let Some(g) = current.as_mut() {
            add_row(ctx, g, &row, per_step, separate_step_status);
        }
    }
    if let Some(r) = current.and_then(Group::finish) {
        batch.result(r);
    }
    n
}

/// Adds one row's statuses, comment, anomalies and execution details to its test.
fn add_row(
    ctx: &mut SheetCtx,
    g: &mut Group,
    row: &Row,
    per_step: bool,
    separate_step_status: bool,
) {
    let step_no = ctx.number(row, Field::StepNumber);
    let is_step_row = per_step
        && (step_no.is_some()
            || (separate_step_status && ctx.text(row, Field::StepStatus).is_some()));
    let status = ctx.word::<ExecStatus>(row, Field::Status);
    let step_status = if separate_step_status {
        ctx.word::<ExecStatus>(row, Field::StepStatus)
    } else if is_step_row {
        status
    } else {
        None
    };
    let mut step_label = None;
    let actual = ctx.string(row, Field::Actual);
    let mut actual_kept = false;
    if is_step_row {
        g.step_rows += 1;
        let no = step_no.unwrap_or(g.step_rows);
        step_label = Some(no);
        if let Some(s) = step_status {
            actual_kept = true;
            g.steps.push(StepResultRecord {
                step: no,
                status: s,
                actual: actual.clone().unwrap_or_default(),
            });
        }
    }
    if g.assignee.is_none() {
        g.assignee = ctx.string(row, Field::Assignee);
    }
    if (!is_step_row || separate_step_status) && g.status.is_none() {
        g.status = status;
    }
    if g.tester.is_none() {
        g.tester = ctx.string(row, Field::Tester);
    }
    if g.executed_at.is_none() {
        g.executed_at = ctx.date(row, Field::ExecutedAt);
    }
    if g.base_attempt.is_none() {
        g.base_attempt = ctx.number(row, Field::BaseAttempt);
    }
    // An actual result without a step status (or on the test's row) is kept in the comment.
    let texts = [
        ctx.string(row, Field::Comment),
        actual.filter(|_| !actual_kept),
    ];
    for c in texts.into_iter().flatten() {
        g.comments.push(match step_label {
            Some(no) => tr!(ctx.lang, "Étape {} : {}", "Step {}: {}", no, c),
            None => c,
        });
    }
    for a in ctx.list(row, Field::AnomalyRefs) {
        if !g.anomalies.contains(&a) {
            g.anomalies.push(a);
        }
    }
}
