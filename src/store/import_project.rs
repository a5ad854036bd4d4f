//! Applying the project records of a workbook (`recette export workbook`): deliveries,
//! strategies and campaigns before everything else, planned tests once the test cases are in.
//! Upserts by reference, counted in the import's plan like every other sheet; a row naming
//! something unknown is an issue of that row.

use std::collections::BTreeMap;

use rusqlite::{params, OptionalExtension};
use serde_json::json;

use super::campaigns::{NewCampaign, NewDelivery};
use super::deliveries::DeliveryPatch;
use super::import::{issue, Applier};
use super::requirements::{check_ref, Change};
use super::{id_of, Tx};
use crate::error::Result;
use crate::import::records::{
    CampaignRecord, DecisionRecord, DeliveryRecord, Origin, PlannedRecord, ProjectRecord,
    SettingRecord, StrategyRecord,
};
use crate::model::Phase;
use crate::settings::Setting;

impl Tx<'_> {
    /// Deliveries, then strategies, then campaigns, then the decisions signed on them: what the
    /// rest of the import names.
    pub(super) fn apply_project_head(
        &mut self,
        ap: &mut Applier,
        records: &[ProjectRecord],
    ) -> Result<()> {
        for r in records {
            if let ProjectRecord::Setting(s) = r {
                self.apply_setting(ap, s)?;
            }
        }
        for r in records {
            if let ProjectRecord::Delivery(d) = r {
                self.apply_delivery(ap, d)?;
            }
        }
        for r in records {
            if let ProjectRecord::Strategy(s) = r {
                self.apply_strategy(ap, s)?;
            }
        }
        for r in records {
            if let ProjectRecord::Campaign(c) = r {
                self.apply_campaign(ap, c)?;
            }
        }
        for r in records {
            if let ProjectRecord::Decision(d) = r {
                self.apply_decision(ap, d)?;
            }
        }
        Ok(())
    }

    /// A project setting: written (and audited) when it differs.
    fn apply_setting(&mut self, ap: &mut Applier, s: &SettingRecord) -> Result<()> {
        if ap.is_bad(&s.origin) {
            ap.report.count(&s.origin, "settings", None);
            return Ok(());
        }
        let value = s.value.trim();
        if s.setting == Setting::DecisionDays && value.parse::<u32>().is_err() {
            ap.report.issues.push(issue(
                &s.origin,
                ap.lang,
                format!("decision_days « {value} » : attendu un nombre de jours"),
                format!("decision_days \"{value}\": expected a number of days"),
            ));
            ap.report.count(&s.origin, "settings", None);
            return Ok(());
        }
        let stored: Option<String> = self
            .conn()
            .prepare_cached("SELECT value FROM project WHERE key = ?1")?
            .query_row([s.setting.key()], |r| r.get(0))
            .optional()?;
        let stored = match (s.setting, stored) {
            (Setting::DecisionDays, None) => {
                Some(super::deliveries::DEFAULT_DECISION_DAYS.to_string())
            }
            (_, v) => v,
        };
        let change = if stored.as_deref().unwrap_or("") == value {
            Change::Unchanged
        } else {
            self.set_project_value(s.setting.key(), value)?;
            self.audit(
                "config",
                "projet",
                s.setting.key(),
                None,
                Some(json!({"value": value, "source": s.origin.to_string()})),
            )?;
            Change::Updated
        };
        ap.report.count(&s.origin, "settings", Some(change));
        Ok(())
    }

    fn apply_delivery(&mut self, ap: &mut Applier, d: &DeliveryRecord) -> Result<()> {
        if ap.is_bad(&d.origin) {
            ap.report.count(&d.origin, "deliveries", None);
            return Ok(());
        }
        check_ref(&d.reference, "livraison")?;
        let stored = self
            .conn()
            .prepare_cached(
                "SELECT version, vendor, lot, planned_date, delivered_date, notes
                 FROM delivery WHERE ref = ?1",
            )?
            .query_row([&d.reference], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })
            .optional()?;
        let change = match stored {
            None => {
                self.add_delivery(
                    &d.reference,
                    &NewDelivery {
                        version: d.version.clone().unwrap_or_default(),
                        vendor: d.vendor.clone().unwrap_or_default(),
                        lot: d.lot.clone().unwrap_or_default(),
                        planned_date: d.planned_date.clone(),
                        delivered_date: d.delivered_date.clone(),
                        notes: d.notes.clone().unwrap_or_default(),
                    },
                )?;
                Change::Created
            }
            Some((version, vendor, lot, planned, delivered, notes)) => {
                // Only what the sheet gives and differs is written.
                fn differs(new: &Option<String>, old: &str) -> Option<String> {
                    new.clone().filter(|n| n != old)
                }
                let patch = DeliveryPatch {
                    version: differs(&d.version, &version),
                    vendor: differs(&d.vendor, &vendor),
                    lot: differs(&d.lot, &lot),
                    planned_date: differs(&d.planned_date, planned.as_deref().unwrap_or("")),
                    delivered_date: differs(&d.delivered_date, delivered.as_deref().unwrap_or("")),
                    notes: differs(&d.notes, &notes),
                    ..DeliveryPatch::default()
                };
                let changed = [
                    &patch.version,
                    &patch.vendor,
                    &patch.lot,
                    &patch.planned_date,
                    &patch.delivered_date,
                    &patch.notes,
                ]
                .iter()
                .any(|p| p.is_some());
                if changed {
                    self.update_delivery(&d.reference, &patch)?;
                    Change::Updated
                } else {
                    Change::Unchanged
                }
            }
        };
        ap.report.count(&d.origin, "deliveries", Some(change));
        Ok(())
    }

    fn apply_strategy(&mut self, ap: &mut Applier, s: &StrategyRecord) -> Result<()> {
        if ap.is_bad_span(&s.origin, s.last_row) {
            ap.report.count(&s.origin, "strategies", None);
            return Ok(());
        }
        check_ref(&s.strategy.reference, "stratégie")?;
        let change = match super::strategy::load(self.conn(), &s.strategy.reference)? {
            Some(before) if before == s.strategy => Change::Unchanged,
            Some(_) => {
                self.import_strategy(&s.strategy)?;
                Change::Updated
            }
            None => {
                self.import_strategy(&s.strategy)?;
                Change::Created
            }
        };
        ap.report.count(&s.origin, "strategies", Some(change));
        Ok(())
    }

    fn apply_campaign(&mut self, ap: &mut Applier, c: &CampaignRecord) -> Result<()> {
        let mut problems = Vec::new();
        for (kind, r) in [
            (Unknown::Delivery, &c.delivery),
            (Unknown::Strategy, &c.strategy),
        ] {
            if let Some(r) = r {
                if !self.exists(kind.table(), r)? {
                    problems.push(kind.issue(&c.origin, ap.lang, r));
                }
            }
        }
        if !problems.is_empty() || ap.is_bad(&c.origin) {
            ap.report.issues.extend(problems);
            ap.report.count(&c.origin, "campaigns", None);
            return Ok(());
        }
        check_ref(&c.reference, "campagne")?;
        let stored = self
            .conn()
            .prepare_cached(
                "SELECT c.id, c.title, c.phase, d.ref, s.ref, c.start_date, c.end_date, c.state
                 FROM campaign c LEFT JOIN delivery d ON d.id = c.delivery_id
                 LEFT JOIN strategy s ON s.id = c.strategy_id WHERE c.ref = ?1",
            )?
            .query_row([&c.reference], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, String>(7)?,
                ))
            })
            .optional()?;
        let mut change = match &stored {
            None => {
                let phase = match (c.phase, &c.strategy) {
                    (Some(p), _) => p,
                    (None, Some(s)) => {
                        super::strategy::load(self.conn(), s)?.map_or(Phase::Vabf, |s| s.phase)
                    }
                    (None, None) => Phase::Vabf,
                };
                self.add_campaign(
                    &c.reference,
                    &NewCampaign {
                        title: c.title.clone().unwrap_or_else(|| c.reference.clone()),
                        delivery: c.delivery.clone(),
                        strategy: c.strategy.clone(),
                        phase,
                        start_date: c.start_date.clone(),
                        end_date: c.end_date.clone(),
                    },
                )?;
                Change::Created
            }
            Some((id, title, phase, delivery, strategy, start, end, _)) => {
                let differs = c.title.as_ref().is_some_and(|t| t != title)
                    || c.phase.is_some_and(|p| p.code() != phase)
                    || (c.delivery.is_some() && c.delivery != *delivery)
                    || (c.strategy.is_some() && c.strategy != *strategy)
                    || (c.start_date.is_some() && c.start_date != *start)
                    || (c.end_date.is_some() && c.end_date != *end);
                if differs {
                    let delivery_id = match &c.delivery {
                        Some(d) => Some(id_of(self.conn(), "delivery", "livraison", d)?),
                        None => None,
                    };
                    let strategy_id = match &c.strategy {
                        Some(s) => Some(id_of(self.conn(), "strategy", "stratégie", s)?),
                        None => None,
                    };
                    self.conn().execute(
                        "UPDATE campaign SET title = COALESCE(?2, title), phase = COALESCE(?3, phase),
                             delivery_id = COALESCE(?4, delivery_id),
                             strategy_id = COALESCE(?5, strategy_id),
                             start_date = COALESCE(?6, start_date), end_date = COALESCE(?7, end_date)
                         WHERE id = ?1",
                        params![
                            id,
                            c.title,
                            c.phase.map(Phase::code),
                            delivery_id,
                            strategy_id,
                            c.start_date,
                            c.end_date
                        ],
                    )?;
                    self.audit(
                        "update",
                        "campagne",
                        &c.reference,
                        None,
                        Some(
                            json!({"title": c.title, "phase": c.phase, "delivery": c.delivery,
                                    "strategy": c.strategy, "start_date": c.start_date,
                                    "end_date": c.end_date, "source": c.origin.to_string()}),
                        ),
                    )?;
                    Change::Updated
                } else {
                    Change::Unchanged
                }
            }
        };
        // A campaign started in the original store is started here too, on the day it was.
        let planned = stored.as_ref().is_none_or(|s| s.7 != "started");
        if let (Some(at), true) = (&c.started_at, planned) {
            let actor = self.actor().to_string();
            let checks = json!(c.start_checks.clone().unwrap_or_default());
            self.conn().execute(
                "UPDATE campaign SET state = 'started', started_at = ?2, started_by = ?3,
                     start_forced = ?4, start_checks = ?5,
                     start_date = COALESCE(start_date, substr(?2, 1, 10))
                 WHERE ref = ?1",
                params![c.reference, at, actor, c.forced, checks.to_string()],
            )?;
            self.audit(
                if c.forced { "start_forced" } else { "start" },
                "campagne",
                &c.reference,
                None,
                Some(json!({"forced": c.forced, "started_at": at, "source": c.origin.to_string()})),
            )?;
            if change == Change::Unchanged {
                change = Change::Updated;
            }
        }
        ap.report.count(&c.origin, "campaigns", Some(change));
        Ok(())
    }

    /// Plans the tests a plan sheet lists (after the test cases and their data sets are in):
    /// new items go at the end of their campaign, an item's assignee is set when the sheet
    /// names another one. One audit row per campaign.
    pub(super) fn apply_planned(
        &mut self,
        ap: &mut Applier,
        records: &[ProjectRecord],
    ) -> Result<()> {
        let mut added: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for r in records {
            let ProjectRecord::Planned(p) = r else {
                continue;
            };
            let outcome = self.apply_planned_one(ap, p)?;
            if let Some(change) = outcome {
                if change == Change::Created {
                    added
                        .entry(p.campaign.clone())
                        .or_default()
                        .push(crate::entities::item_label(&p.test, p.dataset.as_deref()));
                }
            }
        }
        for (campaign, items) in added {
            self.audit(
                "select",
                "campagne",
                &campaign,
                None,
                Some(json!({"added": items, "source": "import"})),
            )?;
        }
        Ok(())
    }

    fn apply_planned_one(&mut self, ap: &mut Applier, p: &PlannedRecord) -> Result<Option<Change>> {
        let campaign: Option<i64> = self
            .conn()
            .prepare_cached("SELECT id FROM campaign WHERE ref = ?1")?
            .query_row([&p.campaign], |r| r.get(0))
            .optional()?;
        let test: Option<i64> = self
            .conn()
            .prepare_cached("SELECT id FROM test_case WHERE ref = ?1")?
            .query_row([&p.test], |r| r.get(0))
            .optional()?;
        let dataset = p.dataset.clone().unwrap_or_default();
        let mut problems = Vec::new();
        if campaign.is_none() {
            problems.push(issue(
                &p.origin,
                ap.lang,
                format!("campagne inconnue {}", p.campaign),
                format!("unknown campaign {}", p.campaign),
            ));
        }
        if test.is_none() {
            problems.push(issue(
                &p.origin,
                ap.lang,
                format!("cas de test inconnu {}", p.test),
                format!("unknown test case {}", p.test),
            ));
        }
        if let (Some(t), false) = (test, dataset.is_empty()) {
            let known: bool = self
                .conn()
                .prepare_cached(
                    "SELECT EXISTS(SELECT 1 FROM test_dataset WHERE test_id = ?1 AND name = ?2)",
                )?
                .query_row(params![t, dataset], |r| r.get(0))?;
            if !known {
                problems.push(issue(
                    &p.origin,
                    ap.lang,
                    format!("{} n'a pas de jeu de données « {dataset} »", p.test),
                    format!("{} has no data set \"{dataset}\"", p.test),
                ));
            }
        }
        let (Some(cid), Some(tid), true) = (campaign, test, problems.is_empty()) else {
            ap.report.issues.extend(problems);
            ap.report.count(&p.origin, "planned_tests", None);
            return Ok(None);
        };
        if ap.is_bad(&p.origin) {
            ap.report.count(&p.origin, "planned_tests", None);
            return Ok(None);
        }
        let stored: Option<String> = self
            .conn()
            .prepare_cached(
                "SELECT assignee FROM campaign_test WHERE campaign_id = ?1 AND test_id = ?2 AND dataset = ?3",
            )?
            .query_row(params![cid, tid, dataset], |r| r.get(0))
            .optional()?;
        let assignee = p.assignee.clone().unwrap_or_default();
        let change = match stored {
            Some(a) if p.assignee.is_none() || a == assignee => Change::Unchanged,
            Some(_) => {
                self.conn()
                    .prepare_cached(
                        "UPDATE campaign_test SET assignee = ?4
                         WHERE campaign_id = ?1 AND test_id = ?2 AND dataset = ?3",
                    )?
                    .execute(params![cid, tid, dataset, assignee])?;
                self.audit(
                    "assign",
                    "campagne",
                    &p.campaign,
                    None,
                    Some(
                        json!({"item": crate::entities::item_label(&p.test, p.dataset.as_deref()),
                                "assignee": assignee, "source": p.origin.to_string()}),
                    ),
                )?;
                Change::Updated
            }
            None => {
                self.conn()
                    .prepare_cached(
                        "INSERT INTO campaign_test(campaign_id, test_id, dataset, position, assignee, reason)
                         VALUES (?1, ?2, ?3,
                                 (SELECT COALESCE(MAX(position), 0) + 1 FROM campaign_test WHERE campaign_id = ?1),
                                 ?4, ?5)",
                    )?
                    .execute(params![cid, tid, dataset, assignee, p.reason.clone().unwrap_or_default()])?;
                Change::Created
            }
        };
        ap.report.count(&p.origin, "planned_tests", Some(change));
        Ok(Some(change))
    }
}

/// What a campaign row may name that must exist.
#[derive(Clone, Copy)]
enum Unknown {
    Delivery,
    Strategy,
}

impl Unknown {
    fn table(self) -> &'static str {
        match self {
            Unknown::Delivery => "delivery",
            Unknown::Strategy => "strategy",
        }
    }

    fn issue(
        self,
        origin: &Origin,
        lang: crate::i18n::Lang,
        reference: &str,
    ) -> crate::import::records::ImportIssue {
        match self {
            Unknown::Delivery => issue(
                origin,
                lang,
                format!("livraison inconnue {reference}"),
                format!("unknown delivery {reference}"),
            ),
            Unknown::Strategy => issue(
                origin,
                lang,
                format!("stratégie inconnue {reference}"),
                format!("unknown strategy {reference}"),
            ),
        }
    }
}

impl Tx<'_> {
    /// Records a decision signed in another store, unless this store has that record already
    /// (a sign-off of its own, or the same decision imported before).
    pub(super) fn apply_decision(&mut self, ap: &mut Applier, d: &DecisionRecord) -> Result<()> {
        let cid: Option<i64> = self
            .conn()
            .prepare_cached("SELECT id FROM campaign WHERE ref = ?1")?
            .query_row([&d.campaign], |r| r.get(0))
            .optional()?;
        let Some(cid) = cid else {
            ap.report.issues.push(issue(
                &d.origin,
                ap.lang,
                format!("campagne inconnue {}", d.campaign),
                format!("unknown campaign {}", d.campaign),
            ));
            ap.report.count(&d.origin, "decisions", None);
            return Ok(());
        };
        if ap.is_bad(&d.origin) {
            ap.report.count(&d.origin, "decisions", None);
            return Ok(());
        }
        let own = self.signoffs_of_campaign(cid)? >= i64::from(d.number);
        let imported: bool = self
            .conn()
            .prepare_cached(
                "SELECT EXISTS(SELECT 1 FROM imported_decision WHERE campaign_id = ?1 AND number = ?2)",
            )?
            .query_row(params![cid, d.number], |r| r.get(0))?;
        if own || imported {
            ap.report
                .count(&d.origin, "decisions", Some(Change::Unchanged));
            return Ok(());
        }
        let now = self.now().to_string();
        self.conn()
            .prepare_cached(
                "INSERT INTO imported_decision(campaign_id, number, decision, signed_at, signatories,
                     files, source, imported_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
            )?
            .execute(params![
                cid,
                d.number,
                d.decision.code(),
                d.signed_at,
                d.signatories.join("\n"),
                d.files,
                d.origin.to_string(),
                now
            ])?;
        self.audit(
            "import_decision",
            "campagne",
            &d.campaign,
            None,
            Some(
                json!({"number": d.number, "decision": d.decision, "signed_at": d.signed_at,
                        "signatories": d.signatories, "source": d.origin.to_string()}),
            ),
        )?;
        ap.report
            .count(&d.origin, "decisions", Some(Change::Created));
        Ok(())
    }

    /// How many sign-offs of its own a campaign has.
    fn signoffs_of_campaign(&self, cid: i64) -> Result<i64> {
        Ok(self
            .conn()
            .prepare_cached("SELECT COUNT(*) FROM signoff WHERE campaign_id = ?1")?
            .query_row([cid], |r| r.get(0))?)
    }
}
