//! The steering-committee (COPIL) dashboard: one self-contained HTML page and a workbook with
//! the same figures and native charts, over every delivery and campaign — progress, quality
//! trends, risks and the decisions taken.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{
    Chart, ChartFormat, ChartSolidFill, ChartType, Format as XFormat, FormatBorder, Workbook,
    Worksheet,
};
use serde::Serialize;

use super::charts::esc;
use super::render::Renderer;
use super::view::fmt_date;
use super::xlsx::{put_text, put_value};
use crate::error::{Error, Result};
use crate::i18n::{percent, Lang};
use crate::model::Severity;
use crate::store::Store;
use crate::trace::{compute, Scope};
use crate::vendor::{vendor_report, VendorReport};
use crate::verdict::Evaluation;

/// A decision deadline this close (in days) or passed, with no sign-off, is a risk.
pub const DEADLINE_WARNING_DAYS: i64 = 10;

/// One campaign's line on the dashboard.
#[derive(Debug, Clone, Serialize)]
pub struct CampaignLine {
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub phase: String,
    pub delivery: String,
    pub period: String,
    pub tests: usize,
    #[serde(serialize_with = "crate::i18n::serialize_percent")]
    pub execution_rate: Option<f64>,
    #[serde(serialize_with = "crate::i18n::serialize_percent")]
    pub pass_rate: Option<f64>,
    pub execution_rate_text: String,
    pub pass_rate_text: String,
    pub proposed: String,
    pub proposed_code: String,
    pub signed: String,
    pub signed_code: String,
    /// Progress per assigned tester (empty when nobody is assigned).
    pub testers: Vec<TesterLine>,
}

/// One tester's progress in a campaign.
#[derive(Debug, Clone, Serialize)]
pub struct TesterLine {
    pub assignee: String,
    pub planned: usize,
    pub executed: usize,
    pub passed: usize,
    pub failed: usize,
    pub blocked: usize,
    pub remaining: usize,
}

/// One delivery's line.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryLine {
    #[serde(rename = "ref")]
    pub reference: String,
    pub version: String,
    pub planned: String,
    pub delivered: String,
    pub days_late: String,
    pub deadline: String,
    pub deadline_state: String,
    pub found: [usize; 3],
    pub fixes_claimed: usize,
    pub fixes_confirmed: usize,
    pub reopen_rate: String,
    pub first_time_pass: String,
    pub documents_missing: String,
}

/// A risk for the committee.
#[derive(Debug, Clone, Serialize)]
pub struct Risk {
    /// `blocking_anomaly`, `overdue_reservation`, `decision_deadline`, `missing_document`.
    pub kind: String,
    pub label: String,
    pub detail: String,
    pub level: String,
}

/// A decision taken (sign-off).
#[derive(Debug, Clone, Serialize)]
pub struct DecisionLine {
    pub campaign: String,
    pub decision: String,
    pub code: String,
    pub date: String,
    pub signatories: String,
    pub reservations: usize,
}

/// Everything the dashboard shows.
#[derive(Debug, Clone, Serialize)]
pub struct Copil {
    pub lang: String,
    pub project: String,
    pub issued_on: String,
    pub requirements: usize,
    pub coverage_rate: String,
    pub passed_rate: String,
    pub open: [usize; 3],
    pub open_total: usize,
    pub reservations_open: usize,
    pub reservations_overdue: usize,
    pub campaigns: Vec<CampaignLine>,
    pub deliveries: Vec<DeliveryLine>,
    pub risks: Vec<Risk>,
    pub decisions: Vec<DecisionLine>,
    pub chart_campaigns: String,
    pub chart_anomalies: String,
    /// Open anomalies by age (days since found), by severity.
    pub chart_ages: String,
    pub t: serde_json::Value,
    #[serde(skip)]
    pub vendor: Option<VendorReport>,
}

fn labels(lang: Lang) -> serde_json::Value {
    let l = |fr: &str, en: &str| lang.pick(fr, en).to_string();
    let mut v = serde_json::json!({
        "title": l("Tableau de bord du comité de pilotage", "Steering committee dashboard"),
        "subtitle": l("Suivi de la recette et du prestataire", "Acceptance and vendor follow-up"),
        "edited_on": l("Édité le", "Issued on"),
        "requirements": l("Exigences", "Requirements"),
        "coverage": l("Couverture", "Coverage"),
        "passed": l("Exigences conformes", "Requirements passed"),
        "open_anomalies": l("Anomalies ouvertes", "Open anomalies"),
        "reservations": l("Réserves ouvertes", "Open reservations"),
        "overdue": l("en retard", "overdue"),
        "progress": l("Avancement des campagnes", "Campaign progress"),
        "campaign": l("Campagne", "Campaign"),
        "phase": l("Phase", "Phase"),
        "delivery": l("Livraison", "Delivery"),
        "period": l("Période", "Period"),
        "tests": l("Tests", "Tests"),
        "execution": l("Exécution", "Executed"),
        "pass": l("Réussite", "Passed"),
        "proposed": l("Décision proposée", "Proposed decision"),
        "signed": l("Décision signée", "Signed decision"),
        "quality": l("Tendances qualité", "Quality trends"),
        "vendor": l("Livraisons du prestataire", "Vendor deliveries"),
        "version": l("Version", "Version"),
        "planned": l("Prévue", "Planned"),
        "delivered": l("Livrée", "Delivered"),
        "late": l("Retard (j)", "Late (days)"),
        "deadline": l("Décision avant", "Decide by"),
        "found": l("FA trouvées B/M/m", "Found B/M/m"),
        "fixes": l("Corrections annoncées / confirmées", "Fixes claimed / confirmed"),
        "reopen": l("Réouverture", "Reopen rate"),
        "first_pass": l("Retest OK 1er coup", "First-time pass"),
        "missing_docs": l("Documents manquants", "Missing documents"),
        "latest_result": l("dernier résultat de chaque test", "latest result of each test"),
        "risks": l("Risques", "Risks"),
        "no_risk": l("Aucun risque signalé.", "No risk flagged."),
        "decisions": l("Décisions prises", "Decisions taken"),
        "no_decision": l("Aucune décision signée.", "No signed decision."),
        "date": l("Date", "Date"),
        "signatories": l("Signataires", "Signatories"),
        "reservations_n": l("Réserves", "Reservations"),
        "none": "—",
        "tacit": l("Au-delà de l'échéance de décision, l'admission est tacite (CCAG-TIC).", "After the decision deadline, acceptance is tacit (CCAG-TIC)."),
    });
    // Per-tester progress (beside the rest: one json! of that size reaches the macro limit).
    for (key, fr, en) in [
        ("by_tester", "Avancement par testeur", "Progress per tester"),
        ("assignee", "Testeur attribué", "Assigned tester"),
        ("executed", "Exécutés", "Executed"),
        ("passed_tests", "Conformes", "Passed"),
        ("failed_tests", "Non conformes", "Failed"),
        ("blocked_tests", "Bloqués", "Blocked"),
        ("remaining", "Restants", "Remaining"),
    ] {
        v[key] = serde_json::Value::String(l(fr, en));
    }
    v
}

/// Builds the dashboard from the store. `today` is an ISO date.
pub fn build(store: &Store, lang: Lang, today: &str) -> Result<Copil> {
    let vendor = vendor_report(store, today)?;
    let latest = compute(&store.trace_data(&Scope::Latest)?);
    let anomalies = store.anomalies()?;
    let sev = |s: Severity| {
        anomalies
            .iter()
            .filter(|a| a.status.is_open() && a.severity == s)
            .count()
    };
    let open = [
        sev(Severity::Bloquante),
        sev(Severity::Majeure),
        sev(Severity::Mineure),
    ];
    let signoffs = store.signoffs(None)?;
    let reservations = store.reservations(true)?;
    let overdue: Vec<_> = reservations
        .iter()
        .filter(|r| r.deadline.as_deref().is_some_and(|d| d < today))
        .collect();
    let mut campaigns = Vec::new();
    let mut campaign_list = store.campaigns()?;
    campaign_list.sort_by(|a, b| {
        a.start_date
            .cmp(&b.start_date)
            .then_with(|| a.reference.cmp(&b.reference))
    });
    for c in &campaign_list {
        let e = Evaluation::load(store, &c.reference)?;
        let signed = signoffs.iter().rev().find(|s| s.campaign == c.reference);
        campaigns.push(CampaignLine {
            reference: c.reference.clone(),
            title: c.title.clone(),
            phase: c.phase.label(lang).to_string(),
            delivery: c.delivery.clone().unwrap_or_default(),
            period: match (&c.start_date, &c.end_date) {
                (Some(s), Some(e)) => format!(
                    "{} – {}",
                    fmt_date(lang, s, false),
                    fmt_date(lang, e, false)
                ),
                (Some(s), None) => fmt_date(lang, s, false),
                _ => String::new(),
            },
            tests: e.indicators.tests,
            execution_rate: e.indicators.execution_rate,
            pass_rate: e.indicators.pass_rate,
            execution_rate_text: percent(lang, e.indicators.execution_rate),
            pass_rate_text: percent(lang, e.indicators.pass_rate),
            proposed: e.verdict.decision.label(lang).to_string(),
            proposed_code: e.verdict.decision.code().to_string(),
            signed: signed
                .map(|s| s.decision.label(lang).to_string())
                .unwrap_or_default(),
            signed_code: signed
                .map(|s| s.decision.code().to_string())
                .unwrap_or_default(),
            testers: e
                .indicators
                .by_tester
                .iter()
                .map(|p| TesterLine {
                    assignee: if p.assignee.is_empty() {
                        lang.pick("(non attribués)", "(unassigned)").to_string()
                    } else {
                        p.assignee.clone()
                    },
                    planned: p.planned,
                    executed: p.executed,
                    passed: p.passed,
                    failed: p.failed,
                    blocked: p.blocked,
                    remaining: p.remaining,
                })
                .collect(),
        });
    }
    let mut risks = Vec::new();
    for a in anomalies
        .iter()
        .filter(|a| a.status.is_open() && a.severity == Severity::Bloquante)
    {
        risks.push(Risk {
            kind: "blocking_anomaly".into(),
            label: lang
                .pick("Anomalie bloquante ouverte", "Open blocking anomaly")
                .into(),
            detail: format!("{} — {} ({})", a.reference, a.title, a.status.label(lang)),
            level: "high".into(),
        });
    }
    for r in &overdue {
        risks.push(Risk {
            kind: "overdue_reservation".into(),
            label: lang
                .pick("Réserve non levée après l'échéance", "Reservation overdue")
                .into(),
            detail: format!(
                "{} — {} ({} {})",
                r.reference,
                r.description,
                lang.pick("échéance", "deadline"),
                r.deadline
                    .as_deref()
                    .map(|d| fmt_date(lang, d, false))
                    .unwrap_or_default()
            ),
            level: "high".into(),
        });
    }
    let mut deliveries = Vec::new();
    for d in &vendor.deliveries {
        let signed = campaign_list
            .iter()
            .filter(|c| c.delivery.as_deref() == Some(&d.reference))
            .any(|c| signoffs.iter().any(|s| s.campaign == c.reference));
        let deadline_state = match d.days_to_decision {
            _ if signed => "signed",
            Some(n) if n < 0 => "passed",
            Some(n) if n <= DEADLINE_WARNING_DAYS => "near",
            Some(_) => "ok",
            None => "none",
        };
        if matches!(deadline_state, "passed" | "near") {
            risks.push(Risk {
                kind: "decision_deadline".into(),
                label: lang
                    .pick("Échéance de décision", "Decision deadline")
                    .into(),
                detail: format!(
                    "{} : {} {} ({})",
                    d.reference,
                    lang.pick("décision à notifier avant le", "decision due by"),
                    d.decision_deadline
                        .as_deref()
                        .map(|x| fmt_date(lang, x, false))
                        .unwrap_or_default(),
                    if deadline_state == "passed" {
                        lang.pick(
                            "échéance dépassée : admission tacite",
                            "deadline passed: tacit acceptance",
                        )
                        .to_string()
                    } else {
                        format!("J-{}", d.days_to_decision.unwrap_or(0))
                    }
                ),
                level: if deadline_state == "passed" {
                    "high"
                } else {
                    "medium"
                }
                .into(),
            });
        }
        if !d.documents_missing.is_empty() {
            risks.push(Risk {
                kind: "missing_document".into(),
                label: lang.pick("Documents manquants", "Missing documents").into(),
                detail: format!("{} : {}", d.reference, d.documents_missing.join(", ")),
                level: "medium".into(),
            });
        }
        let f = |k: &str| d.anomalies_found.get(k).copied().unwrap_or(0);
        deliveries.push(DeliveryLine {
            reference: d.reference.clone(),
            version: d.version.clone(),
            planned: d
                .planned_date
                .as_deref()
                .map(|x| fmt_date(lang, x, false))
                .unwrap_or_default(),
            delivered: d
                .delivered_date
                .as_deref()
                .map(|x| fmt_date(lang, x, false))
                .unwrap_or_default(),
            days_late: d
                .days_late
                .map(|x| x.to_string())
                .unwrap_or_else(|| "—".into()),
            deadline: d
                .decision_deadline
                .as_deref()
                .map(|x| fmt_date(lang, x, false))
                .unwrap_or_default(),
            deadline_state: deadline_state.into(),
            found: [f("bloquante"), f("majeure"), f("mineure")],
            fixes_claimed: d.fixes_claimed,
            fixes_confirmed: d.fixes_confirmed,
            reopen_rate: percent(lang, d.reopen_rate),
            first_time_pass: percent(lang, d.first_time_pass_rate),
            documents_missing: d.documents_missing.join(", "),
        });
    }
    let decisions = signoffs
        .iter()
        .map(|s| DecisionLine {
            campaign: s.campaign.clone(),
            decision: s.decision.label(lang).to_string(),
            code: s.decision.code().to_string(),
            date: fmt_date(lang, &s.signed_at, false),
            signatories: s.signatories.join(" ; "),
            reservations: s.reservations.len(),
        })
        .collect();
    let chart_campaigns = rate_bars(&campaigns, lang);
    let chart_anomalies = anomaly_columns(&deliveries, lang);
    let chart_ages = age_columns(&open_ages(&anomalies, today), lang);
    Ok(Copil {
        lang: lang.code().into(),
        project: store.project_value("name")?.unwrap_or_default(),
        issued_on: fmt_date(lang, today, false),
        requirements: latest.summary.requirements,
        coverage_rate: percent(lang, latest.summary.coverage_rate),
        passed_rate: percent(lang, latest.summary.passed_rate),
        open,
        open_total: open.iter().sum(),
        reservations_open: reservations.len(),
        reservations_overdue: overdue.len(),
        campaigns,
        deliveries,
        risks,
        decisions,
        chart_campaigns,
        chart_anomalies,
        chart_ages,
        t: labels(lang),
        vendor: Some(vendor),
    })
}

/// Grouped horizontal bars: execution and pass rate of each campaign.
fn rate_bars(campaigns: &[CampaignLine], lang: Lang) -> String {
    let row_h = 34.0;
    let h = 30.0 + row_h * campaigns.len().max(1) as f64;
    let (x0, width) = (110.0, 300.0);
    let title = lang.pick(
        "Exécution et réussite par campagne",
        "Execution and pass rate by campaign",
    );
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 {h}" width="480" height="{h}" role="img" aria-label="{0}"><title>{0}</title>"#,
        esc(title)
    );
    let _ = write!(
        s,
        r##"<rect x="{x0}" y="6" width="10" height="10" fill="#1565c0"/><text x="{}" y="15" font-size="10" fill="#37474f">{}</text><rect x="{}" y="6" width="10" height="10" fill="#2e7d32"/><text x="{}" y="15" font-size="10" fill="#37474f">{}</text>"##,
        x0 + 14.0,
        esc(lang.pick("Exécution", "Executed")),
        x0 + 100.0,
        x0 + 114.0,
        esc(lang.pick("Réussite", "Passed"))
    );
    for (i, c) in campaigns.iter().enumerate() {
        let y = 26.0 + row_h * i as f64;
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#263238">{}</text>"##,
            x0 - 6.0,
            y + 14.0,
            esc(&c.reference)
        );
        for (k, (v, txt, col)) in [
            (c.execution_rate, &c.execution_rate_text, "#1565c0"),
            (c.pass_rate, &c.pass_rate_text, "#2e7d32"),
        ]
        .into_iter()
        .enumerate()
        {
            let yy = y + 2.0 + 13.0 * k as f64;
            let w = v.unwrap_or(0.0).clamp(0.0, 1.0) * width;
            let _ = write!(
                s,
                r##"<rect x="{x0}" y="{yy}" width="{width}" height="11" fill="#eceff1"/><rect x="{x0}" y="{yy}" width="{w:.1}" height="11" fill="{col}"/><text x="{}" y="{}" font-size="10" fill="#37474f">{}</text>"##,
                x0 + width + 6.0,
                yy + 9.5,
                esc(txt)
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// The age classes of open anomalies, in days since they were found.
pub const AGE_CLASSES: [(i64, i64); 4] = [(0, 7), (8, 30), (31, 90), (91, i64::MAX)];

/// Open anomalies per age class ([`AGE_CLASSES`]) and severity (blocking, major, minor) at
/// `today`.
pub fn open_ages(anomalies: &[crate::entities::Anomaly], today: &str) -> [[usize; 3]; 4] {
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok();
    let mut out = [[0usize; 3]; 4];
    let Some(now) = day(today) else {
        return out;
    };
    for a in anomalies.iter().filter(|a| a.status.is_open()) {
        let Some(found) = day(&a.created_at) else {
            continue;
        };
        let age = (now - found).num_days().max(0);
        let sev = match a.severity {
            Severity::Bloquante => 0,
            Severity::Majeure => 1,
            Severity::Mineure => 2,
        };
        if let Some(k) = AGE_CLASSES
            .iter()
            .position(|(lo, hi)| age >= *lo && age <= *hi)
        {
            out[k][sev] += 1;
        }
    }
    out
}

/// Stacked columns: open anomalies by age class, by severity.
fn age_columns(ages: &[[usize; 3]; 4], lang: Lang) -> String {
    let classes = [
        lang.pick("0–7 j", "0–7 d"),
        lang.pick("8–30 j", "8–30 d"),
        lang.pick("31–90 j", "31–90 d"),
        lang.pick("> 90 j", "> 90 d"),
    ];
    let groups: Vec<(String, [usize; 3])> = classes
        .iter()
        .zip(ages)
        .map(|(c, a)| (c.to_string(), *a))
        .collect();
    let title = lang.pick("Anomalies ouvertes par ancienneté", "Open anomalies by age");
    severity_columns(&groups, title, lang)
}

/// Stacked columns: anomalies found in each delivery, by severity.
fn anomaly_columns(deliveries: &[DeliveryLine], lang: Lang) -> String {
    let groups: Vec<(String, [usize; 3])> = deliveries
        .iter()
        .map(|d| (d.reference.clone(), d.found))
        .collect();
    let title = lang.pick(
        "Anomalies trouvées par livraison",
        "Anomalies found per delivery",
    );
    severity_columns(&groups, title, lang)
}

/// Colours of the blocking, major and minor anomalies in every chart (SVG and workbook).
const SEVERITY_COLOURS: [u32; 3] = [0xc62828, 0xef6c00, 0xf9a825];

/// Names of the blocking, major and minor series, in `lang`.
fn severity_names(lang: Lang) -> [&'static str; 3] {
    [
        lang.pick("Bloquante", "Blocking"),
        lang.pick("Majeure", "Major"),
        lang.pick("Mineure", "Minor"),
    ]
}

/// Stacked columns, one per group (a delivery, an age class), blocking, major and minor
/// anomalies stacked, with the legend.
fn severity_columns(groups: &[(String, [usize; 3])], title: &str, lang: Lang) -> String {
    let colours = SEVERITY_COLOURS.map(|c| format!("#{c:06x}"));
    let names = severity_names(lang);
    let n = groups.len().max(1);
    let col_w = 56.0;
    let plot_h = 130.0;
    let w = (60.0 + col_w * n as f64).max(300.0);
    let h = plot_h + 70.0;
    let max = groups
        .iter()
        .map(|(_, found)| found.iter().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{0}"><title>{0}</title>"#,
        esc(title)
    );
    let base = plot_h + 20.0;
    let _ = write!(
        s,
        r##"<line x1="36" y1="{base}" x2="{}" y2="{base}" stroke="#90a4ae"/><text x="30" y="24" font-size="10" text-anchor="end" fill="#546e7a">{max}</text><text x="30" y="{base}" font-size="10" text-anchor="end" fill="#546e7a">0</text>"##,
        w - 6.0
    );
    for (i, (label, found)) in groups.iter().enumerate() {
        let x = 44.0 + col_w * i as f64;
        let mut y = base;
        for (k, count) in found.iter().enumerate() {
            if *count == 0 {
                continue;
            }
            let bh = plot_h * *count as f64 / max as f64;
            y -= bh;
            let _ = write!(
                s,
                r#"<rect x="{x}" y="{y:.1}" width="{}" height="{bh:.1}" fill="{}"><title>{} : {count}</title></rect>"#,
                col_w - 16.0,
                colours[k],
                esc(names[k])
            );
        }
        let total: usize = found.iter().sum();
        let _ = write!(
            s,
            r##"<text x="{}" y="{:.1}" font-size="10" text-anchor="middle" fill="#263238">{total}</text><text x="{}" y="{}" font-size="10" text-anchor="middle" fill="#37474f">{}</text>"##,
            x + (col_w - 16.0) / 2.0,
            y - 3.0,
            x + (col_w - 16.0) / 2.0,
            base + 14.0,
            esc(label)
        );
    }
    for (k, name) in names.iter().enumerate() {
        let x = 40.0 + 90.0 * k as f64;
        let _ = write!(
            s,
            r##"<rect x="{x}" y="{}" width="10" height="10" fill="{}"/><text x="{}" y="{}" font-size="10" fill="#37474f">{}</text>"##,
            base + 26.0,
            colours[k],
            x + 14.0,
            base + 35.0,
            esc(name)
        );
    }
    s.push_str("</svg>");
    s
}

/// Writes `copil.html` and `copil.xlsx` into `out`; returns the files.
pub fn write(copil: &Copil, templates: Option<&Path>, out: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    let html = Renderer::new(templates)?.render("copil.html", copil)?;
    let html_path = out.join("copil.html");
    std::fs::write(&html_path, html).map_err(|e| Error::io(&html_path, e))?;
    let xlsx_path = out.join("copil.xlsx");
    write_xlsx(copil, &xlsx_path)?;
    Ok(vec![html_path, xlsx_path])
}

fn xerr(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Other(format!("xlsx : {e}"))
}

fn header(ws: &mut Worksheet, cols: &[&str], fmt: &XFormat) -> Result<()> {
    for (i, c) in cols.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, *c, fmt)
            .map_err(xerr)?;
        ws.set_column_width(i as u16, 18).map_err(xerr)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xerr)?;
    Ok(())
}

fn write_xlsx(c: &Copil, path: &Path) -> Result<()> {
    let t = |k: &str| c.t.get(k).and_then(|v| v.as_str()).unwrap_or(k).to_string();
    let mut wb = Workbook::new();
    let head = XFormat::new()
        .set_bold()
        .set_background_color(0x1F3864)
        .set_font_color(0xFFFFFF)
        .set_border(FormatBorder::Thin);
    let pct = XFormat::new().set_num_format("0.0%");
    // Text cells go through the reports' `put_text`: strings only, formula-like text kept as
    // written with Excel's quote-prefix style.
    let text = XFormat::new();
    // Summary.
    let ws = wb
        .add_worksheet()
        .set_name(lang_pick(c, "Synthèse", "Summary"))
        .map_err(xerr)?;
    header(ws, &[&t("title"), ""], &head)?;
    ws.set_column_width(0, 40).map_err(xerr)?;
    let rows: Vec<(String, String)> = vec![
        (lang_pick(c, "Projet", "Project").into(), c.project.clone()),
        (t("edited_on"), c.issued_on.clone()),
        (t("requirements"), c.requirements.to_string()),
        (t("coverage"), c.coverage_rate.clone()),
        (t("passed"), c.passed_rate.clone()),
        (
            t("open_anomalies"),
            format!(
                "{} ({}/{}/{})",
                c.open_total, c.open[0], c.open[1], c.open[2]
            ),
        ),
        (
            t("reservations"),
            format!(
                "{} ({} {})",
                c.reservations_open,
                c.reservations_overdue,
                t("overdue")
            ),
        ),
    ];
    let lang = Lang::parse(&c.lang).unwrap_or_default();
    for (i, (k, v)) in rows.iter().enumerate() {
        put_text(ws, i as u32 + 1, 0, k, &text)?;
        put_value(ws, i as u32 + 1, 1, v, lang, &text)?;
    }
    // Campaigns with a native chart.
    let name = lang_pick(c, "Campagnes", "Campaigns");
    let ws = wb.add_worksheet().set_name(name).map_err(xerr)?;
    header(
        ws,
        &[
            &t("campaign"),
            &t("phase"),
            &t("delivery"),
            &t("tests"),
            &t("execution"),
            &t("pass"),
            &t("proposed"),
            &t("signed"),
        ],
        &head,
    )?;
    for (i, l) in c.campaigns.iter().enumerate() {
        let r = i as u32 + 1;
        put_text(ws, r, 0, &l.reference, &text)?;
        put_text(ws, r, 1, &l.phase, &text)?;
        put_text(ws, r, 2, &l.delivery, &text)?;
        ws.write_number(r, 3, l.tests as f64).map_err(xerr)?;
        ws.write_number_with_format(r, 4, l.execution_rate.unwrap_or(0.0), &pct)
            .map_err(xerr)?;
        ws.write_number_with_format(r, 5, l.pass_rate.unwrap_or(0.0), &pct)
            .map_err(xerr)?;
        put_text(ws, r, 6, &l.proposed, &text)?;
        put_text(ws, r, 7, &l.signed, &text)?;
    }
    let n = c.campaigns.len() as u32;
    if n > 0 {
        let mut chart = Chart::new(ChartType::Column);
        // Execution in blue, pass in green (the reports' colours); rates from 0 to 100 %.
        for (col, label, colour) in [
            (4u16, t("execution"), 0x1565C0),
            (5u16, t("pass"), 0x2E7D32),
        ] {
            chart
                .add_series()
                .set_name(label.as_str())
                .set_categories((name, 1, 0, n, 0))
                .set_values((name, 1, col, n, col))
                .set_format(
                    ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(colour)),
                );
        }
        chart
            .y_axis()
            .set_min(0.0)
            .set_max(1.0)
            .set_num_format("0%");
        chart.title().set_name(&t("progress"));
        ws.insert_chart(n + 3, 0, &chart).map_err(xerr)?;
    }
    // Progress per tester, campaign by campaign.
    if c.campaigns.iter().any(|l| !l.testers.is_empty()) {
        let ws = wb
            .add_worksheet()
            .set_name(lang_pick(c, "Testeurs", "Testers"))
            .map_err(xerr)?;
        header(
            ws,
            &[
                &t("campaign"),
                &t("assignee"),
                &t("tests"),
                &t("executed"),
                &t("passed_tests"),
                &t("failed_tests"),
                &t("blocked_tests"),
                &t("remaining"),
            ],
            &head,
        )?;
        ws.set_column_width(1, 24).map_err(xerr)?;
        let mut r = 0u32;
        for l in &c.campaigns {
            for p in &l.testers {
                r += 1;
                put_text(ws, r, 0, &l.reference, &text)?;
                put_text(ws, r, 1, &p.assignee, &text)?;
                for (col, v) in [
                    p.planned,
                    p.executed,
                    p.passed,
                    p.failed,
                    p.blocked,
                    p.remaining,
                ]
                .iter()
                .enumerate()
                {
                    ws.write_number(r, col as u16 + 2, *v as f64)
                        .map_err(xerr)?;
                }
            }
        }
    }
    // Deliveries with a native stacked chart.
    let name = lang_pick(c, "Livraisons", "Deliveries");
    let ws = wb.add_worksheet().set_name(name).map_err(xerr)?;
    header(
        ws,
        &[
            &t("delivery"),
            &t("version"),
            &t("planned"),
            &t("delivered"),
            &t("late"),
            &t("deadline"),
            "B",
            "M",
            "m",
            &t("fixes"),
            &t("reopen"),
            &t("first_pass"),
            &t("missing_docs"),
        ],
        &head,
    )?;
    for (i, d) in c.deliveries.iter().enumerate() {
        let r = i as u32 + 1;
        for (k, v) in [
            &d.reference,
            &d.version,
            &d.planned,
            &d.delivered,
            &d.days_late,
            &d.deadline,
        ]
        .iter()
        .enumerate()
        {
            put_value(ws, r, k as u16, v, lang, &text)?;
        }
        for (k, v) in d.found.iter().enumerate() {
            ws.write_number(r, 6 + k as u16, *v as f64).map_err(xerr)?;
        }
        put_text(
            ws,
            r,
            9,
            &format!("{} / {}", d.fixes_claimed, d.fixes_confirmed),
            &text,
        )?;
        put_value(ws, r, 10, &d.reopen_rate, lang, &text)?;
        put_value(ws, r, 11, &d.first_time_pass, lang, &text)?;
        put_text(ws, r, 12, &d.documents_missing, &text)?;
    }
    let n = c.deliveries.len() as u32;
    if n > 0 {
        let mut chart = Chart::new(ChartType::ColumnStacked);
        for (i, label) in severity_names(lang).into_iter().enumerate() {
            let col = 6 + i as u16;
            chart
                .add_series()
                .set_name(label)
                .set_categories((name, 1, 0, n, 0))
                .set_values((name, 1, col, n, col))
                .set_format(
                    ChartFormat::new()
                        .set_solid_fill(ChartSolidFill::new().set_color(SEVERITY_COLOURS[i])),
                );
        }
        chart.y_axis().set_min(0.0);
        chart.title().set_name(&t("found"));
        ws.insert_chart(n + 3, 0, &chart).map_err(xerr)?;
    }
    // Risks and decisions.
    let ws = wb
        .add_worksheet()
        .set_name(lang_pick(c, "Risques", "Risks"))
        .map_err(xerr)?;
    header(ws, &[&t("risks"), "", ""], &head)?;
    ws.set_column_width(1, 90).map_err(xerr)?;
    for (i, r) in c.risks.iter().enumerate() {
        put_text(ws, i as u32 + 1, 0, &r.label, &text)?;
        put_text(ws, i as u32 + 1, 1, &r.detail, &text)?;
        let level = match r.level.as_str() {
            "high" => lang_pick(c, "élevé", "high"),
            "medium" => lang_pick(c, "moyen", "medium"),
            other => other,
        };
        put_text(ws, i as u32 + 1, 2, level, &text)?;
    }
    let ws = wb
        .add_worksheet()
        .set_name(lang_pick(c, "Décisions", "Decisions"))
        .map_err(xerr)?;
    header(
        ws,
        &[
            &t("campaign"),
            &t("signed"),
            &t("date"),
            &t("signatories"),
            &t("reservations_n"),
        ],
        &head,
    )?;
    for (i, d) in c.decisions.iter().enumerate() {
        let r = i as u32 + 1;
        put_text(ws, r, 0, &d.campaign, &text)?;
        put_text(ws, r, 1, &d.decision, &text)?;
        put_value(ws, r, 2, &d.date, lang, &text)?;
        put_text(ws, r, 3, &d.signatories, &text)?;
        ws.write_number(r, 4, d.reservations as f64).map_err(xerr)?;
    }
    // Fixed document properties so the file is the same bytes for the same data.
    let props = rust_xlsxwriter::DocProperties::new().set_creation_datetime(
        &rust_xlsxwriter::ExcelDateTime::from_ymd(2000, 1, 1).map_err(xerr)?,
    );
    wb.set_properties(&props);
    crate::export::print_setup(&mut wb)?;
    wb.save(path).map_err(xerr)?;
    Ok(())
}

fn lang_pick<'a>(c: &Copil, fr: &'a str, en: &'a str) -> &'a str {
    if c.lang == "en" {
        en
    } else {
        fr
    }
}
