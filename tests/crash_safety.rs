//! Crash safety: `recette import` killed with SIGKILL at random moments. Afterwards the store
//! passes `PRAGMA integrity_check` and each import is either fully present or fully absent.
//! 12 kills by default (6 per kind of import); 100 with RECETTE_LONG=1 (see RELIABILITY.md).

mod common;

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use common::Project;

const CASES: usize = 4000;
const ROWS: usize = 4000;

fn kills() -> usize {
    if std::env::var("RECETTE_LONG").is_ok() {
        50
    } else {
        6
    }
}

/// A deterministic pseudo-random sequence (no extra crate needed for this).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

fn write_junit(path: &Path) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(
        f,
        r#"<?xml version="1.0" encoding="UTF-8"?><testsuites><testsuite name="crash">"#
    )
    .unwrap();
    for i in 0..CASES {
        write!(f, r#"<testcase classname="c{}" name="t{i}"><properties><property name="requirement" value="EXI-{:03}"/></properties>"#, i % 20, i % 50).unwrap();
        if i % 7 == 0 {
            write!(f, r#"<failure message="échec {i}">trace</failure>"#).unwrap();
        }
        writeln!(f, "</testcase>").unwrap();
    }
    writeln!(f, "</testsuite></testsuites>").unwrap();
}

fn write_csv(path: &Path) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(f, "Référence;Intitulé;Criticité").unwrap();
    for i in 0..ROWS {
        writeln!(f, "EXI-C-{i:05};Exigence {i};majeure").unwrap();
    }
}

fn count(db: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn integrity(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// Runs the import to completion once to learn how long it takes.
fn timed(template: &Path, dir: &Path, args: &[&str]) -> Duration {
    let db = dir.join("timing.db");
    std::fs::copy(template, &db).unwrap();
    let start = Instant::now();
    let st = std::process::Command::cargo_bin("recette")
        .unwrap()
        .env("RECETTE_DB", &db)
        .args(args)
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    start.elapsed()
}

fn kill_during(
    template: &Path,
    dir: &Path,
    args: &[&str],
    full: Duration,
    rng: &mut Lcg,
    i: usize,
) -> std::path::PathBuf {
    let db = dir.join(format!("kill-{i}.db"));
    std::fs::copy(template, &db).unwrap();
    let mut child = std::process::Command::cargo_bin("recette")
        .unwrap()
        .env("RECETTE_DB", &db)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Up to 1.2 x the full run, so some kills land after the commit too.
    let at = Duration::from_micros(rng.next() % (full.as_micros() as u64 * 6 / 5 + 1));
    std::thread::sleep(at);
    let _ = child.kill(); // SIGKILL on Unix
    let _ = child.wait();
    db
}

#[test]
fn killed_imports_leave_the_store_whole_or_untouched() {
    let p = Project::new();
    for i in 0..50 {
        p.ok(&["req", "add", &format!("EXI-{i:03}"), "--title", "x"]);
    }
    p.ok(&["campaign", "create", "C"]);
    // A self-contained template (no WAL beside it).
    let conn = rusqlite::Connection::open(p.db()).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    drop(conn);
    let template = p.path().join("template.db");
    std::fs::copy(p.db(), &template).unwrap();
    let junit = p.path().join("crash.xml");
    write_junit(&junit);
    let csv = p.path().join("crash.csv");
    write_csv(&csv);
    let results_args = ["import", junit.to_str().unwrap(), "--campaign", "C"];
    let sheet_args = ["import", csv.to_str().unwrap()];
    let mut rng = Lcg(42);
    for (args, kind) in [(&results_args[..], "results"), (&sheet_args[..], "sheet")] {
        let full = timed(&template, p.path(), args);
        let (mut present, mut absent) = (0, 0);
        for i in 0..kills() {
            let db = kill_during(&template, p.path(), args, full, &mut rng, i);
            assert_eq!(integrity(&db), "ok", "{kind} kill {i}");
            if kind == "results" {
                let imports = count(&db, "SELECT COUNT(*) FROM result_import");
                let results = count(&db, "SELECT COUNT(*) FROM automated_result");
                let executions = count(&db, "SELECT COUNT(*) FROM execution");
                match imports {
                    0 => {
                        assert_eq!((results, executions), (0, 0), "kill {i}: partial import");
                        absent += 1;
                    }
                    _ => {
                        assert_eq!(results, CASES as i64, "kill {i}");
                        assert!(executions > 0);
                        present += 1;
                    }
                }
            } else {
                let reqs = count(&db, "SELECT COUNT(*) FROM requirement");
                assert!(
                    reqs == 50 || reqs == 50 + ROWS as i64,
                    "kill {i}: {reqs} requirements"
                );
                if reqs == 50 {
                    absent += 1
                } else {
                    present += 1
                }
            }
            std::fs::remove_file(&db).unwrap();
            let _ = std::fs::remove_file(db.with_extension("db-wal"));
            let _ = std::fs::remove_file(db.with_extension("db-shm"));
        }
        eprintln!(
            "{kind}: {} kills, {present} imports whole, {absent} absent (full run {full:?})",
            kills()
        );
    }
}
