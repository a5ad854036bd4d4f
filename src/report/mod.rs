//! Acceptance reports: the qualification report (bilan de recette) in HTML and Markdown, the
//! traceability workbook (xlsx) and the PV de recette (HTML).
//!
//! Reports are rendered from a [`view::View`] (every label already in the chosen language) with
//! minijinja templates embedded from `templates/`; a file of the same name in a `--templates`
//! folder replaces the embedded one. `.html` templates are HTML auto-escaped and `.md` templates
//! Markdown-escaped (see [`render`]). Output is deterministic for a given date: reports carry
//! their issue date ("Édité le ..."), which `RECETTE_NOW` fixes.

pub mod charts;
pub mod copil;
pub mod labels;
pub mod pdf;
pub mod render;
pub mod view;
pub mod xlsx;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::store::Store;
use crate::verdict::Evaluation;

pub use view::{PvSignOff, View};

/// A report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    /// `bilan-<campaign>.html`
    Html,
    /// `bilan-<campaign>.md`
    Markdown,
    /// `matrice-<campaign>.xlsx`
    Xlsx,
    /// `bilan-<campaign>.pdf` (PDF/A-2b)
    BilanPdf,
    /// `pv-<campaign>.html`
    Pv,
    /// `pv-<campaign>.pdf` (PDF/A-2b)
    PvPdf,
}

impl Format {
    /// Every format, in output order (the PV last: it lists the digests of the others).
    pub const ALL: &'static [Format] = &[
        Format::Html,
        Format::Markdown,
        Format::Xlsx,
        Format::BilanPdf,
        Format::Pv,
        Format::PvPdf,
    ];

    /// The formats a sign-off produces and seals.
    pub const SIGNED: &'static [Format] = Format::ALL;

    /// Parses a comma-separated list (`html,md,xlsx,pv,pdf`; `pdf` is the bilan and the PV).
    pub fn parse_list(s: &str) -> Result<Vec<Format>> {
        let mut out = Vec::new();
        for w in s.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            if w.eq_ignore_ascii_case("pdf") {
                for f in [Format::BilanPdf, Format::PvPdf] {
                    if !out.contains(&f) {
                        out.push(f);
                    }
                }
                continue;
            }
            let f = match w.to_lowercase().as_str() {
                "html" | "bilan" => Format::Html,
                "md" | "markdown" => Format::Markdown,
                "xlsx" | "excel" | "matrice" | "matrix" => Format::Xlsx,
                "pv" => Format::Pv,
                "bilan-pdf" => Format::BilanPdf,
                "pv-pdf" => Format::PvPdf,
                _ => {
                    return Err(Error::input(
                        format!(
                            "format de rapport inconnu « {w} » : attendu html, md, xlsx, pv ou pdf"
                        ),
                        format!(
                            "unknown report format \"{w}\": expected html, md, xlsx, pv or pdf"
                        ),
                    ))
                }
            };
            if !out.contains(&f) {
                out.push(f);
            }
        }
        if out.is_empty() {
            return Ok(Format::ALL.to_vec());
        }
        out.sort();
        Ok(out)
    }

    /// The file name for a campaign.
    pub fn file_name(self, campaign: &str) -> String {
        let c = safe_file_part(campaign);
        match self {
            Format::Html => format!("bilan-{c}.html"),
            Format::Markdown => format!("bilan-{c}.md"),
            Format::Xlsx => format!("matrice-{c}.xlsx"),
            Format::Pv => format!("pv-{c}.html"),
            Format::BilanPdf => format!("bilan-{c}.pdf"),
            Format::PvPdf => format!("pv-{c}.pdf"),
        }
    }
}

/// A reference made safe for a file name: letters, digits, `.`, `-`, `_`; anything else `_`.
pub fn safe_file_part(s: &str) -> String {
    let out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let out = out.trim_start_matches('.').to_string();
    if out.is_empty() {
        "campagne".to_string()
    } else {
        out
    }
}

/// How to render.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub lang: Lang,
    pub formats: Vec<Format>,
    /// Folder whose files replace the embedded templates of the same name.
    pub templates: Option<PathBuf>,
    /// Issue date shown in the reports ("Édité le ..."): today by default (`RECETTE_NOW` fixes
    /// it); none leaves the reports undated.
    pub issued_on: Option<String>,
}

/// Writes the requested reports into `out` (created if needed); returns the files written, in
/// format order. `signoff` is shown in the PV (the signed decision, its signatories and
/// reservations).
pub fn write_reports(
    eval: &Evaluation,
    opts: &Options,
    out: &Path,
    signoff: Option<&PvSignOff>,
) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    let formats = if opts.formats.is_empty() {
        Format::ALL.to_vec()
    } else {
        opts.formats.clone()
    };
    let mut view = View::build(eval, opts.lang, opts.issued_on.as_deref(), signoff);
    let renderer = render::Renderer::new(opts.templates.as_deref())?;
    let mut written = Vec::new();
    for f in formats {
        let path = out.join(f.file_name(&eval.campaign.reference));
        match f {
            Format::Html => write_text(&path, &renderer.render("bilan.html", &view)?)?,
            Format::Markdown => write_text(&path, &renderer.render("bilan.md", &view)?)?,
            Format::Pv => {
                // The PV names the reports written with it, by digest.
                view.based_on = based_on(&written, opts.lang)?;
                write_text(&path, &renderer.render("pv.html", &view)?)?
            }
            Format::BilanPdf => write_bytes(&path, &pdf::bilan(&view)?)?,
            Format::PvPdf => {
                view.based_on = based_on(&written, opts.lang)?;
                write_bytes(&path, &pdf::pv(&view)?)?
            }
            Format::Xlsx => xlsx::write(eval, &view, opts.lang, opts.issued_on.as_deref(), &path)?,
        }
        written.push(path);
    }
    Ok(written)
}

/// The reports a PV rests on: each file already written, with its title and sha256.
fn based_on(written: &[PathBuf], lang: Lang) -> Result<Vec<view::BasedOn>> {
    let mut out = Vec::new();
    for p in written {
        let file = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let title = if file.starts_with("bilan-") && file.ends_with(".md") {
            lang.pick(
                "Bilan de recette (Markdown)",
                "Test completion report (Markdown)",
            )
        } else if file.starts_with("bilan-") && file.ends_with(".pdf") {
            lang.pick("Bilan de recette (PDF/A)", "Test completion report (PDF/A)")
        } else if file.starts_with("bilan-") {
            lang.pick("Bilan de recette (HTML)", "Test completion report (HTML)")
        } else if file.starts_with("matrice-") {
            lang.pick(
                "Matrice de traçabilité (classeur)",
                "Traceability matrix (workbook)",
            )
        } else {
            continue;
        };
        let (sha256, _) = crate::signoff::sha256_file(p)?;
        out.push(view::BasedOn {
            file,
            title: title.to_string(),
            sha256,
        });
    }
    Ok(out)
}

/// The latest sign-off of a campaign, as the PV shows it.
pub fn latest_signoff(store: &Store, campaign: &str) -> Result<Option<PvSignOff>> {
    let mut all = store.signoffs(Some(campaign))?;
    let Some(s) = all.pop() else {
        return Ok(None);
    };
    let supersedes = s.supersedes.and_then(|id| {
        all.iter().find(|p| p.id == id).map(|p| view::PvSuperseded {
            number: p.number,
            signed_at: p.signed_at.clone(),
            reason: s.supersede_reason.clone(),
        })
    });
    Ok(Some(PvSignOff {
        sealed_in: Some(crate::signoff::sealed_folder(campaign, s.number)),
        number: s.number,
        decision: s.decision,
        signed_at: s.signed_at,
        signatories: s.signatories,
        signers: s.signers,
        place: s.place,
        supersedes,
        reservations: s
            .reservations
            .into_iter()
            .map(|r| view::PvReservation {
                reference: r.reference,
                description: r.description,
                severity: r.severity,
                deadline: r.deadline.unwrap_or_default(),
                lifted_at: r.lifted_at,
            })
            .collect(),
    }))
}

fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| Error::io(path, e))
}

fn write_text(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|e| Error::io(path, e))
}
