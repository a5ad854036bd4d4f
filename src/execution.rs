//! The rules of one execution of a test (domain brief), in one place for the CLI, the imports
//! and the web workspace. No I/O.
//!
//! - A test's status follows from its steps when it has steps, in the order of requirements:
//!   a failed step makes it failed, else a blocked step makes it blocked, else all steps passed
//!   (N/A steps ignored) makes it passed; otherwise it is in progress ([`status_from_steps`]).
//! - A status given with step results may not hide what the steps found: a failed step only
//!   allows `failed`; a blocked step allows `failed` or `blocked` ([`check_status`]).
//! - Over a campaign, a test run with several data sets takes the worst of them: failed >
//!   blocked > not run (in progress counts as not run) > passed; N/A data sets are ignored
//!   ([`aggregate_datasets`]).
//! - An execution cannot be dated in the future ([`is_in_future`]).

use crate::i18n::Lang;
use crate::model::ExecStatus;

/// The status that follows from the results of every step of a test, in step order (a step
/// without result is `not_run`); `None` when the test has no steps.
pub fn status_from_steps(steps: &[ExecStatus]) -> Option<ExecStatus> {
    if steps.is_empty() {
        return None;
    }
    if steps.contains(&ExecStatus::Failed) {
        return Some(ExecStatus::Failed);
    }
    if steps.contains(&ExecStatus::Blocked) {
        return Some(ExecStatus::Blocked);
    }
    let considered: Vec<ExecStatus> = steps
        .iter()
        .copied()
        .filter(|s| *s != ExecStatus::NotApplicable)
        .collect();
    if considered.is_empty() {
        return Some(ExecStatus::NotApplicable);
    }
    if considered.iter().all(|s| *s == ExecStatus::Passed) {
        Some(ExecStatus::Passed)
    } else {
        Some(ExecStatus::InProgress)
    }
}

/// A status that contradicts the results of the steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusConflict {
    pub given: ExecStatus,
    /// The finding of the steps that the given status hides (`failed` or `blocked`).
    pub found: ExecStatus,
    /// The 1-based steps with that finding.
    pub steps: Vec<u32>,
    /// The statuses the steps allow.
    pub allowed: Vec<ExecStatus>,
}

impl StatusConflict {
    /// What is wrong, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let steps = self
            .steps
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let allowed = self
            .allowed
            .iter()
            .map(|s| s.label(lang))
            .collect::<Vec<_>>()
            .join(lang.pick(" ou ", " or "));
        match lang {
            Lang::Fr => format!(
                "statut « {} » contredit par les étapes : étape(s) {steps} « {} » ; statut possible : {allowed} (ou n'indiquez pas de statut, il découle des étapes)",
                self.given.label(lang),
                self.found.label(lang)
            ),
            Lang::En => format!(
                "status \"{}\" contradicts the steps: step(s) {steps} \"{}\"; possible status: {allowed} (or give no status, it follows from the steps)",
                self.given.label(lang),
                self.found.label(lang)
            ),
        }
    }
}

/// Checks that `given` does not hide a failed or blocked step; `steps` holds the result of
/// each step in order.
pub fn check_status(given: ExecStatus, steps: &[ExecStatus]) -> Result<(), StatusConflict> {
    let with = |s: ExecStatus| -> Vec<u32> {
        steps
            .iter()
            .enumerate()
            .filter(|(_, x)| **x == s)
            .map(|(i, _)| i as u32 + 1)
            .collect()
    };
    let failed = with(ExecStatus::Failed);
    if !failed.is_empty() && given != ExecStatus::Failed {
        return Err(StatusConflict {
            given,
            found: ExecStatus::Failed,
            steps: failed,
            allowed: vec![ExecStatus::Failed],
        });
    }
    let blocked = with(ExecStatus::Blocked);
    if !blocked.is_empty() && !matches!(given, ExecStatus::Failed | ExecStatus::Blocked) {
        return Err(StatusConflict {
            given,
            found: ExecStatus::Blocked,
            steps: blocked,
            allowed: vec![ExecStatus::Blocked, ExecStatus::Failed],
        });
    }
    Ok(())
}

/// The status of a test over a campaign from the latest status of each of its planned data
/// sets: failed > blocked > not run (and in progress) > passed; not applicable ones are
/// ignored, and only when all are the test is not applicable. No data set: not run.
pub fn aggregate_datasets(statuses: impl IntoIterator<Item = ExecStatus>) -> ExecStatus {
    let mut any = false;
    let (mut failed, mut blocked, mut not_run, mut passed) = (false, false, false, false);
    for s in statuses {
        any = true;
        match s {
            ExecStatus::Failed => failed = true,
            ExecStatus::Blocked => blocked = true,
            ExecStatus::NotRun | ExecStatus::InProgress => not_run = true,
            ExecStatus::Passed => passed = true,
            ExecStatus::NotApplicable => {}
        }
    }
    if failed {
        ExecStatus::Failed
    } else if blocked {
        ExecStatus::Blocked
    } else if not_run {
        ExecStatus::NotRun
    } else if passed {
        ExecStatus::Passed
    } else if any {
        ExecStatus::NotApplicable
    } else {
        ExecStatus::NotRun
    }
}

/// Hours a local date-time may be ahead of UTC (the furthest time zone is UTC+14): an
/// execution dated up to that far past `now` (UTC) is the present somewhere.
pub const MAX_CLOCK_AHEAD_HOURS: i64 = 14;

/// Whether an execution date (`YYYY-MM-DD` or a date-time, local time without zone, or UTC
/// with `Z`) is in the future of `now` (ISO 8601 UTC): later than `now` plus
/// [`MAX_CLOCK_AHEAD_HOURS`], a date alone counting from its start. Unreadable dates are not
/// judged here.
pub fn is_in_future(executed_at: &str, now: &str) -> bool {
    use chrono::{NaiveDate, NaiveDateTime};
    let parse = |s: &str| -> Option<NaiveDateTime> {
        let t = s.trim().trim_end_matches('Z');
        for f in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M"] {
            if let Ok(d) = NaiveDateTime::parse_from_str(t, f) {
                return Some(d);
            }
        }
        NaiveDate::parse_from_str(t.get(..10).unwrap_or(t), "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
    };
    match (parse(executed_at), parse(now)) {
        (Some(at), Some(now)) => at > now + chrono::Duration::hours(MAX_CLOCK_AHEAD_HOURS),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ExecStatus::*;

    #[test]
    fn status_follows_from_steps() {
        assert_eq!(status_from_steps(&[]), None);
        assert_eq!(status_from_steps(&[Passed, Blocked, Failed]), Some(Failed));
        assert_eq!(status_from_steps(&[Passed, Blocked, NotRun]), Some(Blocked));
        assert_eq!(
            status_from_steps(&[Passed, NotApplicable, Passed]),
            Some(Passed)
        );
        assert_eq!(status_from_steps(&[Passed, NotRun]), Some(InProgress));
        assert_eq!(status_from_steps(&[Passed, InProgress]), Some(InProgress));
        assert_eq!(status_from_steps(&[NotRun, NotRun]), Some(InProgress));
        assert_eq!(
            status_from_steps(&[NotApplicable, NotApplicable]),
            Some(NotApplicable)
        );
    }

    #[test]
    fn a_status_may_not_hide_a_finding() {
        let e = check_status(Passed, &[Passed, Failed, Failed]).unwrap_err();
        assert_eq!(e.steps, vec![2, 3]);
        assert_eq!(e.allowed, vec![Failed]);
        assert!(
            e.message(Lang::Fr).contains("étape(s) 2, 3"),
            "{}",
            e.message(Lang::Fr)
        );
        assert!(check_status(Blocked, &[Failed]).is_err());
        assert!(check_status(NotRun, &[Blocked]).is_err());
        assert!(check_status(Failed, &[Blocked]).is_ok());
        assert!(check_status(Blocked, &[Blocked, Passed]).is_ok());
        // A tester may judge a test failed although every step passed (a finding beside them).
        assert!(check_status(Failed, &[Passed, Passed]).is_ok());
        assert!(check_status(Passed, &[Passed, NotRun]).is_ok());
    }

    #[test]
    fn datasets_aggregate_worst_first() {
        assert_eq!(aggregate_datasets([Passed, Failed, Blocked]), Failed);
        assert_eq!(aggregate_datasets([Passed, Blocked, NotRun]), Blocked);
        assert_eq!(aggregate_datasets([Passed, InProgress]), NotRun);
        assert_eq!(aggregate_datasets([Passed, NotApplicable]), Passed);
        assert_eq!(aggregate_datasets([NotApplicable]), NotApplicable);
        assert_eq!(aggregate_datasets([]), NotRun);
    }

    #[test]
    fn future_dates() {
        let now = "2026-03-15T09:00:00Z";
        assert!(!is_in_future("2026-03-15", now));
        // New Caledonia (UTC+11) is already on the 15th at 21:00 local time.
        assert!(!is_in_future("2026-03-15T21:00:00", now));
        assert!(!is_in_future("2026-03-15T23:00:00", now));
        assert!(is_in_future("2026-03-16T00:00:00", now));
        assert!(is_in_future("2026-03-17", now));
        assert!(!is_in_future("n'importe quoi", now));
    }
}
