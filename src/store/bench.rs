//! Synthetic data for benchmarks (`recette bench-gen`): one transaction, prepared statements,
//! deterministic pseudo-random content.

use rusqlite::params;

use super::Store;
use crate::error::Result;

/// Sizes of a generated project.
#[derive(Debug, Clone, Copy)]
pub struct BenchSizes {
    pub requirements: usize,
    pub tests: usize,
    pub executions: usize,
    pub campaigns: usize,
    pub anomalies: usize,
    /// Steps per test case.
    pub steps: usize,
}

/// A small deterministic generator (64-bit LCG).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const WORDS: &[&str] = &[
    "dossier",
    "véhicule",
    "usager",
    "paiement",
    "certificat",
    "agent",
    "contrôle",
    "cession",
    "titulaire",
    "export",
    "journal",
    "habilitation",
    "taxe",
    "rappel",
    "province",
    "barème",
];

fn sentence(rng: &mut Lcg, n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(WORDS[rng.below(WORDS.len() as u64) as usize]);
    }
    s
}

impl Store {
    /// Fills an empty store with a synthetic project: requirements (1 % obsolete, 2 % revised so
    /// their links are suspect), active test cases linked to them, one delivery, campaigns that
    /// each select every test, executions spread over the campaigns (earlier attempts failed,
    /// latest ones mostly passed) and anomalies linked to failed executions.
    pub fn generate_bench(&mut self, sizes: BenchSizes) -> Result<()> {
        let now = self.context().now();
        let mut rng = Lcg(42);
        let tx = self.conn_mut().transaction()?;
        {
            let mut req = tx.prepare(
                "INSERT INTO requirement(id, ref, title, description, criticality, category, status,
                     source, revision, content_hash, created_at, updated_at)
                 VALUES (?1,?2,?3,?4,?5,?6,?7,'bench',?8,?9,?10,?10)",
            )?;
            let mut rev = tx.prepare(
                "INSERT INTO requirement_revision(requirement_id, revision, title, description,
                     criticality, content_hash, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7)",
            )?;
            for i in 1..=sizes.requirements {
                let crit = match i % 10 {
                    0 | 1 => "critique",
                    2..=5 => "majeure",
                    _ => "mineure",
                };
                let status = if i % 100 == 7 { "obsolete" } else { "validee" };
                let revision = if i % 50 == 3 { 2 } else { 1 };
                let title = format!("Exigence {i} : {}", sentence(&mut rng, 5));
                let desc = format!("Le système doit {}.", sentence(&mut rng, 14));
                let hash = format!("{:064x}", i);
                req.execute(params![
                    i as i64,
                    format!("EXI-{i:05}"),
                    title,
                    desc,
                    crit,
                    format!("Lot {:02}", i % 12 + 1),
                    status,
                    revision,
                    hash,
                    now
                ])?;
                for r in 1..=revision {
                    rev.execute(params![i as i64, r, title, desc, crit, hash, now])?;
                }
            }
            let mut test = tx.prepare(
                "INSERT INTO test_case(id, ref, title, objective, kind, active, created_at, updated_at)
                 VALUES (?1,?2,?3,?4,?5,1,?6,?6)",
            )?;
            let mut step = tx.prepare(
                "INSERT INTO test_step(test_id, position, action, expected) VALUES (?1,?2,?3,?4)",
            )?;
            let mut link = tx.prepare(
                "INSERT OR IGNORE INTO link(requirement_id, test_id, requirement_revision, created_at)
                 VALUES (?1,?2,1,?3)",
            )?;
            for i in 1..=sizes.tests {
                test.execute(params![
                    i as i64,
                    format!("CT-{i:06}"),
                    format!("Cas de test {i} : {}", sentence(&mut rng, 4)),
                    sentence(&mut rng, 8),
                    if i % 4 == 0 { "automated" } else { "manual" },
                    now
                ])?;
                for p in 1..=sizes.steps {
                    step.execute(params![
                        i as i64,
                        p as i64,
                        sentence(&mut rng, 5),
                        sentence(&mut rng, 5)
                    ])?;
                }
                // Leave about 2 % of the requirements without tests.
                let r = (i - 1) % sizes.requirements.max(1) + 1;
                if r % 50 != 11 {
                    link.execute(params![r as i64, i as i64, now])?;
                }
                if i % 10 == 0 {
                    let r2 = rng.below(sizes.requirements as u64) + 1;
                    if r2 % 50 != 11 {
                        link.execute(params![r2 as i64, i as i64, now])?;
                    }
                }
            }
            tx.execute(
                "INSERT INTO delivery(id, ref, version, vendor, lot, created_at)
                 VALUES (1, 'LIV-BENCH', '1.0', 'Bench SARL', 'Lot unique', ?1)",
                [&now],
            )?;
            let mut anomaly = tx.prepare(
                "INSERT INTO anomaly(id, ref, title, severity, status, found_in_delivery_id, created_at, updated_at)
                 VALUES (?1,?2,?3,?4,?5,1,?6,?6)",
            )?;
            for i in 1..=sizes.anomalies {
                let sev = match i % 10 {
                    0 => "bloquante",
                    1..=3 => "majeure",
                    _ => "mineure",
                };
                let status = match i % 5 {
                    0 | 1 => "close",
                    2 => "corrigee",
                    _ => "ouverte",
                };
                anomaly.execute(params![
                    i as i64,
                    format!("FA-{i:05}"),
                    sentence(&mut rng, 7),
                    sev,
                    status,
                    now
                ])?;
            }
            let mut campaign = tx.prepare(
                "INSERT INTO campaign(id, ref, title, delivery_id, phase, start_date, end_date, created_at)
                 VALUES (?1,?2,?3,1,'vabf','2026-03-01','2026-03-31',?4)",
            )?;
            let mut select = tx.prepare(
                "INSERT INTO campaign_test(campaign_id, test_id, position) VALUES (?1,?2,?3)",
            )?;
            let mut exec = tx.prepare(
                "INSERT INTO execution(campaign_id, test_id, attempt, status, tester, executed_at)
                 VALUES (?1,?2,?3,?4,?5,?6)",
            )?;
            let mut exec_anomaly = tx.prepare(
                "INSERT OR IGNORE INTO execution_anomaly(execution_id, anomaly_id) VALUES (?1,?2)",
            )?;
            let campaigns = sizes.campaigns.max(1);
            let per_campaign = sizes.executions / campaigns;
            let mut exec_id: i64 = 0;
            for c in 1..=campaigns {
                campaign.execute(params![
                    c as i64,
                    format!("C-{c}"),
                    format!("Campagne de performance {c}"),
                    now
                ])?;
                for t in 1..=sizes.tests {
                    select.execute(params![c as i64, t as i64, t as i64])?;
                }
                let tests = sizes.tests.max(1);
                let attempts = per_campaign.div_ceil(tests).max(1);
                let mut left = per_campaign;
                for t in 1..=sizes.tests {
                    if left == 0 {
                        break;
                    }
                    let n = attempts.min(left);
                    left -= n;
                    for a in 1..=n {
                        let last = a == n;
                        let status = if !last {
                            "failed"
                        } else {
                            match rng.below(100) {
                                0..=84 => "passed",
                                85..=90 => "failed",
                                91..=93 => "blocked",
                                94..=96 => "not_run",
                                97..=98 => "not_applicable",
                                _ => "in_progress",
                            }
                        };
                        exec_id += 1;
                        exec.execute(params![
                            c as i64,
                            t as i64,
                            a as i64,
                            status,
                            format!("Testeur {}", t % 7),
                            format!(
                                "2026-03-{:02}T{:02}:{:02}:00",
                                (t * 31 / tests.max(1)) % 28 + 1,
                                8 + a % 10,
                                t % 60
                            )
                        ])?;
                        if status == "failed" && sizes.anomalies > 0 {
                            let an = (t % sizes.anomalies) + 1;
                            exec_anomaly.execute(params![exec_id, an as i64])?;
                        }
                    }
                }
            }
        }
        tx.commit()?;
        Ok(())
    }
}
