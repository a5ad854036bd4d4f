//! `recette verdict` (exit criteria and proposed decision), `recette gate` (CI exit code) and
//! `recette report` (the report set).

use std::path::PathBuf;

use clap::Args;

use super::output::{json, paint, Table, Tone};
use super::{Env, EXIT_OK, EXIT_REJECTED};
use crate::error::Result;
use crate::i18n::Lang;
use crate::model::Decision;
use crate::ops::verdict::{gate, write_reports, ReportOutcome, ReportRequest};
use crate::report::Format;
use crate::verdict::{criterion_name, format_measure, format_threshold, Evaluation, Verdict};

/// `recette verdict`
#[derive(Debug, Args)]
pub struct VerdictArgs {
    /// Campagne
    pub campaign: String,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// `recette gate`
#[derive(Debug, Args)]
pub struct GateArgs {
    /// Campagne
    pub campaign: String,
    /// Accepte aussi l'admission avec réserves (code 0)
    #[arg(long)]
    pub allow_reserves: bool,
}

/// `recette report`
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Campagne, ou « copil » pour le tableau de bord du comité de pilotage (toutes livraisons
    /// et campagnes : copil.html et copil.xlsx)
    pub campaign: String,
    /// Dossier de sortie
    #[arg(long)]
    pub out: PathBuf,
    /// Formats, séparés par des virgules : html, md, xlsx, pv, pdf (le bilan et le PV en PDF/A)
    #[arg(long, default_value = "html,md,xlsx,pv,pdf")]
    pub format: String,
    /// Dossier de modèles : un fichier du même nom (bilan.html, bilan.md, pv.html, style.css)
    /// remplace le modèle intégré
    #[arg(long)]
    pub templates: Option<PathBuf>,
}

/// Prints the criteria, the decision, its reasons and reservations.
pub fn print_verdict(v: &Verdict, lang: Lang) {
    let t = |fr, en| lang.pick(fr, en);
    if v.default_strategy {
        println!(
            "{}",
            t(
                "Stratégie : par défaut (la campagne n'en désigne aucune)",
                "Strategy: default (the campaign names none)"
            )
        );
    } else {
        println!("{} {}", t("Stratégie :", "Strategy:"), v.strategy);
    }
    let mut tab = Table::new(&[
        t("Critère", "Criterion"),
        t("Règle", "Rule"),
        t("Mesuré", "Measured"),
        t("Seuil", "Threshold"),
        t("Bloquant", "Blocking"),
        t("Résultat", "Result"),
    ]);
    for c in &v.criteria {
        tab.row(vec![
            criterion_name(&c.criterion, lang),
            c.criterion.rule(),
            format_measure(&c.criterion.indicator, c.measured, lang),
            format_threshold(&c.criterion, lang),
            if c.criterion.blocking {
                t("oui", "yes").into()
            } else {
                t("non", "no").into()
            },
            if c.met {
                paint(t("✓ atteint", "✓ met"), Tone::Good)
            } else if c.criterion.blocking {
                paint(t("✗ non atteint", "✗ unmet"), Tone::Bad)
            } else {
                paint(t("✗ non atteint", "✗ unmet"), Tone::Warn)
            },
        ]);
    }
    println!();
    tab.print(t("Aucun critère de sortie.", "No exit criterion."));
    println!();
    println!(
        "{} {}",
        t("Décision proposée :", "Proposed decision:"),
        paint(v.decision.label(lang), decision_tone(v.decision))
    );
    for r in &v.reasons {
        println!("  - {}", r.get(lang));
    }
    if !v.reservations.is_empty() {
        println!();
        println!("{}", t("Réserves proposées :", "Proposed reservations:"));
        for r in &v.reservations {
            println!(
                "  - {} ({} {})",
                r.description.get(lang),
                t("à lever avant le", "to lift by"),
                crate::report::view::fmt_date(lang, &r.deadline, false)
            );
        }
    }
}

/// Runs `recette verdict`.
pub fn run_verdict(a: VerdictArgs, env: &Env) -> Result<i32> {
    let store = env.open()?;
    let e = Evaluation::load(&store, &a.campaign)?;
    if a.json {
        return json(&e.verdict).map(|_| EXIT_OK);
    }
    println!(
        "{} {} — {}",
        env.t("Campagne", "Campaign"),
        e.campaign.reference,
        e.campaign.title
    );
    print_verdict(&e.verdict, env.lang);
    if let Some(signed) = crate::ops::signoff::signed_summary(&store, &a.campaign, env.lang)? {
        println!(
            "{} {signed} — {}",
            env.t("Déjà signée :", "Already signed:"),
            env.t(
                "un nouveau PV la remplacerait (recette signoff --supersede « motif »)",
                "a new record would replace it (recette signoff --supersede \"reason\")"
            )
        );
    }
    Ok(EXIT_OK)
}

/// Runs `recette gate`: 0 on admission (or reservations when allowed), 1 otherwise.
pub fn run_gate(a: GateArgs, env: &Env) -> Result<i32> {
    let store = env.open()?;
    let g = gate(&store, &a.campaign, a.allow_reserves)?;
    let (v, pass) = (&g.verdict, g.pass);
    let status = if pass {
        paint(env.t("PORTE FRANCHIE", "GATE PASSED"), Tone::Good)
    } else {
        paint(env.t("PORTE FERMÉE", "GATE FAILED"), Tone::Bad)
    };
    println!(
        "{status} — {} : {} ({})",
        a.campaign,
        v.decision.label(env.lang),
        v.decision.code()
    );
    for r in &v.reasons {
        println!("  - {}", r.get(env.lang));
    }
    for c in v.criteria.iter().filter(|c| !c.met) {
        println!(
            "  ✗ {} : {} {} {}",
            criterion_name(&c.criterion, env.lang),
            format_measure(&c.criterion.indicator, c.measured, env.lang),
            env.t("pour", "for"),
            format_threshold(&c.criterion, env.lang)
        );
    }
    if !pass && v.decision == Decision::Reserves {
        println!(
            "  {}",
            env.t(
                "(--allow-reserves accepte l'admission avec réserves)",
                "(--allow-reserves accepts acceptance with reservations)"
            )
        );
    }
    Ok(if pass { EXIT_OK } else { EXIT_REJECTED })
}

/// Runs `recette report`.
pub fn run_report(a: ReportArgs, env: &Env) -> Result<i32> {
    let store = env.open()?;
    let req = ReportRequest {
        formats: Format::parse_list(&a.format)?,
        campaign: a.campaign,
        out: a.out,
        templates: a.templates,
        lang: env.lang,
    };
    match write_reports(&store, &req)? {
        ReportOutcome::Copil {
            files,
            risks,
            decisions,
        } => {
            for f in &files {
                println!("{}", f.display());
            }
            println!(
                "{risks} {} ; {decisions} {}",
                env.t("risque(s) signalé(s)", "risk(s) flagged"),
                env.t("décision(s) signée(s)", "signed decision(s)")
            );
        }
        ReportOutcome::Campaign {
            files, decision, ..
        } => {
            for f in &files {
                println!("{}", f.display());
            }
            println!(
                "{} {}",
                env.t("Décision proposée :", "Proposed decision:"),
                decision.label(env.lang)
            );
        }
    }
    Ok(EXIT_OK)
}

/// The colour of a decision: admission green, with reservations yellow, the others red.
fn decision_tone(d: Decision) -> Tone {
    match d {
        Decision::Admission => Tone::Good,
        Decision::Reserves => Tone::Warn,
        _ => Tone::Bad,
    }
}
