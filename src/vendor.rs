//! Vendor quality indicators, per delivery and over time: lateness, anomalies found and fixed,
//! reopen rate, first-time pass rate of retests, age of open anomalies, missing documents,
//! overdue reservations.

use serde::Serialize;
use std::collections::BTreeMap;

use crate::error::Result;
use crate::model::Severity;
use crate::store::Store;

/// Indicators of one delivery.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeliveryIndicators {
    #[serde(rename = "ref")]
    pub reference: String,
    pub version: String,
    pub vendor: String,
    pub planned_date: Option<String>,
    pub delivered_date: Option<String>,
    /// Delivered minus planned, in days (positive = late).
    pub days_late: Option<i64>,
    pub decision_deadline: Option<String>,
    /// Days left before the decision deadline at `today` (negative = passed).
    pub days_to_decision: Option<i64>,
    /// Anomalies found in this delivery, by severity code.
    pub anomalies_found: BTreeMap<String, usize>,
    /// Anomalies the delivery claims to fix.
    pub fixes_claimed: usize,
    /// Of those, confirmed closed by a retest.
    pub fixes_confirmed: usize,
    /// Of those, reopened at least once by a failed retest.
    pub fixes_reopened: usize,
    /// fixes_reopened / fixes retested (a percentage in JSON).
    #[serde(serialize_with = "crate::i18n::serialize_percent")]
    pub reopen_rate: Option<f64>,
    /// Fixes whose first retest passed / fixes retested (a percentage in JSON).
    #[serde(serialize_with = "crate::i18n::serialize_percent")]
    pub first_time_pass_rate: Option<f64>,
    /// Expected documents not received or refused.
    pub documents_missing: Vec<String>,
    /// Open reservations past their deadline.
    pub reservations_overdue: usize,
}

/// Indicators over every delivery, and the open anomalies' age.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VendorReport {
    pub today: String,
    pub deliveries: Vec<DeliveryIndicators>,
    /// Open anomalies by severity code.
    pub open_anomalies: BTreeMap<String, usize>,
    /// Age in days of open anomalies: average and oldest.
    pub open_anomaly_age_avg_days: Option<f64>,
    pub open_anomaly_age_max_days: Option<i64>,
    pub oldest_open_anomaly: Option<String>,
}

fn date(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

fn days_between(from: &str, to: &str) -> Option<i64> {
    Some((date(to)? - date(from)?).num_days())
}

/// Computes the vendor report. `today` is an ISO date (from the store clock).
pub fn vendor_report(store: &Store, today: &str) -> Result<VendorReport> {
    let anomalies = store.anomalies()?;
    let events = store.anomaly_events()?;
    let reservations = store.open_reservations()?;
    let zero: BTreeMap<String, usize> = Severity::ALL
        .iter()
        .map(|s| (s.code().to_string(), 0))
        .collect();
    let mut deliveries = Vec::new();
    for d in store.deliveries()? {
        let detail = store.delivery_detail(&d.reference)?;
        let mut found = zero.clone();
        for a in anomalies
            .iter()
            .filter(|a| a.found_in.as_deref() == Some(&d.reference))
        {
            *found.entry(a.severity.code().to_string()).or_default() += 1;
        }
        let mut retested = 0;
        let mut first_pass = 0;
        let mut reopened = 0;
        for f in &detail.fixes {
            let evs: Vec<_> = events
                .iter()
                .filter(|e| {
                    e.event.starts_with("retest_")
                        && e.anomaly == f.anomaly
                        && e.delivery.as_deref() == Some(&d.reference)
                })
                .collect();
            if let Some(first) = evs.first() {
                retested += 1;
                if first.event == "retest_passed" {
                    first_pass += 1;
                }
                if evs.iter().any(|e| e.event == "retest_failed") {
                    reopened += 1;
                }
            }
        }
        let ratio = |n: usize, den: usize| (den > 0).then(|| n as f64 / den as f64);
        deliveries.push(DeliveryIndicators {
            days_late: match (&d.planned_date, &d.delivered_date) {
                (Some(p), Some(a)) => days_between(p, a),
                _ => None,
            },
            days_to_decision: detail
                .decision_deadline
                .as_deref()
                .and_then(|dl| days_between(today, dl)),
            decision_deadline: detail.decision_deadline.clone(),
            anomalies_found: found,
            fixes_claimed: detail.fixes.len(),
            fixes_confirmed: detail
                .fixes
                .iter()
                .filter(|f| f.status == crate::model::AnomalyStatus::Close)
                .count(),
            fixes_reopened: reopened,
            reopen_rate: ratio(reopened, retested),
            first_time_pass_rate: ratio(first_pass, retested),
            documents_missing: detail
                .documents
                .iter()
                .filter(|x| x.state == "expected" || x.state == "refused")
                .map(|x| x.name.clone())
                .collect(),
            reservations_overdue: reservations
                .iter()
                .filter(|(_, deadline, dl)| {
                    dl.as_deref() == Some(&d.reference)
                        && deadline
                            .as_deref()
                            .is_some_and(|x| x.get(..10).unwrap_or(x) < today)
                })
                .count(),
            reference: d.reference,
            version: d.version,
            vendor: d.vendor,
            planned_date: d.planned_date,
            delivered_date: d.delivered_date,
        });
    }
    let mut open = zero;
    let mut ages: Vec<(i64, String)> = Vec::new();
    for a in anomalies.iter().filter(|a| a.status.is_open()) {
        *open.entry(a.severity.code().to_string()).or_default() += 1;
        if let Some(age) = days_between(&a.created_at, today) {
            ages.push((age, a.reference.clone()));
        }
    }
    let oldest = ages
        .iter()
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
        .cloned();
    Ok(VendorReport {
        today: today.to_string(),
        deliveries,
        open_anomalies: open,
        open_anomaly_age_avg_days: (!ages.is_empty())
            .then(|| ages.iter().map(|a| a.0 as f64).sum::<f64>() / ages.len() as f64),
        open_anomaly_age_max_days: oldest.as_ref().map(|o| o.0),
        oldest_open_anomaly: oldest.map(|o| o.1),
    })
}
