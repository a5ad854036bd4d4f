//! The command line in the user's language: clap's own words in French by default (usage
//! heading, headings, help and version flags, defaults, usage errors), English with `--lang en`
//! or `RECETTE_LANG=en`; shell completions and the man page from the same definitions; `gate`
//! tells a closed gate (1) from one it cannot evaluate (3).

mod common;

use common::Project;

fn run(p: &Project, env: &[(&str, &str)], args: &[&str]) -> (Option<i32>, String, String) {
    let mut c = p.cmd();
    // A fixed width: the help wraps at the terminal's width, capped at 100.
    c.env("COLUMNS", "100");
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.args(args).output().expect("run");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The demo project in `p`; returns its store's path.
fn demo(p: &Project) -> String {
    p.ok(&["demo", "--out", "demo", "--json"]);
    p.path()
        .join("demo")
        .join("recette.db")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn the_help_is_french_by_default_and_english_on_request() {
    let p = Project::new();
    let (code, fr, _) = run(&p, &[], &["--help"]);
    assert_eq!(code, Some(0));
    insta::assert_snapshot!("help_fr", fr);
    for clap_english in [
        "Usage:",
        "Commands:",
        "Print help",
        "Print version",
        "[default:",
    ] {
        assert!(!fr.contains(clap_english), "{clap_english} in:\n{fr}");
    }
    let (_, sub, _) = run(&p, &[], &["campaign", "create", "--help"]);
    insta::assert_snapshot!("help_campaign_create_fr", sub);
    assert!(sub.contains("[défaut : vabf]"), "{sub}");
    assert!(!sub.contains("[env: RECETTE_DB"), "{sub}");
    let (code, en, _) = run(&p, &[], &["--lang", "en", "--help"]);
    assert_eq!(code, Some(0));
    insta::assert_snapshot!("help_en", en);
    assert!(
        en.contains("Usage: recette") && en.contains("Commands:"),
        "{en}"
    );
    let (_, en_env, _) = run(&p, &[("RECETTE_LANG", "en")], &["--help"]);
    assert_eq!(en_env, en, "RECETTE_LANG=en too");
    // The commands' own descriptions are translated too, at every level.
    assert!(!en.contains("Campagnes de recette"), "{en}");
    let (_, sub_en, _) = run(&p, &[], &["--lang", "en", "campaign", "create", "--help"]);
    insta::assert_snapshot!("help_campaign_create_en", sub_en);
    assert!(sub_en.contains("[default: vabf]"), "{sub_en}");
    let (_, run_en, _) = run(&p, &[], &["--lang", "en", "run", "--help"]);
    assert!(run_en.contains("<N=STATUS[:ACTUAL]>"), "{run_en}");
    assert!(!run_en.contains("Statut"), "{run_en}");
}

#[test]
fn usage_errors_are_worded_in_the_users_language() {
    let p = Project::new();
    let (code, _, err) = run(&p, &[], &["campagne"]);
    assert_eq!(code, Some(2));
    assert!(
        err.starts_with("erreur : commande inconnue 'campagne'"),
        "{err}"
    );
    assert!(
        err.contains("une commande proche existe : 'campaign'"),
        "{err}"
    );
    assert!(err.contains("Pour en savoir plus : « --help »."), "{err}");
    let (code, _, err) = run(&p, &[], &["signoff", "VABF-1"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("arguments obligatoires manquants :"), "{err}");
    let (code, _, err) = run(&p, &[], &["--lang", "en", "campagne"]);
    assert_eq!(code, Some(2));
    assert!(
        err.starts_with("error: unrecognized subcommand 'campagne'"),
        "{err}"
    );
}

#[test]
fn completions_and_the_man_page_come_from_the_same_definitions() {
    let p = Project::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, out, err) = run(&p, &[], &["completions", shell]);
        assert_eq!(code, Some(0), "{shell}: {err}");
        for word in ["recette", "campaign", "signoff", "allow-reserves"] {
            assert!(out.contains(word), "{shell} completion lacks {word}");
        }
    }
    let (code, _, err) = run(&p, &[], &["completions", "tcsh"]);
    assert_eq!(code, Some(2), "{err}");
    let (code, man, _) = run(&p, &[], &["man"]);
    assert_eq!(code, Some(0));
    assert!(man.contains(".TH recette 1"), "{man}");
    assert!(man.contains("gestion de la recette"));
    assert!(man.contains("campaign"));
}

#[test]
fn gate_tells_a_closed_gate_from_one_it_cannot_evaluate() {
    let p = Project::new();
    let db = demo(&p);
    let db = db.as_str();
    let (code, out, _) = run(&p, &[], &["--db", db, "gate", "VABF-2", "--allow-reserves"]);
    assert_eq!(code, Some(0), "{out}");
    let (code, out, _) = run(&p, &[], &["--db", db, "gate", "VABF-1"]);
    assert_eq!(code, Some(1), "closed: {out}");
    assert!(out.starts_with("PORTE FERMÉE"), "{out}");
    let (code, _, err) = run(&p, &[], &["--db", db, "gate", "NOPE"]);
    assert_eq!(code, Some(3), "cannot be evaluated: {err}");
    assert!(err.contains("campagne inconnue : NOPE"), "{err}");
    let (code, _, _) = run(
        &p,
        &[],
        &["--db", "/nonexistent/recette.db", "gate", "VABF-1"],
    );
    assert_eq!(code, Some(3), "no store");
}

#[test]
fn an_unknown_reference_suggests_the_one_it_most_likely_meant() {
    let p = Project::new();
    let db = demo(&p);
    let db = db.as_str();
    let (code, _, err) = run(&p, &[], &["--db", db, "req", "show", "exi-imm-001"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("exigence inconnue : exi-imm-001"), "{err}");
    assert!(err.contains("vouliez-vous dire « EXI-IMM-001 » ?"), "{err}");
    let (_, _, err) = run(&p, &[], &["--db", db, "campaign", "show", "VABF1"]);
    assert!(err.contains("vouliez-vous dire « VABF-1 » ?"), "{err}");
    let (_, _, err) = run(
        &p,
        &[],
        &["--db", db, "--lang", "en", "anomaly", "show", "FA-0001"],
    );
    assert!(err.contains("did you mean \"FA-001\"?"), "{err}");
    // Piped, a table keeps every value whole (a grep finds the whole title).
    let (_, out, _) = run(&p, &[], &["--db", db, "anomaly", "list"]);
    assert!(
        out.contains("Le calcul de la taxe ignore l'exonération des véhicules électriques"),
        "{out}"
    );
    assert!(!out.contains('…'), "{out}");
    // Nothing close: no guess.
    let (_, _, err) = run(&p, &[], &["--db", db, "req", "show", "XYZ"]);
    assert!(!err.contains("vouliez-vous dire"), "{err}");
}

/// Colour on a terminal only: piped output is plain; `CLICOLOR_FORCE=1` colours it (as for
/// `less -R`), `NO_COLOR` always wins.
#[test]
fn colour_only_on_a_terminal_and_never_with_no_color() {
    let p = Project::new();
    let db = demo(&p);
    let db = db.as_str();
    let (_, plain, _) = run(&p, &[], &["--db", db, "gate", "VABF-1"]);
    assert!(!plain.contains('\u{1b}'), "{plain:?}");
    let (_, shown, _) = run(&p, &[], &["--db", db, "campaign", "show", "VABF-1"]);
    assert!(!shown.contains('\u{1b}'));
    let force = [("CLICOLOR_FORCE", "1")];
    let (code, coloured, _) = run(&p, &force, &["--db", db, "gate", "VABF-1"]);
    assert_eq!(code, Some(1));
    assert!(
        coloured.starts_with("\u{1b}[31mPORTE FERMÉE\u{1b}[0m"),
        "{coloured:?}"
    );
    let (_, verdict, _) = run(&p, &force, &["--db", db, "verdict", "VABF-2"]);
    assert!(
        verdict.contains("\u{1b}[32m✓ atteint\u{1b}[0m"),
        "{verdict:?}"
    );
    assert!(
        verdict.contains("\u{1b}[33mAdmission avec réserves\u{1b}[0m"),
        "{verdict:?}"
    );
    // The table stays aligned: the coloured column is padded by what is seen.
    let (_, table, _) = run(&p, &force, &["--db", db, "campaign", "show", "VABF-1"]);
    assert!(table.contains("\u{1b}[32mConforme\u{1b}[0m"), "{table:?}");
    let (_, _, err) = run(&p, &force, &["--db", db, "req", "show", "NOPE"]);
    assert!(err.starts_with("\u{1b}[31merreur :\u{1b}[0m"), "{err:?}");
    let both = [("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")];
    let (_, none, _) = run(&p, &both, &["--db", db, "gate", "VABF-1"]);
    assert!(!none.contains('\u{1b}'), "NO_COLOR wins: {none:?}");
}

/// `campaign list`, `campaign show` and `verdict` say when a campaign is already signed.
#[test]
fn a_signed_campaign_says_so() {
    let p = Project::new();
    let db = demo(&p);
    let db = db.as_str();
    let signed = "Ajournement, signé le 03/04/2026 (PV n° 1)";
    let (_, list, _) = run(&p, &[], &["--db", db, "campaign", "list"]);
    let line = list.lines().find(|l| l.starts_with("VABF-1")).unwrap_or("");
    assert!(line.ends_with(signed), "{list}");
    let other = list.lines().find(|l| l.starts_with("VABF-2")).unwrap_or("");
    assert!(!other.contains("signé"), "{list}");
    let (_, show, _) = run(&p, &[], &["--db", db, "campaign", "show", "VABF-1"]);
    assert!(show.contains(&format!("PV : {signed}")), "{show}");
    let (_, verdict, _) = run(&p, &[], &["--db", db, "verdict", "VABF-1"]);
    assert!(
        verdict.contains(&format!("Déjà signée : {signed}")),
        "{verdict}"
    );
    let (_, verdict, _) = run(&p, &[], &["--db", db, "verdict", "VABF-2"]);
    assert!(!verdict.contains("Déjà signée"), "{verdict}");
    let (_, en, _) = run(&p, &[], &["--db", db, "--lang", "en", "campaign", "list"]);
    assert!(en.contains("signed on"), "{en}");
}

/// Messages read right: a bad word gives the main accepted values and "(ou un synonyme
/// usuel)" rather than every synonym, with the adjective agreeing ("criticité inconnue"); an
/// operating-system error is worded for a person, with the file.
#[test]
fn messages_name_the_main_values_agree_in_gender_and_word_os_errors() {
    let p = Project::small();
    let (code, _, err) = run(
        &p,
        &[],
        &[
            "req",
            "add",
            "EXI-9",
            "--title",
            "x",
            "--criticality",
            "énorme",
        ],
    );
    assert_eq!(code, Some(1));
    assert!(
        err.contains("criticité inconnue « énorme » ; valeurs acceptées : critique, Critical, majeure, Major, mineure, Minor (ou un synonyme usuel)"),
        "{err}"
    );
    assert!(!err.contains("must have"), "no synonym list: {err}");
    let (_, _, err) = run(
        &p,
        &[("RECETTE_LANG", "en")],
        &[
            "req",
            "add",
            "EXI-9",
            "--title",
            "x",
            "--criticality",
            "huge",
        ],
    );
    assert!(err.contains("(or a usual synonym)"), "{err}");
    let (code, _, err) = run(&p, &[], &["import", "/nonexistent/cahier.xlsx"]);
    assert_eq!(code, Some(1));
    assert!(!err.contains("os error"), "{err}");
    let (_, _, err) = run(
        &p,
        &[],
        &["report", "C1", "--out", "/proc/recette-interdit"],
    );
    assert!(err.contains("/proc/recette-interdit : "), "{err}");
    assert!(!err.contains("os error"), "{err}");
}

/// Every JSON output gives rates as percentages, the unit of the strategies' thresholds: the
/// execution rate of `campaign show`, `status` and `verdict` is one number; the trace's and the
/// vendor's rates are percentages too.
#[test]
fn rates_are_percentages_in_every_json_output() {
    let p = Project::new();
    let db = demo(&p);
    let j = |args: &[&str]| {
        let mut all = vec!["--db", db.as_str()];
        all.extend_from_slice(args);
        p.json(&all)
    };
    let show = j(&["campaign", "show", "VABF-1"]);
    let verdict = j(&["verdict", "VABF-1"]);
    let status = j(&["status", "--campaign", "VABF-1"]);
    assert_eq!(show["indicators"]["execution_rate"], 92.5);
    assert_eq!(
        show["indicators"]["execution_rate"],
        verdict["indicators"]["execution_rate"]
    );
    assert_eq!(
        status["campaigns"][0]["indicators"]["pass_rate"],
        verdict["indicators"]["pass_rate"]
    );
    let trace = j(&["trace"]);
    let coverage = trace["summary"]["coverage_rate"].as_f64().unwrap();
    assert!(coverage > 1.0 && coverage <= 100.0, "{coverage}");
    let vendor = j(&["vendor"]);
    let liv = vendor["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["ref"] == "LIV-1.1")
        .unwrap()
        .clone();
    assert_eq!(liv["reopen_rate"], 25.0, "{liv}");
}

/// Text output shows dates as people write them (French by default), JSON keeps ISO 8601.
#[test]
fn dates_are_french_in_text_and_iso_in_json() {
    let p = Project::new();
    let db = demo(&p);
    let show = p.ok(&["--db", &db, "delivery", "show", "LIV-1.1"]);
    assert!(
        show.contains("Prévue : 20/03/2026   Livrée : 24/03/2026"),
        "{show}"
    );
    assert!(
        show.contains("Décision à notifier avant le 23/04/2026"),
        "{show}"
    );
    let en = p.ok(&["--db", &db, "--lang", "en", "delivery", "show", "LIV-1.1"]);
    assert!(en.contains("Planned: 2026-03-20"), "{en}");
    let json = p.json(&["--db", &db, "delivery", "show", "LIV-1.1"]);
    assert_eq!(json["planned_date"], "2026-03-20");
    for args in [
        vec!["log"],
        vec!["anomaly", "show", "FA-001"],
        vec!["execution", "show", "VABF-1", "CT-IMM-001"],
        vec!["test", "history", "CT-IMM-001"],
        vec!["delivery", "list"],
        vec!["vendor"],
    ] {
        let mut all = vec!["--db", db.as_str()];
        all.extend(args.iter().copied());
        let out = p.ok(&all);
        let iso = regex_free_iso(&out);
        assert!(iso.is_none(), "{args:?}: ISO date {iso:?} in\n{out}");
    }
    let log = p.ok(&["--db", &db, "log"]);
    assert!(log.contains("03/04/2026 17:00"), "{log}");
}

/// The first `YYYY-MM-DD` in a text, if any.
fn regex_free_iso(text: &str) -> Option<String> {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let w = &b[i..i + 10];
        let digits = |r: std::ops::Range<usize>| w[r].iter().all(u8::is_ascii_digit);
        (digits(0..4) && w[4] == b'-' && digits(5..7) && w[7] == b'-' && digits(8..10))
            .then(|| String::from_utf8_lossy(w).into_owned())
    })
}
