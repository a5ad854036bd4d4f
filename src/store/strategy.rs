//! Test strategies and their exit criteria.

use rusqlite::{params, OptionalExtension};
use serde_json::json;

use super::requirements::check_ref;
use super::{decode, id_of, Store, Tx};
use crate::error::{Error, Result};
use crate::model::Phase;
use crate::verdict::{Criterion, Operator, Strategy, DEFAULT_STRATEGY};

fn load(conn: &rusqlite::Connection, reference: &str) -> Result<Option<Strategy>> {
    let row = conn
        .prepare_cached(
            "SELECT id, ref, title, phase, scope, max_ajournements, reserve_days
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
                },
            ))
        })
        .optional()?;
    let Some((id, mut s)) = row else {
        return Ok(None);
    };
    s.criteria = conn
        .prepare_cached(
            "SELECT indicator, operator, threshold, blocking, label FROM exit_criterion
             WHERE strategy_id = ?1 ORDER BY position",
        )?
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
            "INSERT INTO strategy(ref, title, phase, scope, max_ajournements, reserve_days, created_at)
             VALUES (?1,?2,?3,?4,?5,?6,?7)",
            params![
                s.reference,
                s.title,
                s.phase.code(),
                s.scope,
                s.max_ajournements,
                s.reserve_days,
                self.now()
            ],
        )?;
        let id = self.conn().last_insert_rowid();
        for (i, c) in s.criteria.iter().enumerate() {
            insert_criterion(self, id, i as i64 + 1, c)?;
        }
        self.audit("create", "stratégie", &s.reference, None, Some(json!(s)))
    }

    /// Appends an exit criterion to a strategy.
    pub fn add_criterion(&mut self, strategy: &str, c: &Criterion) -> Result<()> {
        let id = id_of(self.conn(), "strategy", "stratégie", strategy)?;
        let position: i64 = self.conn().query_row(
            "SELECT COALESCE(MAX(position), 0) + 1 FROM exit_criterion WHERE strategy_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        insert_criterion(self, id, position, c)?;
        self.audit(
            "criterion",
            "stratégie",
            strategy,
            None,
            Some(json!({"position": position, "criterion": c})),
        )
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
            "UPDATE strategy SET title=?2, phase=?3, scope=?4, max_ajournements=?5, reserve_days=?6
             WHERE id=?1",
            params![
                id,
                s.title,
                s.phase.code(),
                s.scope,
                s.max_ajournements,
                s.reserve_days
            ],
        )?;
        self.conn()
            .execute("DELETE FROM exit_criterion WHERE strategy_id = ?1", [id])?;
        for (i, c) in s.criteria.iter().enumerate() {
            insert_criterion(self, id, i as i64 + 1, c)?;
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

fn insert_criterion(tx: &Tx<'_>, strategy_id: i64, position: i64, c: &Criterion) -> Result<()> {
    tx.conn().execute(
        "INSERT INTO exit_criterion(strategy_id, position, indicator, operator, threshold, blocking, label)
         VALUES (?1,?2,?3,?4,?5,?6,?7)",
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
