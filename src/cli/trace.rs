//! `recette trace`: requirement coverage and status over a campaign, a delivery or the latest
//! results.

use clap::Args;

use super::output::{json, Table};
use super::{Env, EXIT_OK};
use crate::error::Result;
use crate::i18n::percent;
use crate::model::Criticality;
use crate::trace::{ReqTraceStatus, Scope};

/// `recette trace`
#[derive(Debug, Args)]
pub struct TraceArgs {
    /// Sur une campagne (défaut : derniers résultats de toutes les campagnes)
    #[arg(long, conflicts_with = "delivery")]
    pub campaign: Option<String>,
    /// Sur toutes les campagnes d'une livraison
    #[arg(long)]
    pub delivery: Option<String>,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// Runs `recette trace`.
pub fn run(a: TraceArgs, env: &Env) -> Result<i32> {
    let lang = env.lang;
    let store = env.open()?;
    let scope = Scope::of(a.campaign, a.delivery);
    let trace = crate::ops::trace::trace(&store, &scope)?;
    if a.json {
        return json(&trace).map(|_| EXIT_OK);
    }
    let mut t = Table::new(&[
        env.t("Exigence", "Requirement"),
        env.t("Intitulé", "Title"),
        env.t("Criticité", "Criticality"),
        env.t("Catégorie", "Category"),
        env.t("Statut", "Status"),
        env.t("Cas de test", "Tests"),
    ]);
    for r in &trace.requirements {
        t.row(vec![
            if r.suspect {
                format!("{} ⚑", r.reference)
            } else {
                r.reference.clone()
            },
            r.title.clone(),
            r.criticality.label(lang).to_string(),
            r.category.clone(),
            r.status.label(lang).to_string(),
            r.tests
                .iter()
                .map(|x| {
                    format!(
                        "{}:{}{}",
                        x.display(),
                        x.status.label(lang),
                        if x.modified_since_run { " *" } else { "" }
                    )
                })
                .collect::<Vec<_>>()
                .join(", "),
        ]);
    }
    t.print(env.t("Aucune exigence.", "No requirement."));
    let s = &trace.summary;
    println!();
    let scope_text = match &scope {
        Scope::Campaign(c) => format!("{} {c}", env.t("campagne", "campaign")),
        Scope::Delivery(d) => format!("{} {d}", env.t("livraison", "delivery")),
        Scope::Latest => env
            .t(
                "derniers résultats de toutes les campagnes",
                "latest results of all campaigns",
            )
            .to_string(),
    };
    println!("{} : {scope_text}", env.t("Périmètre", "Scope"));
    println!(
        "{} {} ({} {}) — {} {} — {} {}",
        s.requirements,
        env.t("exigences actives", "active requirements"),
        s.obsolete,
        env.t("obsolètes exclues", "obsolete left out"),
        env.t("couverture", "coverage"),
        percent(lang, s.coverage_rate),
        env.t("conformes", "passed"),
        percent(lang, s.passed_rate),
    );
    println!(
        "{}",
        ReqTraceStatus::ALL
            .iter()
            .map(|st| format!(
                "{} {}",
                st.label(lang),
                s.by_status.get(st.code()).copied().unwrap_or(0)
            ))
            .collect::<Vec<_>>()
            .join(" · ")
    );
    if s.modified_tests > 0 {
        println!(
            "* {} {}",
            s.modified_tests,
            env.t(
                "cas de test modifié(s) depuis le résultat compté (nouvelle version à exécuter)",
                "test case(s) changed since the result counted (new version to run)"
            )
        );
    }
    if s.suspect_links > 0 {
        println!(
            "⚑ {} {}",
            s.suspect_links,
            env.t(
                "lien(s) suspect(s) : à revoir avec « recette link review »",
                "suspect link(s): review them with \"recette link review\""
            )
        );
    }
    println!();
    let mut t = Table::new(&[
        env.t("Criticité", "Criticality"),
        env.t("Exigences", "Requirements"),
        env.t("Couverture", "Coverage"),
        env.t("Conformes", "Passed"),
        env.t("À revérifier", "To recheck"),
        env.t("Non conformes", "Failed"),
        env.t("Bloquées", "Blocked"),
        env.t("Non vérifiées", "Not run"),
    ]);
    for c in Criticality::ALL {
        let r = s.by_criticality.get(c.code()).cloned().unwrap_or_default();
        t.row(vec![
            c.label(lang).to_string(),
            r.requirements.to_string(),
            percent(lang, r.coverage_rate),
            format!("{} ({})", r.passed, percent(lang, r.passed_rate)),
            r.to_recheck.to_string(),
            r.failed.to_string(),
            r.blocked.to_string(),
            r.not_run.to_string(),
        ]);
    }
    t.print("");
    Ok(EXIT_OK)
}
