//! `recette bench-gen` (hidden): builds a large synthetic store for benchmarks.

use clap::Args;

use super::{Env, EXIT_OK};
use crate::error::Result;
use crate::store::{BenchSizes, Store};

/// `recette bench-gen`
#[derive(Debug, Args)]
pub struct BenchGenArgs {
    /// Exigences
    #[arg(long, default_value_t = 10_000)]
    pub requirements: usize,
    /// Cas de test
    #[arg(long, default_value_t = 50_000)]
    pub tests: usize,
    /// Exécutions (réparties sur les campagnes)
    #[arg(long, default_value_t = 500_000)]
    pub executions: usize,
    /// Campagnes (chacune sélectionne tous les cas de test)
    #[arg(long, default_value_t = 5)]
    pub campaigns: usize,
    /// Anomalies
    #[arg(long, default_value_t = 2_000)]
    pub anomalies: usize,
    /// Étapes par cas de test
    #[arg(long, default_value_t = 2)]
    pub steps: usize,
}

/// Runs `recette bench-gen` on `--db` (which must not exist).
pub fn run(a: BenchGenArgs, env: &Env) -> Result<i32> {
    let started = std::time::Instant::now();
    let mut store = Store::init(&env.db, env.ctx.clone(), "Banc de performance")?;
    store.generate_bench(BenchSizes {
        requirements: a.requirements,
        tests: a.tests,
        executions: a.executions,
        campaigns: a.campaigns,
        anomalies: a.anomalies,
        steps: a.steps,
    })?;
    println!(
        "{} {} : {} {}, {} {}, {} {}, {} {} ({:.1} s)",
        env.t("Base de performance créée", "Benchmark store created"),
        env.db.display(),
        a.requirements,
        env.t("exigences", "requirements"),
        a.tests,
        env.t("cas de test", "tests"),
        a.executions,
        env.t("exécutions", "executions"),
        a.campaigns,
        env.t("campagnes", "campaigns"),
        started.elapsed().as_secs_f64()
    );
    Ok(EXIT_OK)
}
