//! Test strategies and their exit criteria.

use rusqlite::{params, OptionalExtension};
use serde_json::json;

use super::requirements::check_ref;
use super::{decode, id_of, Store, Tx};
use crate::error::{Error, Result};
use crate::model::Phase;
use crate::verdict::{Criterion, Operator, Strategy, DEFAULT_STRATEGY};

/// Exit criteria (the verdict) or entry criteria (`campaign start`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Exit,
    Entry,
}

impl Kind {
    fn table(self) -> &'static str {
        match self {
            Kind::Exit => "exit_criterion",
            Kind::Entry => "entry_criterion",
        }
    }
}

fn load_criteria(conn: &rusqlite::Connection, id: i64, kind: Kind) -> Result<Vec<Criterion>> {
    let sql = format!(
        "SELECT indicator, operator, threshold, blocking, label FROM {}
         WHERE strategy_id = ?1 ORDER BY position",
        kind.table()
    );
    let out = conn
        .prepare_cached(&sql)?
        .query_map([id], |r| {
            Ok(Criterion {
                indicator: r.get(0)?,
                operator: decode(&r.get::<_, String>(1)?, Operator::parse)?,
                threshold: r.get(2)?,
                blocking: r.get(3)?,
                label: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(out)
}

/// Changes to one criterion; `None` leaves a part unchanged.
#[derive(Debug, Clone, Default)]
pub struct CriterionPatch {
    /// A new rule (indicator, operator, threshold), already parsed.
    pub rule: Option<Criterion>,
    pub blocking: Option<bool>,
    pub label: Option<String>,
}

pub(super) fn load(conn: &rusqlite::Connection, reference: &str) -> Result<Option<Strategy>> {
    let row = conn
        .prepare_cached(
            "SELECT id, ref, title, phase, scope, max_ajournements, reserve_days, smoke_tag
             FROM strategy WHERE ref = ?1",
        )?
        .query_row([reference], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                Strategy {
                    reference: r.get(1)?,
                    title: r.get(2)?,
                    phase: decode(&r.get::<_, String>(3)?, Phase::from_code)?,
                    scope: r.get(4)?,
                    max_ajournements: r.get(5)?,
                    reserve_days: r.get(6)?,
                    criteria: Vec::new(),
                    entry_criteria: Vec::new(),
                    smoke_tag: r.get(7)?,
                },
            ))
        })
        .optional()?;
    let Some((id, mut s)) = row else {
        return Ok(None);
    };
    s.criteria = load_criteria(conn, id, Kind::Exit)?;
    s.entry_criteria = load_criteria(conn, id, Kind::Entry)?;
    Ok(Some(s))
}

impl Store {
    /// One strategy with its criteria.
    pub fn strategy(&self, reference: &str) -> Result<Strategy> {
        load(self.conn(), reference)?.ok_or_else(|| Error::NotFound {
            kind: "stratégie",
            reference: reference.to_string(),
        })
    }

    /// Every strategy, by reference.
    pub fn strategies(&self) -> Result<Vec<Strategy>> {
        let refs: Vec<String> = self
            .conn()
            .prepare("SELECT ref FROM strategy ORDER BY ref")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for r in refs {
            out.extend(load(self.conn(), &r)?);
        }
        Ok(out)
    }

    /// The strategy of a campaign; the default strategy (and `true`) when it has none.
    pub fn campaign_strategy(&self, campaign: &str) -> Result<(Strategy, bool)> {
        let c = self.campaign(campaign)?;
        match c.strategy {
            Some(s) => Ok((self.strategy(&s)?, false)),
            None => Ok((Strategy::default_strategy(), true)),
        }
    }
}

impl Tx<'_> {
    /// Creates a strategy (its criteria included); the reference must be new.
    pub fn add_strategy(&mut self, s: &Strategy) -> Result<()> {
        check_ref(&s.reference, "stratégie")?;
        if s.reference == DEFAULT_STRATEGY {
            return Err(Error::input(
                format!("« {DEFAULT_STRATEGY} » est réservé à la stratégie par défaut"),
                format!("\"{DEFAULT_STRATEGY}\" is reserved for the default strategy"),
            ));
        }
        if load(self.conn(), &s.reference)?.is_some() {
            return Err(Error::Duplicate {
                kind: "stratégie",
                reference: s.reference.clone(),
            });
        }
        check_limits(s)?;
        self.conn().execute(
            "INSERT INTO strategy(ref, title, phase, scope, max_ajournements, reserve_days, created_at,
                 smoke_tag)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
            params![
                s.reference,
                s.title,
                s.phase.code(),
                s.scope,
                s.max_ajournements,
                s.reserve_days,
                self.now(),
                s.smoke_tag
            ],
        )?;
        let id = self.conn().last_insert_rowid();
        for (i, c) in s.criteria.iter().enumerate() {
            insert_criterion(self, Kind::Exit, id, i as i64 + 1, c)?;
        }
        for (i, c) in s.entry_criteria.iter().enumerate() {
            insert_criterion(self, Kind::Entry, id, i as i64 + 1, c)?;
        }
        self.audit("create", "stratégie", &s.reference, None, Some(json!(s)))
    }

    /// Appends an exit criterion to a strategy.
    pub fn add_criterion(&mut self, strategy: &str, c: &Criterion) -> Result<()> {
        self.add_criterion_of(strategy, Kind::Exit, c).map(|_| ())
    }

    /// Appends an exit or entry criterion to a strategy; returns its position (from 1).
    pub fn add_criterion_of(&mut self, strategy: &str, kind: Kind, c: &Criterion) -> Result<i64> {
        let id = id_of(self.conn(), "strategy", "stratégie", strategy)?;
        let sql = format!(
            "SELECT COALESCE(MAX(position), 0) + 1 FROM {} WHERE strategy_id = ?1",
            kind.table()
        );
        let position: i64 = self.conn().query_row(&sql, [id], |r| r.get(0))?;
        insert_criterion(self, kind, id, position, c)?;
        self.audit(
            "criterion",
            "stratégie",
            strategy,
            None,
            Some(json!({"kind": kind, "position": position, "criterion": c})),
        )?;
        Ok(position)
    }

    fn criterion_at(&self, strategy: &str, kind: Kind, position: i64) -> Result<(i64, Criterion)> {
        let id = id_of(self.conn(), "strategy", "stratégie", strategy)?;
        let list = load_criteria(self.conn(), id, kind)?;
        let n = list.len();
        let found = usize::try_from(position)
            .ok()
            .and_then(|p| p.checked_sub(1))
            .and_then(|i| list.into_iter().nth(i));
        found.map(|c| (id, c)).ok_or_else(|| {
            let (fr, en) = match kind {
                Kind::Exit => ("de sortie", "exit"),
                Kind::Entry => ("d'entrée", "entry"),
            };
            Error::input(
                format!("stratégie {strategy} : pas de critère {fr} n° {position} ({n} critère(s), numérotés à partir de 1 : recette strategy show {strategy})"),
                format!("strategy {strategy}: no {en} criterion #{position} ({n} criteria, numbered from 1: recette strategy show {strategy})"),
            )
        })
    }

    /// Changes one criterion (its rule, blocking, label) in place; returns it as changed.
    pub fn edit_criterion(
        &mut self,
        strategy: &str,
        kind: Kind,
        position: i64,
        patch: &CriterionPatch,
    ) -> Result<Criterion> {
        let (id, before) = self.criterion_at(strategy, kind, position)?;
        let mut after = before.clone();
        if let Some(r) = &patch.rule {
            after.indicator = r.indicator.clone();
            after.operator = r.operator;
            after.threshold = r.threshold;
        }
        if let Some(b) = patch.blocking {
            after.blocking = b;
        }
        if let Some(l) = &patch.label {
            after.label = l.trim().to_string();
        }
        if after == before {
            return Ok(after);
        }
        let sql = format!(
            "UPDATE {} SET indicator=?3, operator=?4, threshold=?5, blocking=?6, label=?7
             WHERE strategy_id=?1 AND position=?2",
            kind.table()
        );
        self.conn().execute(
            &sql,
            params![
                id,
                position,
                after.indicator,
                after.operator.code(),
                after.threshold,
                after.blocking,
                after.label
            ],
        )?;
        self.audit(
            "criterion_edit",
            "stratégie",
            strategy,
            Some(json!({"kind": kind, "position": position, "criterion": before})),
            Some(json!({"kind": kind, "position": position, "criterion": after})),
        )?;
        Ok(after)
    }

    /// Removes one criterion; the ones after it move up one position.
    pub fn remove_criterion(
        &mut self,
        strategy: &str,
        kind: Kind,
        position: i64,
    ) -> Result<Criterion> {
        let (id, before) = self.criterion_at(strategy, kind, position)?;
        let t = kind.table();
        self.conn().execute(
            &format!("DELETE FROM {t} WHERE strategy_id=?1 AND position=?2"),
            params![id, position],
        )?;
        // Two steps so that no position is ever held twice.
        self.conn().execute(
            &format!(
                "UPDATE {t} SET position = -(position - 1) WHERE strategy_id=?1 AND position > ?2"
            ),
            params![id, position],
        )?;
        self.conn().execute(
            &format!("UPDATE {t} SET position = -position WHERE strategy_id=?1 AND position < 0"),
            params![id],
        )?;
        self.audit(
            "criterion_rm",
            "stratégie",
            strategy,
            Some(json!({"kind": kind, "position": position, "criterion": before})),
            None,
        )?;
        Ok(before)
    }

    /// Creates a strategy, or replaces an existing one (fields and criteria). Returns `true`
    /// when it existed. Sign-offs keep their own snapshot, so they are not affected.
    pub fn import_strategy(&mut self, s: &Strategy) -> Result<bool> {
        let Some(before) = load(self.conn(), &s.reference)? else {
            self.add_strategy(s)?;
            return Ok(false);
        };
        check_limits(s)?;
        let id = id_of(self.conn(), "strategy", "stratégie", &s.reference)?;
        self.conn().execute(
            "UPDATE strategy SET title=?2, phase=?3, scope=?4, max_ajournements=?5, reserve_days=?6,
                 smoke_tag=?7
             WHERE id=?1",
            params![
                id,
                s.title,
                s.phase.code(),
                s.scope,
                s.max_ajournements,
                s.reserve_days,
                s.smoke_tag
            ],
        )?;
        self.conn()
            .execute("DELETE FROM exit_criterion WHERE strategy_id = ?1", [id])?;
        self.conn()
            .execute("DELETE FROM entry_criterion WHERE strategy_id = ?1", [id])?;
        for (i, c) in s.criteria.iter().enumerate() {
            insert_criterion(self, Kind::Exit, id, i as i64 + 1, c)?;
        }
        for (i, c) in s.entry_criteria.iter().enumerate() {
            insert_criterion(self, Kind::Entry, id, i as i64 + 1, c)?;
        }
        self.audit(
            "update",
            "stratégie",
            &s.reference,
            Some(json!(before)),
            Some(json!(s)),
        )?;
        Ok(true)
    }

    /// Attaches a strategy to a campaign.
    pub fn set_campaign_strategy(&mut self, campaign: &str, strategy: &str) -> Result<()> {
        let cid = id_of(self.conn(), "campaign", "campagne", campaign)?;
        let sid = id_of(self.conn(), "strategy", "stratégie", strategy)?;
        self.conn().execute(
            "UPDATE campaign SET strategy_id = ?2 WHERE id = ?1",
            params![cid, sid],
        )?;
        self.audit(
            "update",
            "campagne",
            campaign,
            None,
            Some(json!({"strategy": strategy})),
        )
    }
}

fn check_limits(s: &Strategy) -> Result<()> {
    if s.max_ajournements < 0 || s.reserve_days < 0 {
        return Err(Error::input(
            "le nombre d'ajournements et le délai de levée des réserves doivent être positifs",
            "the number of postponements and the reservation deadline must be positive",
        ));
    }
    Ok(())
}

fn insert_criterion(
    tx: &Tx<'_>,
    kind: Kind,
    strategy_id: i64,
    position: i64,
    c: &Criterion,
) -> Result<()> {
    let sql = format!(
        "INSERT INTO {}(strategy_id, position, indicator, operator, threshold, blocking, label)
         VALUES (?1,?2,?3,?4,?5,?6,?7)",
        kind.table()
    );
    tx.conn().execute(
        &sql,
        params![
            strategy_id,
            position,
            c.indicator,
            c.operator.code(),
            c.threshold,
            c.blocking,
            c.label
        ],
    )?;
    Ok(())
}

impl Store {
    /// The entry indicators of a campaign ([`entry_measures_on`]).
    pub fn entry_measures(
        &self,
        campaign: &str,
        smoke_tag: &str,
    ) -> Result<std::collections::BTreeMap<String, Option<f64>>> {
        entry_measures_on(self.conn(), campaign, smoke_tag)
    }
}

impl Tx<'_> {
    /// The entry indicators of a campaign, read inside the transaction.
    pub fn entry_measures(
        &self,
        campaign: &str,
        smoke_tag: &str,
    ) -> Result<std::collections::BTreeMap<String, Option<f64>>> {
        entry_measures_on(self.conn(), campaign, smoke_tag)
    }
}

/// The entry indicators of a campaign ([`crate::verdict::canonical_entry_indicator`]):
/// documents of its delivery not accepted, smoke tests (tagged `smoke_tag`) by their latest
/// result on its delivery, open anomalies found in another delivery and not claimed fixed by
/// this one (those are what the campaign retests).
fn entry_measures_on(
    conn: &rusqlite::Connection,
    campaign: &str,
    smoke_tag: &str,
) -> Result<std::collections::BTreeMap<String, Option<f64>>> {
    use crate::model::Severity;
    let cid = id_of(conn, "campaign", "campagne", campaign)?;
    let delivery: Option<i64> = conn.query_row(
        "SELECT delivery_id FROM campaign WHERE id = ?1",
        [cid],
        |r| r.get(0),
    )?;
    let mut m = std::collections::BTreeMap::new();
    let docs: i64 = conn.query_row(
        "SELECT COUNT(*) FROM delivery_document WHERE delivery_id IS ?1 AND state != 'accepted'",
        [delivery],
        |r| r.get(0),
    )?;
    m.insert("documents_not_accepted".to_string(), Some(docs as f64));
    // Each active smoke test: is its latest result on the delivery (any campaign of it,
    // or this campaign when it has no delivery) passed?
    let smoke: Vec<Option<String>> = conn
        .prepare(
            "SELECT (SELECT e.status FROM execution e JOIN campaign c ON c.id = e.campaign_id
                         WHERE e.test_id = t.id
                           AND (c.delivery_id = ?2 OR (?2 IS NULL AND c.id = ?3))
                         ORDER BY e.executed_at DESC, e.id DESC LIMIT 1)
                 FROM test_case t JOIN test_tag g ON g.test_id = t.id
                 WHERE t.active = 1 AND g.tag = ?1 ORDER BY t.ref",
        )?
        .query_map(params![smoke_tag, delivery, cid], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let passed = smoke
        .iter()
        .filter(|s| s.as_deref() == Some("passed"))
        .count();
    m.insert(
        "smoke_passed_rate".to_string(),
        Some(if smoke.is_empty() {
            100.0
        } else {
            passed as f64 * 100.0 / smoke.len() as f64
        }),
    );
    m.insert(
        "smoke_not_passed".to_string(),
        Some((smoke.len() - passed) as f64),
    );
    // Open anomalies found in another delivery (carried over to this one).
    let carried: Vec<String> = conn
        .prepare(
            "SELECT severity FROM anomaly
                 WHERE status NOT IN ('close', 'rejetee')
                   AND found_in_delivery_id IS NOT NULL AND found_in_delivery_id IS NOT ?1
                   AND (fixed_in_delivery_id IS NULL OR fixed_in_delivery_id IS NOT ?1)",
        )?
        .query_map([delivery], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    m.insert(
        "carried_open_anomalies".to_string(),
        Some(carried.len() as f64),
    );
    for s in Severity::ALL {
        let n = carried.iter().filter(|c| c.as_str() == s.code()).count();
        m.insert(format!("carried_open_{}", s.code()), Some(n as f64));
    }
    Ok(m)
}

impl Tx<'_> {
    /// Records the start of a campaign: state, when, by whom, whether entry criteria were
    /// overridden, and their measures (kept for the bilan). The start date is set to today
    /// when the campaign had none. Audited (`start`, with `forced`).
    pub fn start_campaign(
        &mut self,
        campaign: &str,
        forced: bool,
        checks: &serde_json::Value,
    ) -> Result<()> {
        let cid = id_of(self.conn(), "campaign", "campagne", campaign)?;
        let now = self.now().to_string();
        let actor = self.actor().to_string();
        let today = now.get(..10).unwrap_or(&now).to_string();
        self.conn().execute(
            "UPDATE campaign SET state = 'started', started_at = ?2, started_by = ?3,
                 start_forced = ?4, start_checks = ?5, start_date = COALESCE(start_date, ?6)
             WHERE id = ?1",
            params![cid, now, actor, forced, checks.to_string(), today],
        )?;
        self.audit(
            if forced { "start_forced" } else { "start" },
            "campagne",
            campaign,
            None,
            Some(json!({"forced": forced, "entry_criteria": checks})),
        )
    }
}
