//! What a flow reads: files named by path (the CLI: files, folders, glob patterns) or received
//! as uploads (the web: a file name with its bytes, or with a temporary file).
//!
//! Readers work on paths (they stream large files), so uploads are staged in a private
//! temporary folder, each under its own file name: classification by extension works as for
//! paths, and while the [`Staged`] guard lives, [`display_name`] (what every reader, message,
//! origin and stored file name uses) gives the name the user sent instead of the temporary
//! path. Dropping the guard removes the folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result};

/// One input of a flow.
#[derive(Debug, Clone)]
pub enum Input {
    /// A file, a folder (flows that take several files read the importable files below it)
    /// or a glob pattern, as the user typed it.
    Path(PathBuf),
    /// Content received in memory, under the file name the user sent.
    Bytes { name: String, bytes: Vec<u8> },
    /// Content already written to a temporary file (a streamed upload), under the file name
    /// the user sent; the file is linked or copied, never moved or removed.
    File { name: String, path: PathBuf },
}

impl Input {
    /// The input's name as the user knows it (the path as typed, or the upload's name).
    pub fn name(&self) -> String {
        match self {
            Input::Path(p) => p.display().to_string(),
            Input::Bytes { name, .. } | Input::File { name, .. } => upload_name(name),
        }
    }
}

/// Staged uploads, by staged path: the name each one is shown under.
static NAMES: Mutex<BTreeMap<PathBuf, String>> = Mutex::new(BTreeMap::new());

fn names() -> std::sync::MutexGuard<'static, BTreeMap<PathBuf, String>> {
    // A panic elsewhere while holding the lock leaves a usable map (inserts and removes only).
    NAMES.lock().unwrap_or_else(|e| e.into_inner())
}

/// The name of a file as shown in messages and origins and as stored: the upload's name for a
/// staged upload, otherwise the path as the user gave it.
pub fn display_name(path: &Path) -> String {
    match names().get(path) {
        Some(name) => name.clone(),
        None => path.display().to_string(),
    }
}

/// [`display_name`] as a path (for [`Error::Io`]).
pub(crate) fn display_path(path: PathBuf) -> PathBuf {
    match names().get(&path) {
        Some(name) => PathBuf::from(name),
        None => path,
    }
}

/// The files of a flow's inputs, uploads staged; keep it alive while the files are read.
#[derive(Debug, Default)]
pub struct Staged {
    files: Vec<PathBuf>,
    /// Staged uploads (registered in [`NAMES`]).
    registered: Vec<PathBuf>,
    dir: Option<tempfile::TempDir>,
}

impl Staged {
    /// The files to read, in input order.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// Stages each input as one file, without expanding folders or patterns (flows that take
    /// one file: a delivery note, a file to verify).
    pub fn each(inputs: &[Input]) -> Result<Staged> {
        let mut staged = Staged::default();
        for input in inputs {
            staged.add(input)?;
        }
        Ok(staged)
    }

    /// Stages the inputs of an import: a path that is a folder gives every file below it with
    /// an importable extension, a pattern the files it matches (each input sorted); uploads are
    /// taken as they are. An input that gives no file is an error (a typo must not silently
    /// import nothing).
    pub fn for_import(inputs: &[Input]) -> Result<Staged> {
        let mut staged = Staged::default();
        for input in inputs {
            match input {
                Input::Path(p) => expand_into(p, &mut staged.files)?,
                upload => staged.add(upload)?,
            }
        }
        staged.files.dedup();
        Ok(staged)
    }

    /// Stages an upload (a path is kept as it is).
    fn add(&mut self, input: &Input) -> Result<()> {
        match input {
            Input::Path(p) => self.files.push(p.clone()),
            Input::Bytes { name, bytes } => self.upload(name, |to| {
                std::fs::write(to, bytes).map_err(|e| Error::io(to, e))
            })?,
            Input::File { name, path: from } => self.upload(name, |to| {
                if std::fs::hard_link(from, to).is_err() {
                    std::fs::copy(from, to).map_err(|e| Error::io(from, e))?;
                }
                Ok(())
            })?,
        }
        Ok(())
    }

    fn upload(&mut self, sent: &str, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
        let dir = match &mut self.dir {
            Some(d) => d,
            None => self.dir.insert(
                tempfile::Builder::new()
                    .prefix("recette-upload-")
                    .tempdir()
                    .map_err(|e| Error::io(std::env::temp_dir(), e))?,
            ),
        };
        // One folder per upload: two uploads may have the same name.
        let folder = dir.path().join(self.registered.len().to_string());
        std::fs::create_dir(&folder).map_err(|e| Error::io(&folder, e))?;
        let name = upload_name(sent);
        let path = folder.join(&name);
        write(&path)?;
        names().insert(path.clone(), name);
        self.registered.push(path.clone());
        self.files.push(path);
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        let mut map = names();
        for p in &self.registered {
            map.remove(p);
        }
    }
}

/// Longest upload name kept, in bytes (file systems allow 255).
const MAX_NAME_BYTES: usize = 120;

/// The file name an upload is staged and shown under: the last component of what the browser
/// sent (some send a full client path), without control characters, at most
/// [`MAX_NAME_BYTES`] long with its extension kept; `fichier` when nothing usable is left.
fn upload_name(sent: &str) -> String {
    let base = sent.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base.chars().filter(|c| !c.is_control()).collect();
    let clean = clean.trim();
    if clean.is_empty() || clean == "." || clean == ".." {
        return "fichier".to_string();
    }
    if clean.len() <= MAX_NAME_BYTES {
        return clean.to_string();
    }
    let (stem, ext) = match clean.rfind('.') {
        Some(i) if clean.len() - i <= 16 => (&clean[..i], &clean[i..]),
        _ => (clean, ""),
    };
    let mut cut = MAX_NAME_BYTES - ext.len();
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{ext}", &stem[..cut])
}

/// Extensions of the files an import takes from a folder.
const KNOWN_EXTENSIONS: &[&str] = &[
    "xlsx", "xlsm", "xls", "ods", "csv", "tsv", "xml", "json", "trx", "reqif", "reqifz",
];

/// Expands a file, folder or glob pattern into files, sorted.
fn expand_into(p: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let input = p.to_string_lossy();
    let before = out.len();
    if p.is_file() {
        out.push(p.to_path_buf());
    } else if p.is_dir() {
        let mut stack = vec![p.to_path_buf()];
        while let Some(dir) = stack.pop() {
            let entries = std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))?;
            for e in entries {
                let e = e.map_err(|e| Error::io(&dir, e))?;
                let path = e.path();
                let ft = e.file_type().map_err(|err| Error::io(&path, err))?;
                if ft.is_dir() {
                    stack.push(path);
                } else if ft.is_file() {
                    let ext = path
                        .extension()
                        .map(|x| x.to_string_lossy().to_lowercase())
                        .unwrap_or_default();
                    if KNOWN_EXTENSIONS.contains(&ext.as_str()) {
                        out.push(path);
                    }
                }
            }
        }
    } else if input.contains(['*', '?', '[']) {
        let paths = glob::glob(&input).map_err(|e| {
            Error::input(
                format!("motif invalide « {input} » : {e}"),
                format!("invalid pattern \"{input}\": {e}"),
            )
        })?;
        for p in paths.flatten() {
            if p.is_file() {
                out.push(p);
            }
        }
    } else {
        return Err(Error::input(
            format!("{input} : fichier introuvable"),
            format!("{input}: no such file"),
        ));
    }
    if out.len() == before {
        return Err(Error::input(
            format!("{input} : aucun fichier importable trouvé"),
            format!("{input}: no importable file found"),
        ));
    }
    out[before..].sort();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_names_keep_the_last_component_and_the_extension() {
        assert_eq!(
            upload_name("C:\\Users\\ana\\résultats.xml"),
            "résultats.xml"
        );
        assert_eq!(upload_name("../../etc/passwd"), "passwd");
        assert_eq!(upload_name(".."), "fichier");
        assert_eq!(upload_name("a\u{0}b\n.csv"), "ab.csv");
        let long = format!("{}.xlsx", "é".repeat(100));
        let cut = upload_name(&long);
        assert!(
            cut.len() <= MAX_NAME_BYTES && cut.ends_with(".xlsx"),
            "{cut}"
        );
    }

    #[test]
    fn staged_uploads_are_shown_under_their_name_until_dropped() {
        let staged = Staged::for_import(&[Input::Bytes {
            name: "junit.xml".into(),
            bytes: b"<testsuite/>".to_vec(),
        }])
        .unwrap();
        let path = staged.files()[0].clone();
        assert_eq!(path.file_name().unwrap(), "junit.xml");
        assert_eq!(std::fs::read(&path).unwrap(), b"<testsuite/>");
        assert_eq!(display_name(&path), "junit.xml");
        drop(staged);
        assert!(!path.exists());
        assert_eq!(display_name(&path), path.display().to_string());
    }

    #[test]
    fn two_uploads_with_one_name_are_two_files() {
        let staged = Staged::each(&[
            Input::Bytes {
                name: "r.xml".into(),
                bytes: b"1".to_vec(),
            },
            Input::Bytes {
                name: "r.xml".into(),
                bytes: b"2".to_vec(),
            },
        ])
        .unwrap();
        let [a, b] = staged.files() else {
            panic!("two files")
        };
        assert_ne!(a, b);
        assert_eq!(std::fs::read(b).unwrap(), b"2");
    }
}
