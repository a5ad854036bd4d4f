//! Every file of the shared corpus (copied into `fixtures/results/corpus/`) read as its producer
//! meant it: the figures recette reads are compared with `expected.tsv`, which
//! `fixtures/results/corpus/expected.py` computed independently (producers' documented
//! semantics; Robot Framework's own `ExecutionResult` for output.xml). The samples produced
//! here for Cucumber JSON, TAP and Playwright (`fixtures/results/{cucumber,tap,playwright}`) are
//! in the table too.

use std::path::{Path, PathBuf};

use recette::import::results::{read_results, ReadOptions};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/results/corpus")
}

#[test]
fn every_corpus_file_reads_as_its_producer_meant() {
    let text = std::fs::read_to_string(corpus().join("expected.tsv")).unwrap_or_default();
    let mut checked = 0;
    let mut mismatches = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let cols: Vec<&str> = line.split('\t').collect();
        let rel = cols[0];
        let path = corpus().join(rel);
        let mut names = 0u64;
        let read = read_results(&path, None, &ReadOptions::default(), &mut |r| {
            assert!(!r.name.is_empty(), "{rel}: a result without a name");
            names += 1;
            Ok(())
        });
        checked += 1;
        if cols[1] == "refused" {
            match read {
                Ok(s) => mismatches.push(format!("{rel}: read {s:?}, expected a refusal")),
                Err(e) => assert!(e
                    .to_string()
                    .contains(rel.rsplit('/').next().unwrap_or(rel))),
            }
            continue;
        }
        let s = match read {
            Ok(s) => s,
            Err(e) => {
                mismatches.push(format!("{rel}: refused: {e}"));
                continue;
            }
        };
        assert_eq!(s.results, names, "{rel}");
        let got = format!(
            "{}\t{}\t{}\t{}\t{}\t{}",
            s.format, s.results, s.passed, s.failed, s.not_run, s.flaky
        );
        let expected = cols[1..].join("\t");
        if got != expected {
            mismatches.push(format!("{rel}: read {got}, expected {expected}"));
        }
    }
    // Every file of the folder is in the table (a file added without figures fails here).
    let mut files = text.lines().filter(|l| l.starts_with("../")).count();
    assert!(files >= 3, "the samples produced here are in the table");
    let mut stack = vec![corpus()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.parent() != Some(corpus().as_path()) {
                files += 1;
            }
        }
    }
    assert_eq!(checked, files, "files in the corpus folder without figures");
    assert!(checked >= 79, "{checked}");
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
